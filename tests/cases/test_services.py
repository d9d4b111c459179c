"""Filing and editing cases through the services: validation, normalisation, audit."""

import re

import pytest

from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.services import case_add_note, case_create, case_transition, case_update
from config.errors import DomainError
from tests.conftest import DETAILS


@pytest.mark.parametrize("kind", list(DETAILS))
def test_each_kind_is_filed_as_a_draft_with_its_details_and_default_role(alice, kind):
    case = case_create(
        actor=alice, kind=kind, platform="douyin", title="申诉", details=DETAILS[kind]
    )

    assert re.fullmatch(r"RC-\d{4}-\d{6}", case.reference)
    assert case.status == "draft"
    assert case.details == DETAILS[kind]
    expected_role = {
        "deposit_refund": "merchant",
        "store_removal": "merchant",
        "account_ban": "creator",
        "content_takedown": "creator",
        "purchase_complaint": "consumer",
    }[kind]
    assert case.party_role == expected_role
    event = CaseEvent.objects.get(case=case, kind="created")
    assert (event.kind, event.actor, event.to_status) == (EventKind.CREATED, alice, "draft")


def test_details_are_normalised_to_iso_dates_and_decimal_strings(alice):
    case = case_create(
        actor=alice,
        kind="deposit_refund",
        platform="douyin_shop",
        title="保证金未退",
        details={"store_id": " DS-1 ", "deposit_amount": 2000, "exit_applied_on": "2026-09-01"},
    )
    assert case.details == {
        "store_id": "DS-1",
        "deposit_amount": "2000",
        "exit_applied_on": "2026-09-01",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "refund_please"}, "kind"),
        ({"platform": "myspace"}, "platform"),
        ({"details": {"store_id": "DS-1"}}, "details.deposit_amount"),
        ({"details": {"store_id": "DS-1", "deposit_amount": "-5"}}, "details.deposit_amount"),
        ({"details": {**DETAILS["deposit_refund"], "colour": "red"}}, "details"),
        (
            {"details": {**DETAILS["deposit_refund"], "exit_applied_on": "01/09/2026"}},
            "details.exit_applied_on",
        ),
        (
            {"details": {**DETAILS["deposit_refund"], "exit_applied_on": "2099-01-01"}},
            "details.exit_applied_on",
        ),
        ({"details": ["not", "an", "object"]}, "details"),
        ({"amount_claimed": "-1"}, "amount_claimed"),
        ({"amount_claimed": "lots"}, "amount_claimed"),
        ({"title": "长" * 10_000}, "title"),
        ({"title": "   "}, "title"),
        ({"party_role": "landlord"}, "party_role"),
        ({"priority": "whenever"}, "priority"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(alice, changes, field):
    fields = {
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "保证金未退",
        "details": DETAILS["deposit_refund"],
        **changes,
    }
    with pytest.raises(DomainError) as refused:
        case_create(actor=alice, **fields)

    assert refused.value.field == field
    assert str(refused.value.message)
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_purchase_cannot_arrive_before_it_was_bought(alice):
    details = {**DETAILS["purchase_complaint"], "goods_received_on": "2026-09-01"}
    with pytest.raises(DomainError) as refused:
        case_create(
            actor=alice, kind="purchase_complaint", platform="taobao", title="x", details=details
        )
    assert refused.value.field == "details.goods_received_on"


def test_edit_writes_one_event_with_old_and_new_values(alice, alice_case):
    case_update(
        actor=alice,
        case=alice_case,
        title="抖店保证金 2000 元未退",
        amount_claimed="2000.00",
        details={**DETAILS["deposit_refund"], "store_closed_on": "2026-09-15"},
    )

    event = alice_case.events.get(kind=EventKind.FIELDS_CHANGED)
    assert event.actor == alice
    assert event.changes["title"] == {"old": "抖店保证金迟迟不退", "new": "抖店保证金 2000 元未退"}
    assert event.changes["amount_claimed"] == {"old": None, "new": "2000.00"}
    assert event.changes["details"]["new"]["store_closed_on"] == "2026-09-15"
    alice_case.refresh_from_db()
    assert alice_case.title == "抖店保证金 2000 元未退"


def test_edit_that_changes_nothing_writes_no_event(alice, alice_case):
    case_update(actor=alice, case=alice_case, title=alice_case.title)
    assert not alice_case.events.filter(kind=EventKind.FIELDS_CHANGED).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "resolved"},
        {"reference": "RC-2000-000001"},
        {"kind": "account_ban"},
        {"title": ""},
        {"amount_recovered": "-3"},
        {"details": {"store_id": ""}},
    ],
)
def test_bad_edit_is_refused_and_leaves_the_case_as_it_was(alice, alice_case, changes):
    with pytest.raises(DomainError):
        case_update(actor=alice, case=alice_case, **changes)
    fresh = Case.objects.get(pk=alice_case.pk)
    assert (fresh.status, fresh.title, fresh.details) == (
        "draft",
        alice_case.title,
        alice_case.details,
    )
    assert not fresh.events.filter(kind=EventKind.FIELDS_CHANGED).exists()


def test_resolving_asks_for_an_outcome(alice, alice_case):
    case = alice_case
    for target in ["filed", "decided"]:
        extra = {"decision_result": "granted"} if target == "decided" else {}
        case = case_transition(actor=alice, case=case, to=target, **extra)

    with pytest.raises(DomainError) as refused:
        case_transition(actor=alice, case=case, to="resolved")
    assert refused.value.field == "outcome"
    assert Case.objects.get(pk=case.pk).status == "decided"


def test_outcome_is_refused_on_a_move_that_is_not_resolving(alice, alice_case):
    with pytest.raises(DomainError) as refused:
        case_transition(actor=alice, case=alice_case, to="filed", outcome="won")
    assert refused.value.field == "outcome"


def test_withdrawing_records_the_outcome(alice, alice_case):
    case = case_transition(actor=alice, case=alice_case, to="withdrawn", note="已和解")
    assert (case.status, case.outcome) == ("withdrawn", "withdrawn")


def test_unknown_status_is_a_400_not_a_409(alice, alice_case):
    with pytest.raises(DomainError) as refused:
        case_transition(actor=alice, case=alice_case, to="closed")
    assert refused.value.status == 400


def test_overlong_note_is_refused(alice, alice_case):
    with pytest.raises(DomainError):
        case_transition(actor=alice, case=alice_case, to="filed", note="字" * 2001)
    assert Case.objects.get(pk=alice_case.pk).status == "draft"


def test_notes_go_into_the_timeline(alice, alice_case):
    event = case_add_note(actor=alice, case=alice_case, note="客服电话无人接听")
    assert event.kind == EventKind.NOTE
    assert list(alice_case.events.values_list("kind", flat=True)) == ["created", "note"]


def test_empty_note_is_refused(alice, alice_case):
    with pytest.raises(DomainError):
        case_add_note(actor=alice, case=alice_case, note="  ")


def test_events_cannot_be_rewritten_or_deleted(alice_case):
    event = alice_case.events.get()
    event.note = "tampered"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=alice_case).update(note="tampered")
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(case=alice_case).delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""
