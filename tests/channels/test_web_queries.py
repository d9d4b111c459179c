"""The case page runs the same number of queries with 1 contact as with 100: session, user,
the navigation's unread-notifications badge, the case, the evidence, the events, the contacts,
their evidence, the directory, the clocks and the calendar overrides their countdowns need."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.channels.web import list_url
from tests.queries import SESSION

pytestmark = pytest.mark.usefixtures("directory")

# +1: the conversation's messages with their authors (one query, however many).
CASE_PAGE = 11 + SESSION
# The channel's contacts (no events), then every contact for the chips and "waiting for a reply".
CASE_PAGE_FILTERED = 12 + SESSION
CONTACT_LIST = 5 + SESSION  # session, user, badge, the case, the contacts, their evidence
# Staff also get the assignment card, with the list of staff to assign to (one query).
STAFF_CARD = 1


def seed(case, n, *, actors, log_contact, attach):
    """n contacts over several channels, by the owner and staff, some with files, some
    corrected; and a few files on the case."""
    from channels.services import contact_correct

    files = [attach(actors[0], case, name=f"{i}.png") for i in range(3)]
    channels = ["phone", "in_app", "web_ticket", "email", "regulator"]
    bodies = ["douyin_shop", "12315", "", "arbitration", ""]
    start = timezone.now() - datetime.timedelta(days=n + 1)
    for i in range(n):
        entry = log_contact(
            actors[i % len(actors)],
            case,
            channel=channels[i % 5],
            body=bodies[i % 5],
            filing_type="report" if bodies[i % 5] == "12315" else "inquiry",
            occurred_at=start + datetime.timedelta(days=i),
            direction="outbound" if i % 2 else "inbound",
            evidence=[files[i % 3].pk] if i % 4 == 0 else [],
            summary=f"第 {i} 次联系",
        )
        if i % 7 == 0:
            contact_correct(actor=actors[0], entry=entry, summary=f"第 {i} 次联系（更正）")


def measure(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_case_page_queries_do_not_grow_with_contacts(
    request, web_as, alice, carol, make_case, log_contact, attach, viewer
):
    client = web_as(request.getfixturevalue(viewer))
    counts = {}
    for n in (1, 100):
        case = make_case(alice)
        seed(case, n, actors=[alice, carol], log_contact=log_contact, attach=attach)
        counts[n] = (
            measure(client, case.get_absolute_url()),
            measure(client, case.get_absolute_url(), channel="phone"),
            measure(client, list_url(case)),
        )
    card = STAFF_CARD if viewer == "carol" else 0
    assert counts[1] == counts[100] == (CASE_PAGE + card, CASE_PAGE_FILTERED + card, CONTACT_LIST)


def test_case_page_with_100_contacts_stays_within_its_budget(
    web_as, alice, carol, alice_case, log_contact, attach, django_assert_max_num_queries
):
    seed(alice_case, 100, actors=[alice, carol], log_contact=log_contact, attach=attach)
    client = web_as(alice)
    with django_assert_max_num_queries(CASE_PAGE):
        response = client.get(alice_case.get_absolute_url())
    assert response.text.count('<li class="event event-contact ') == 100
    assert response.text.count('<li class="event event-contact_corrected') == 15


def test_forms_run_a_fixed_number_of_queries(
    web_as, alice, alice_case, log_contact, attach, django_assert_max_num_queries
):
    from tests.channels.web import edit_url, new_url

    seed(alice_case, 20, actors=[alice], log_contact=log_contact, attach=attach)
    entry = alice_case.contacts.first()
    client = web_as(alice)
    with django_assert_max_num_queries(6):  # session, user, badge, case, bodies, evidence
        assert client.get(new_url(alice_case)).status_code == 200
    # session, user, badge, case, the contact, its evidence, the bodies, the case's evidence
    with django_assert_max_num_queries(8):
        assert client.get(edit_url(entry)).status_code == 200
