"""Every contacts URL: the owner and staff get in, another seller gets the same 404 as for a
case that does not exist, anonymous gets a JSON 401; and the queries each list takes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import EventKind
from cases.models import Case
from channels.models import ChannelEntry
from tests.api.contact_helpers import contact_url, list_url, log, payload

MISSING_CASE = Case(reference="RC-2026-999999")


@pytest.fixture
def entry(alice, alice_case):
    return log(alice, alice_case)


# (name, method, url for (case, entry), request kwargs, status for those allowed)
ENDPOINTS = [
    ("list", "get", lambda case, entry: list_url(case), {}, 200),
    (
        "log",
        "post",
        lambda case, entry: list_url(case),
        {"data": payload(summary="另一通电话"), "format": "json"},
        201,
    ),
    ("read", "get", lambda case, entry: contact_url(entry, reference=case.reference), {}, 200),
    (
        "correct",
        "patch",
        lambda case, entry: contact_url(entry, reference=case.reference),
        {"data": {"summary": "改过的摘要"}, "format": "json"},
        200,
    ),
]
IDS = [endpoint[0] for endpoint in ENDPOINTS]


def _call(client, endpoint, case, entry):
    _name, method, url, kwargs, _status = endpoint
    return getattr(client, method)(url(case, entry), **kwargs)


def _unchanged(case, entry):
    assert ChannelEntry.objects.filter(case=case).count() == 1
    assert ChannelEntry.objects.get(pk=entry.pk).summary == entry.summary
    assert not case.events.filter(kind=EventKind.CONTACT_CORRECTED).exists()
    assert case.events.filter(kind=EventKind.CONTACT_LOGGED).count() == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_owner_can_use_every_contacts_endpoint(alice_api, alice_case, entry, endpoint):
    response = _call(alice_api, endpoint, alice_case, entry)
    assert response.status_code == endpoint[4], response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_staff_can_use_every_contacts_endpoint(carol_api, alice_case, entry, endpoint):
    response = _call(carol_api, endpoint, alice_case, entry)
    assert response.status_code == endpoint[4], response.content
    if endpoint[0] == "log":
        assert response.json()["logged_by"] == "carol"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_seller_gets_404_for_other_sellers_contacts(bob_api, alice_case, entry, endpoint):
    response = _call(bob_api, endpoint, alice_case, entry)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    _unchanged(alice_case, entry)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_other_sellers_contacts_and_missing_ones_answer_alike(
    bob_api, bob, make_case, alice_case, entry, endpoint
):
    theirs = _call(bob_api, endpoint, alice_case, entry)
    missing_case = _call(bob_api, endpoint, MISSING_CASE, entry)
    assert theirs.status_code == missing_case.status_code == 404
    assert theirs.json() == missing_case.json()
    if endpoint[0] in ("read", "correct"):
        # Bob's own case with the id of a contact on Alice's.
        own_case_their_contact = _call(bob_api, endpoint, make_case(bob), entry)
        assert own_case_their_contact.status_code == 404
        assert own_case_their_contact.json() == theirs.json()
    _unchanged(alice_case, entry)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401_json(api_client, alice_case, entry, endpoint):
    response = _call(api_client, endpoint, alice_case, entry)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    _unchanged(alice_case, entry)


def test_session_clients_need_the_csrf_token_to_log(alice, alice_case):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get(list_url(alice_case)).status_code == 200
    response = client.post(list_url(alice_case), payload(), format="json")
    assert response.status_code == 403
    assert not ChannelEntry.objects.exists()


# --- Queries -------------------------------------------------------------------------------


def _log_many(actor, case, count):
    return [log(actor, case, summary=f"第 {n} 次联系") for n in range(count)]


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_list_takes_the_same_queries_for_one_contact_and_a_hundred(
    request, api_as, alice, alice_case, persona, django_assert_num_queries
):
    client = api_as(request.getfixturevalue(persona))
    url = list_url(alice_case) + "?page_size=100"
    _log_many(alice, alice_case, 1)
    client.get(url)  # the token's last-used time is written on its first use only

    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["results"]) == 1
    _log_many(alice, alice_case, 99)
    # token + case + page of contacts (bodies and loggers joined) + their evidence links.
    with django_assert_num_queries(4) as hundred:
        assert len(client.get(url).json()["results"]) == 100
    assert len(hundred.captured_queries) == len(one.captured_queries)


def test_filtered_second_page_takes_the_same_queries(
    alice_api, alice, alice_case, django_assert_num_queries
):
    _log_many(alice, alice_case, 5)
    alice_api.get(list_url(alice_case))
    first = alice_api.get(list_url(alice_case) + "?channel=phone&page_size=2").json()
    with django_assert_num_queries(4):
        assert len(alice_api.get(first["next"]).json()["results"]) == 2


def test_read_takes_a_fixed_number_of_queries(
    alice_api, alice, alice_case, entry, django_assert_num_queries
):
    alice_api.get(contact_url(entry))
    # token + case + contact (body and logger joined) + its evidence links.
    with django_assert_num_queries(4):
        assert alice_api.get(contact_url(entry)).status_code == 200
