"""POST /api/v1/cases/: the service files the case; bad input is a 400 and saves nothing."""

import pytest

from cases.models import Case, CaseEvent
from tests.api.conftest import LIST_URL, case_url
from tests.conftest import DETAILS


def body(kind="deposit_refund", **fields):
    return {
        "kind": kind,
        "platform": "douyin_shop",
        "title": "抖店退店后保证金 2000 元未退",
        "details": dict(DETAILS.get(kind, DETAILS["deposit_refund"])),
        **fields,
    }


@pytest.mark.parametrize("kind", list(DETAILS))
def test_seller_files_a_case_of_every_kind(alice_api, alice, kind):
    response = alice_api.post(LIST_URL, body(kind), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(reference=data["reference"])
    assert case.owner == alice
    assert case.kind == kind
    assert case.status == "draft"
    assert data["details"] == case.details
    assert response["Location"].endswith(case_url(case))
    assert response["ETag"]
    # Created, then the clocks its dates start (a ban's appeal window, the limitation…).
    kinds = [e.kind for e in CaseEvent.objects.filter(case=case).order_by("id")]
    assert kinds[0] == "created"
    assert set(kinds[1:]) <= {"deadline_started"}


def test_optional_fields_are_stored(alice_api):
    response = alice_api.post(
        LIST_URL,
        body(
            party_role="creator",
            platform_account="抖店-8823",
            description="2026年9月申请退店，已超过 60 天未退。",
            priority="urgent",
            amount_claimed="2000.5",
            currency="cny",
            platform_reference="TK-1",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["party_role"] == "creator"
    assert data["priority"] == "urgent"
    assert data["amount_claimed"] == "2000.50"
    assert data["currency"] == "CNY"
    assert data["platform_reference"] == "TK-1"


def test_party_role_defaults_by_kind(alice_api):
    response = alice_api.post(LIST_URL, body("purchase_complaint"), format="json")
    assert response.json()["party_role"] == "consumer"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "refund"}, "kind"),
        ({"platform": "ebay"}, "platform"),
        ({"title": "长" * 10_000}, "title"),
        ({"title": "   "}, "title"),
        ({"amount_claimed": "-1.00"}, "amount_claimed"),
        ({"amount_claimed": "NaN"}, "amount_claimed"),
        ({"amount_claimed": "1e30"}, "amount_claimed"),
        ({"currency": "元"}, "currency"),
        ({"details": "store DS-1"}, "details"),
        ({"details": None}, "details"),
        ({"status": "resolved"}, "status"),
        ({"owner": "bob"}, "owner"),
        ({"colour": "red"}, "colour"),
        ({"description": "x" * 10_001}, "description"),
        ({"title": "a\x00b"}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(alice_api, changes, field):
    response = alice_api.post(LIST_URL, body(**changes), format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["detail"]
    assert field in data["errors"]
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_unknown_kind_message_names_the_kinds(alice_api):
    response = alice_api.post(LIST_URL, body(kind="refund"), format="json")
    assert "deposit_refund" in response.json()["detail"]


def test_status_in_a_new_case_points_to_transitions(alice_api):
    response = alice_api.post(LIST_URL, body(status="filed"), format="json")
    assert "transitions" in response.json()["errors"]["status"][0]


@pytest.mark.parametrize(
    ("details", "error_field"),
    [
        ({"store_id": "DS-1"}, "details.deposit_amount"),  # missing a required field
        ({**DETAILS["deposit_refund"], "deposit_amount": "-5"}, "details.deposit_amount"),
        ({**DETAILS["deposit_refund"], "store_closed_on": "2026/10/01"}, "details.store_closed_on"),
        ({**DETAILS["deposit_refund"], "store_closed_on": "2099-01-01"}, "details.store_closed_on"),
    ],
)
def test_details_are_checked_by_the_kinds_form(alice_api, details, error_field):
    response = alice_api.post(LIST_URL, body(details=details), format="json")
    assert response.status_code == 400
    assert error_field in response.json()["errors"]
    assert Case.objects.count() == 0


def test_details_of_another_kind_are_refused(alice_api):
    response = alice_api.post(LIST_URL, body(details=DETAILS["account_ban"]), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "details"
    assert "store_id" in response.json()["detail"]  # names what this kind takes


def test_json_only(alice_api):
    response = alice_api.post(LIST_URL, {"kind": "deposit_refund"})  # multipart
    assert response.status_code == 415
    assert Case.objects.count() == 0


@pytest.mark.parametrize("payload", ["[]", '"case"', "{", "null"])
def test_malformed_json_is_a_400(alice_api, payload):
    response = alice_api.generic("POST", LIST_URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
