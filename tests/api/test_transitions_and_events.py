"""POST …/transitions/ (409 with the allowed targets) and GET …/events/ (the timeline)."""

import pytest

from cases.models import Case, CaseEvent
from cases.services import case_add_note, case_transition, case_update
from tests.api.conftest import case_url


def move(client, case, **body):
    return client.post(case_url(case, "case-transitions"), body, format="json")


def test_owner_moves_a_case_through_its_lifecycle_with_notes(alice_api, alice, alice_case):
    for to in ("filed", "in_review", "decided", "appealed"):
        extra = {"decision_result": "rejected"} if to == "decided" else {}
        response = move(alice_api, alice_case, to=to, note=f"→ {to}", **extra)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == to
        assert response["ETag"]
    events = CaseEvent.objects.filter(case=alice_case, kind="status_changed").order_by("id")
    assert [(e.from_status, e.to_status, e.note) for e in events] == [
        ("draft", "filed", "→ filed"),
        ("filed", "in_review", "→ in_review"),
        ("in_review", "decided", "→ decided"),
        ("decided", "appealed", "→ appealed"),
    ]
    assert {e.actor for e in events} == {alice}


def test_illegal_move_is_a_409_with_the_allowed_targets(alice_api, alice_case):
    response = move(alice_api, alice_case, to="resolved", outcome="won")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["status"] == "draft"
    assert body["allowed"] == ["filed", "withdrawn"]
    assert body["detail"]
    alice_case.refresh_from_db()
    assert alice_case.status == "draft"
    assert CaseEvent.objects.filter(case=alice_case).count() == 1


def test_unknown_status_is_a_400_naming_the_statuses(alice_api, alice_case):
    response = move(alice_api, alice_case, to="closed")
    assert response.status_code == 400
    assert "in_review" in response.json()["errors"]["to"][0]


def test_resolving_needs_an_outcome_and_records_the_amount(alice_api, alice, alice_case):
    for to in ("filed", "decided"):
        case_transition(
            actor=alice,
            case=alice_case,
            to=to,
            decision_result="granted" if to == "decided" else None,
        )
    response = move(alice_api, alice_case, to="resolved")
    assert response.status_code == 400
    assert response.json()["field"] == "outcome"
    response = move(
        alice_api, alice_case, to="resolved", outcome="partly_won", amount_recovered="1500.00"
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "partly_won"
    assert response.json()["amount_recovered"] == "1500.00"


@pytest.mark.parametrize(
    "body",
    [
        {"to": "filed", "note": "长" * 2001},
        {"to": "filed", "amount_recovered": "-1"},
        {"to": "filed", "reason": "x"},
        {"note": "no target"},
        {"to": "filed", "outcome": "won"},
    ],
)
def test_bad_transition_input_is_a_400_and_moves_nothing(alice_api, alice_case, body):
    response = move(alice_api, alice_case, **body)
    assert response.status_code == 400, response.content
    alice_case.refresh_from_db()
    assert alice_case.status == "draft"


def test_only_staff_reopen_a_resolved_case(alice_api, carol_api, alice, alice_case):
    case_transition(actor=alice, case=alice_case, to="withdrawn")
    case = Case.objects.get(pk=alice_case.pk)
    for to in ("filed", "in_review"):
        assert move(alice_api, case, to=to).status_code == 409
    resolved = Case.objects.create(
        reference="RC-2026-900001",
        kind="deposit_refund",
        platform="douyin",
        party_role="merchant",
        title="已解决",
        owner=alice,
        status="resolved",
        outcome="won",
    )
    response = move(alice_api, resolved, to="in_review")
    assert response.status_code == 409
    assert response.json()["allowed"] == []
    response = move(carol_api, resolved, to="in_review", note="卖家补充材料后重开")
    assert response.status_code == 200
    assert response.json()["outcome"] is None


def test_events_are_the_timeline_oldest_first(alice_api, alice, carol, alice_case):
    case_transition(actor=alice, case=alice_case, to="filed", note="已提交")
    case_update(actor=carol, case=alice_case, priority="urgent")
    case_add_note(actor=carol, case=alice_case, note="已联系平台")
    response = alice_api.get(case_url(alice_case, "case-events"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["kind"] for row in rows] == [
        "created",
        "status_changed",
        "deadline_started",  # filing starts the platform's first-response clock
        "fields_changed",
        "note",
    ]
    created, filed, _started, edited, note = rows
    assert set(created) == {
        "id",
        "kind",
        "actor",
        "created_at",
        "from_status",
        "to_status",
        "changes",
        "note",
    }
    assert created["from_status"] is None
    assert created["to_status"] == "draft"
    assert (filed["from_status"], filed["to_status"], filed["note"]) == ("draft", "filed", "已提交")
    assert filed["actor"] == "alice"
    assert edited["actor"] == "carol"
    assert edited["changes"] == {"priority": {"old": "normal", "new": "urgent"}}
    assert note["note"] == "已联系平台"


def test_events_paginate_without_duplicates(alice_api, alice, alice_case):
    for i in range(11):
        case_add_note(actor=alice, case=alice_case, note=f"第 {i} 次跟进")
    url, ids = case_url(alice_case, "case-events") + "?page_size=5", []
    while url:
        body = alice_api.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    assert ids == sorted(set(ids))
    assert len(ids) == 12


def test_events_refuse_unknown_parameters(alice_api, alice_case):
    response = alice_api.get(case_url(alice_case, "case-events") + "?kind=note")
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("count", [1, 50])
def test_events_query_count_does_not_grow_with_events(
    alice_api, alice, carol, alice_case, django_assert_num_queries, count
):
    for i in range(count):
        case_add_note(actor=carol if i % 2 else alice, case=alice_case, note=f"{i}")
    alice_api.get(case_url(alice_case, "case-events"))
    # 1 token (+ its user), 1 case, 1 page of events with their actors.
    with django_assert_num_queries(3):
        response = alice_api.get(case_url(alice_case, "case-events") + "?page_size=100")
    assert len(response.json()["results"]) == count + 1
