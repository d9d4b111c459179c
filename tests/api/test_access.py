"""Every case endpoint: the owner and staff get in, another seller gets 404, nobody 401."""

import pytest

from cases.choices import Status
from cases.models import Case, CaseEvent
from tests.api.conftest import LIST_URL, case_url

ENDPOINTS = [
    ("get", "case-detail", None),
    ("patch", "case-detail", {"title": "抖店保证金 已申请退店"}),
    ("post", "case-transitions", {"to": "filed", "note": "已在抖店后台提交"}),
    ("get", "case-events", None),
]


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_owner_can_use_every_case_endpoint(alice_api, alice_case, method, name, body):
    response = getattr(alice_api, method)(case_url(alice_case, name), body, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_staff_can_use_every_case_endpoint(carol_api, alice_case, method, name, body):
    response = getattr(carol_api, method)(case_url(alice_case, name), body, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_seller_cannot_see_other_sellers_case(bob_api, alice_case, method, name, body):
    response = getattr(bob_api, method)(case_url(alice_case, name), body, format="json")
    assert response.status_code == 404
    assert response.json()["detail"]
    alice_case.refresh_from_db()
    assert alice_case.status == Status.DRAFT
    assert alice_case.title == "抖店保证金迟迟不退"
    assert CaseEvent.objects.filter(case=alice_case).count() == 1


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_missing_case_and_other_sellers_case_answer_alike(bob_api, alice_case, method, name, body):
    theirs = getattr(bob_api, method)(case_url(alice_case, name), body, format="json")
    missing = getattr(bob_api, method)(
        case_url(Case(reference="RC-2026-999999"), name), body, format="json"
    )
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


@pytest.mark.parametrize(("method", "name", "body"), ENDPOINTS)
def test_anonymous_gets_401_json(api_client, alice_case, method, name, body):
    response = getattr(api_client, method)(case_url(alice_case, name), body, format="json")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_cannot_list_or_create(api_client, db, method):
    response = getattr(api_client, method)(LIST_URL, {}, format="json")
    assert response.status_code == 401
    assert Case.objects.count() == 0


def test_revoked_token_is_refused(api_client, alice, alice_case):
    from accounts.services import token_create, token_revoke

    token, key = token_create(actor=alice, name="ERP")
    token_revoke(actor=alice, token=token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(LIST_URL).status_code == 401


def test_seller_lists_only_own_cases_and_staff_lists_all(
    alice_api, bob_api, carol_api, alice, bob, make_case
):
    mine = make_case(alice)
    theirs = make_case(bob)

    def refs(client):
        return {row["reference"] for row in client.get(LIST_URL).json()["results"]}

    assert refs(alice_api) == {mine.reference}
    assert refs(bob_api) == {theirs.reference}
    assert refs(carol_api) == {mine.reference, theirs.reference}


def test_session_authentication_works_for_the_browser(client, alice, alice_case):
    from tests.conftest import PASSWORD

    assert client.login(username="alice", password=PASSWORD)
    response = client.get(case_url(alice_case))
    assert response.status_code == 200
    assert response.json()["reference"] == alice_case.reference


def test_a_browser_gets_json_too(client, alice, alice_case):
    from tests.conftest import PASSWORD

    assert client.login(username="alice", password=PASSWORD)
    for name in ("case-detail", "case-events"):
        response = client.get(
            case_url(alice_case, name), HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
