"""The case page and the evidence section run a fixed number of queries, however much
evidence a case holds: 1 session + 1 user, then the case, the evidence with its uploaders and
removers (one query), the timeline with its actors."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.services import evidence_remove, evidence_update
from tests.evidence import corpus
from tests.queries import SESSION

# … and the contacts (none here), the directory of bodies, the clocks and the calendar overrides,
# the navigation's unread-notifications badge, and the conversation's messages with their authors
CASE_PAGE = 10 + SESSION
SECTION = 3 + SESSION  # session, user, case, evidence
# Staff also get the assignment card, with the list of staff to assign to (one query).
STAFF_CARD = 1


def case_page_budget(viewer: str) -> int:
    return CASE_PAGE + (STAFF_CARD if viewer == "carol" else 0)


class HttpsClient(Client):
    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


def seed(case, n, *, uploaders, attach):
    """n items: images (with thumbnails), PDFs and text, by several people; every third item
    edited, every fifth removed."""
    kinds = [
        (corpus.png(), "截图.png", "screenshot"),
        (corpus.PDF, "通知.pdf", "platform_notice"),
        (corpus.TXT, "聊天.txt", "chat_log"),
    ]
    for i in range(n):
        data, name, kind = kinds[i % 3]
        actor = uploaders[i % len(uploaders)]
        item = attach(actor, case, data=data, name=f"{i}-{name}", kind=kind, description=f"第{i}份")
        if i % 3 == 2:
            evidence_update(actor=actor, item=item, description=f"第{i}份（改）")
        if i % 5 == 4:
            evidence_remove(actor=uploaders[-1], item=item, reason="重复")


def measure(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_case_page_query_count_does_not_grow_with_evidence(
    request, alice, carol, make_case, attach, django_capture_on_commit_callbacks, viewer
):
    client = HttpsClient()
    client.force_login(request.getfixturevalue(viewer))
    counts = {}
    for n in (1, 30):
        case = make_case(alice)
        with django_capture_on_commit_callbacks(execute=True):
            seed(case, n, uploaders=[alice, carol], attach=attach)
        section = reverse("evidence:section", kwargs={"reference": case.reference})
        counts[n] = (
            measure(client, case.get_absolute_url()),
            measure(client, section, HTTP_X_REQUESTED_WITH="XMLHttpRequest"),
        )
    assert counts[1] == counts[30] == (case_page_budget(viewer), SECTION)


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_case_page_with_30_items_stays_within_its_budget(
    request, alice, carol, make_case, attach, django_assert_max_num_queries, viewer
):
    case = make_case(alice)
    seed(case, 30, uploaders=[alice, carol], attach=attach)
    client = HttpsClient()
    client.force_login(request.getfixturevalue(viewer))
    with django_assert_max_num_queries(case_page_budget(viewer)):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    shown = response.text.count('class="evidence-item')
    assert shown == (30 if viewer == "carol" else 24)
