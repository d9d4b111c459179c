"""Every pair of statuses against DESIGN.md's lifecycle table, through the one service."""

import itertools

import pytest

from cases.choices import EventKind, Status
from cases.lifecycle import TRANSITIONS
from cases.models import Case, CaseEvent
from cases.services import case_transition
from config.errors import ConflictError

# DESIGN.md's table, written out again on purpose: the test must not read the code it checks.
TABLE = {
    "draft": {"filed", "withdrawn"},
    "filed": {"in_review", "info_requested", "decided", "escalated", "withdrawn"},
    "in_review": {"info_requested", "decided", "escalated", "withdrawn"},
    "info_requested": {"in_review", "decided", "escalated", "withdrawn"},
    "decided": {"appealed", "escalated", "resolved"},
    "appealed": {"in_review", "info_requested", "decided", "escalated", "withdrawn"},
    "escalated": {"in_review", "decided", "resolved", "withdrawn"},
    "resolved": {"in_review"},
    "withdrawn": set(),
}
ALL_PAIRS = list(itertools.product(Status.values, Status.values))


def _put_in(case: Case, status: str) -> Case:
    """Place a case in a status directly, as a fixture would; the move under test is separate."""
    outcome = {"resolved": "won", "withdrawn": "withdrawn"}.get(status, "")
    Case.objects.filter(pk=case.pk).update(status=status, outcome=outcome)
    case.refresh_from_db()
    return case


def _extra(target: str) -> dict:
    if target == "decided":
        return {"decision_result": "rejected"}
    return {"outcome": "partly_won", "amount_recovered": "800.00"} if target == "resolved" else {}


def test_the_table_in_code_is_the_table_in_the_design():
    assert {k: set(v) for k, v in TRANSITIONS.items()} == TABLE


@pytest.mark.parametrize(
    ("source", "target"), [p for p in ALL_PAIRS if p[1] in TABLE[p[0]]], ids="{0[0]}->{0[1]}".format
)
def test_allowed_move_changes_status_and_writes_one_event(carol, alice, make_case, source, target):
    case = _put_in(make_case(alice), source)
    events_before = CaseEvent.objects.filter(case=case).count()

    moved = case_transition(actor=carol, case=case, to=target, note="平台已回复", **_extra(target))

    assert moved.status == target
    assert Case.objects.get(pk=case.pk).status == target
    new_events = list(CaseEvent.objects.filter(case=case).order_by("id")[events_before:])
    # One status event per move; anything else it writes is about the case's clocks.
    status_events = [e for e in new_events if e.kind == EventKind.STATUS_CHANGED]
    assert len(status_events) == 1
    assert all(e.kind.startswith("deadline_") for e in new_events if e not in status_events)
    event = status_events[0]
    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.STATUS_CHANGED,
        source,
        target,
    )
    assert event.actor == carol
    assert event.note == "平台已回复"


@pytest.mark.parametrize(
    ("source", "target"),
    [p for p in ALL_PAIRS if p[1] not in TABLE[p[0]]],
    ids="{0[0]}->{0[1]}".format,
)
def test_forbidden_move_is_refused_with_the_allowed_targets_and_changes_nothing(
    carol, alice, make_case, source, target
):
    case = _put_in(make_case(alice), source)
    events_before = CaseEvent.objects.filter(case=case).count()

    with pytest.raises(ConflictError) as refused:
        case_transition(actor=carol, case=case, to=target, **_extra(target))

    assert set(refused.value.extra["allowed"]) == TABLE[source]
    assert Case.objects.get(pk=case.pk).status == source
    assert CaseEvent.objects.filter(case=case).count() == events_before


def test_only_staff_may_reopen_a_resolved_case(alice, carol, make_case):
    case = _put_in(make_case(alice), "resolved")

    with pytest.raises(ConflictError) as refused:
        case_transition(actor=alice, case=case, to="in_review")
    assert refused.value.extra["allowed"] == []

    reopened = case_transition(actor=carol, case=case, to="in_review", note="新证据")
    assert reopened.status == "in_review"
    assert reopened.outcome == ""
    assert reopened.closed_at is None


def test_seller_moves_own_case_through_the_lifecycle(alice, make_case):
    case = make_case(alice)
    for target in ["filed", "in_review", "decided", "appealed", "decided", "resolved"]:
        case = case_transition(
            actor=alice, case=case, to=target, note=f"→ {target}", **_extra(target)
        )

    assert case.status == "resolved"
    assert case.outcome == "partly_won"
    assert str(case.amount_recovered) == "800.00"
    assert case.closed_at is not None
    history = list(
        case.events.exclude(kind__startswith="deadline_")
        .order_by("id")
        .values_list("kind", "to_status")
    )
    assert history[0] == ("created", "draft")
    assert [to for kind, to in history[1:]] == [
        "filed",
        "in_review",
        "decided",
        "appealed",
        "decided",
        "resolved",
    ]
