"""GET/PATCH /api/v1/cases/{reference}/: ETag and 304, edits through case_update."""

import pytest

from cases.models import Case, CaseEvent
from tests.api.conftest import case_url
from tests.conftest import DETAILS


def test_patch_offers_exactly_the_fields_the_service_edits():
    from cases.api.serializers import CaseUpdateSerializer
    from cases.services import EDITABLE_FIELDS

    assert set(CaseUpdateSerializer().fields) == set(EDITABLE_FIELDS)


def test_read_returns_the_case_with_a_strong_etag(alice_api, alice_case):
    response = alice_api.get(case_url(alice_case))
    assert response.status_code == 200
    assert response.json()["reference"] == alice_case.reference
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert alice_api.get(case_url(alice_case))["ETag"] == etag  # stable


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_if_none_match_answers_304_without_a_body(alice_api, alice_case, header):
    etag = alice_api.get(case_url(alice_case))["ETag"]
    response = alice_api.get(case_url(alice_case), HTTP_IF_NONE_MATCH=header.format(etag=etag))
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_a_changed_case_gets_a_new_etag_and_a_200(alice_api, alice, alice_case):
    etag = alice_api.get(case_url(alice_case))["ETag"]
    alice_api.patch(case_url(alice_case), {"priority": "urgent"}, format="json")
    response = alice_api.get(case_url(alice_case), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_another_sellers_etag_guess_is_still_a_404(bob_api, alice_api, alice_case):
    etag = alice_api.get(case_url(alice_case))["ETag"]
    assert bob_api.get(case_url(alice_case), HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_patch_edits_and_writes_one_event_with_old_and_new_values(alice_api, alice, alice_case):
    response = alice_api.patch(
        case_url(alice_case),
        {"title": "保证金 2000 元逾期未退", "amount_claimed": "2000.00", "priority": "urgent"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "保证金 2000 元逾期未退"
    assert response.json()["amount_claimed"] == "2000.00"
    alice_case.refresh_from_db()
    assert alice_case.priority == "urgent"
    event = CaseEvent.objects.filter(case=alice_case).latest("id")
    assert event.kind == "fields_changed"
    assert event.actor == alice
    assert event.changes == {
        "title": {"old": "抖店保证金迟迟不退", "new": "保证金 2000 元逾期未退"},
        "amount_claimed": {"old": None, "new": "2000.00"},
        "priority": {"old": "normal", "new": "urgent"},
    }
    assert response["ETag"] == alice_api.get(case_url(alice_case))["ETag"]


def test_patch_replaces_details_checked_by_the_kind(alice_api, alice_case):
    details = {**DETAILS["deposit_refund"], "store_closed_on": "2026-09-01"}
    response = alice_api.patch(case_url(alice_case), {"details": details}, format="json")
    assert response.status_code == 200
    assert response.json()["details"]["store_closed_on"] == "2026-09-01"
    response = alice_api.patch(case_url(alice_case), {"details": {"store_id": "x"}}, format="json")
    assert response.status_code == 400
    assert "details.deposit_amount" in response.json()["errors"]


def test_patch_without_changes_writes_no_event(alice_api, alice_case):
    response = alice_api.patch(case_url(alice_case), {"title": alice_case.title}, format="json")
    assert response.status_code == 200
    assert CaseEvent.objects.filter(case=alice_case).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "hint"),
    [
        ({"status": "filed"}, "status", "transitions"),
        ({"outcome": "won"}, "outcome", "transitions"),
        ({"reference": "RC-2026-000099"}, "reference", "title"),
        ({"kind": "account_ban"}, "kind", "title"),
        ({"owner": "bob"}, "owner", "title"),
        ({"assignee": "carol"}, "assignee", "title"),
        ({"colour": "red"}, "colour", "title"),
        ({"title": ""}, "title", ""),
        ({"amount_recovered": "-0.01"}, "amount_recovered", ""),
        ({"platform": "ebay"}, "platform", "douyin"),
    ],
)
def test_patch_refuses_read_only_unknown_and_bad_fields(
    alice_api, alice_case, changes, field, hint
):
    before = Case.objects.values().get(pk=alice_case.pk)
    response = alice_api.patch(case_url(alice_case), changes, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert hint in response.json()["errors"][field][0]
    assert Case.objects.values().get(pk=alice_case.pk) == before
    assert CaseEvent.objects.filter(case=alice_case).count() == 1


def test_if_match_with_a_stale_etag_is_a_412_and_changes_nothing(alice_api, alice_case):
    stale = alice_api.get(case_url(alice_case))["ETag"]
    alice_api.patch(case_url(alice_case), {"priority": "urgent"}, format="json")
    response = alice_api.patch(
        case_url(alice_case), {"title": "覆盖"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json()["detail"]
    alice_case.refresh_from_db()
    assert alice_case.title == "抖店保证金迟迟不退"


def test_if_match_with_the_current_etag_edits(alice_api, alice_case):
    current = alice_api.get(case_url(alice_case))["ETag"]
    response = alice_api.patch(
        case_url(alice_case), {"title": "新标题"}, format="json", HTTP_IF_MATCH=current
    )
    assert response.status_code == 200
    assert response["ETag"] != current


def test_unknown_query_parameter_on_a_case_is_a_400(alice_api, alice_case):
    response = alice_api.get(case_url(alice_case) + "?fields=title")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_parameter"


def test_put_and_delete_are_not_allowed(alice_api, alice_case):
    assert alice_api.put(case_url(alice_case), {}, format="json").status_code == 405
    assert alice_api.delete(case_url(alice_case)).status_code == 405
    assert Case.objects.filter(pk=alice_case.pk).exists()


@pytest.mark.parametrize("assigned", [False, True])
def test_read_query_count_is_fixed(
    alice_api, alice_case, carol, django_assert_num_queries, assigned
):
    if assigned:
        Case.objects.filter(pk=alice_case.pk).update(assignee=carol)
    alice_api.get(case_url(alice_case))
    # 1 token (+ its user), 1 case with owner and assignee joined, 1 next running clock.
    with django_assert_num_queries(3):
        alice_api.get(case_url(alice_case))
