"""Issue 13: a decision has a result, and the clocks it starts count from when it was notified.

Before: entering "decided" started the appeal window and, on deposit cases, the refund's
arrival clock, whatever the platform decided, counted from the moment someone moved the case."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from cases.models import Case, CaseEvent
from cases.services import case_transition
from channels.services import contact_log
from config.errors import DomainError
from deadlines.models import Deadline
from deadlines.sweep import sweep_deadlines
from desk.bulk import bulk_apply
from tests.shipped import ship_bodies

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=SH)


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen_now():
    with mock.patch("cases.clock.now", return_value=NOW):
        yield


class EnglishHttps(Client):
    """Over HTTPS (tests run with SECURE_SSL_REDIRECT on), reading the English messages."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def as_alice(alice):
    client = EnglishHttps()
    client.force_login(alice)
    return client


@pytest.fixture
def alice_api(api_as, alice):
    return api_as(alice)


@pytest.fixture
def deposit_case(alice, make_case):
    case = make_case(alice, kind="deposit_refund")
    case_transition(actor=alice, case=case, to="filed")
    return case


def running(case) -> dict[str, Deadline]:
    return {
        d.rule_snapshot["key"]: d
        for d in Deadline.objects.filter(case=case, state__in=["running", "paused"])
    }


def test_a_rejection_starts_the_appeal_window_from_its_notification_not_the_move(
    alice, deposit_case
):
    case_transition(
        actor=alice,
        case=deposit_case,
        to="decided",
        decision_result="rejected",
        decision_notified_at=at(2026, 3, 16, 9, 0),
    )
    clocks = running(deposit_case)
    assert "deposit.refund_arrival" not in clocks  # nothing was granted: no refund to arrive
    window = clocks["appeal.window"]
    assert window.started_at == at(2026, 3, 16, 9, 0)
    assert window.due_at == at(2026, 4, 1, 0, 0)  # 15 days from 03-16, not from 03-20
    case = Case.objects.get(pk=deposit_case.pk)
    assert (case.decision_result, case.decision_notified_at) == (
        "rejected",
        at(2026, 3, 16, 9, 0),
    )


def test_a_granted_refund_starts_the_arrival_clock_and_no_appeal_window(alice, deposit_case):
    case_transition(actor=alice, case=deposit_case, to="decided", decision_result="granted")
    clocks = running(deposit_case)
    assert "appeal.window" not in clocks
    assert clocks["deposit.refund_arrival"].started_at == NOW  # notified: default now


def test_a_partial_grant_starts_both(alice, deposit_case):
    case_transition(actor=alice, case=deposit_case, to="decided", decision_result="partly_granted")
    assert {"appeal.window", "deposit.refund_arrival"} <= set(running(deposit_case))


def test_the_notification_defaults_to_the_platforms_logged_decision(alice, deposit_case):
    ship_bodies()
    platform_said = at(2026, 3, 18, 15, 30)
    contact_log(
        actor=alice,
        case=deposit_case,
        channel="in_app",
        direction="inbound",
        occurred_at=platform_said,
        filing_type="decision_received",
        summary="平台驳回退款申请",
    )
    # A regulator's decision is not the platform's: it does not set the moment.
    contact_log(
        actor=alice,
        case=deposit_case,
        channel="regulator",
        direction="inbound",
        body="12315",
        occurred_at=at(2026, 3, 19, 11, 0),
        filing_type="decision_received",
        summary="12315 答复",
    )
    case_transition(actor=alice, case=deposit_case, to="decided", decision_result="rejected")
    assert Case.objects.get(pk=deposit_case.pk).decision_notified_at == platform_said
    assert running(deposit_case)["appeal.window"].started_at == platform_said

    # After an appeal, the first decision's contact no longer counts: the second is "now".
    case_transition(actor=alice, case=deposit_case, to="appealed")
    case_transition(actor=alice, case=deposit_case, to="decided", decision_result="rejected")
    assert Case.objects.get(pk=deposit_case.pk).decision_notified_at == NOW


def test_a_decision_notified_long_ago_is_overdue_at_once_and_breached_by_the_sweep(
    alice, deposit_case
):
    case_transition(
        actor=alice,
        case=deposit_case,
        to="decided",
        decision_result="rejected",
        decision_notified_at=at(2026, 2, 1, 9, 0),
    )
    window = running(deposit_case)["appeal.window"]
    assert window.due_at < NOW
    assert Case.objects.get(pk=deposit_case.pk).next_due_at == window.due_at
    sweep_deadlines(now=NOW)
    window.refresh_from_db()
    assert window.state == "breached"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({}, "decision_result"),
        ({"decision_result": "maybe"}, "decision_result"),
        (
            {"decision_result": "rejected", "decision_notified_at": NOW + timedelta(hours=1)},
            "decision_notified_at",
        ),
    ],
)
def test_a_decision_without_a_valid_result_or_moment_is_refused(alice, deposit_case, fields, field):
    with pytest.raises(DomainError) as refused:
        case_transition(actor=alice, case=deposit_case, to="decided", **fields)
    assert refused.value.field == field
    assert Case.objects.get(pk=deposit_case.pk).status == "filed"


def test_a_result_on_another_move_is_refused(alice, deposit_case):
    with pytest.raises(DomainError) as refused:
        case_transition(actor=alice, case=deposit_case, to="in_review", decision_result="granted")
    assert refused.value.field == "decision_result"


def test_the_api_records_the_result_and_shows_it(alice_api, deposit_case):
    url = f"/api/v1/cases/{deposit_case.reference}/transitions/"
    missing = alice_api.post(url, {"to": "decided"}, format="json", secure=True)
    assert missing.status_code == 400
    assert missing.json()["field"] == "decision_result"

    done = alice_api.post(
        url,
        {
            "to": "decided",
            "decision_result": "partly_granted",
            "decision_notified_at": "2026-03-19T08:00:00+08:00",
        },
        format="json",
        secure=True,
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["decision_result"] == "partly_granted"
    assert datetime.fromisoformat(body["decision_notified_at"]) == at(2026, 3, 19, 8, 0)
    event = CaseEvent.objects.filter(case=deposit_case, to_status="decided").get()
    assert event.changes["decision_result"] == {"old": "", "new": "partly_granted"}


def test_the_web_form_asks_for_the_result_and_keeps_the_note(as_alice, deposit_case):
    url = f"/cases/{deposit_case.reference}/transition/"
    refused = as_alice.post(url, {"to": "decided", "seen_status": "filed", "note": "平台驳回"})
    assert refused.status_code == 400
    assert refused.context["deciding"]
    assert refused.context["decide_form"].errors["decision_result"]
    assert "平台驳回" in refused.text

    as_alice.post(
        url,
        {
            "to": "decided",
            "seen_status": "filed",
            "decision_result": "rejected",
            "decision_notified_at": "2026-03-19T08:00",
        },
    )
    case = Case.objects.get(pk=deposit_case.pk)
    assert case.decision_notified_at == at(2026, 3, 19, 8, 0)
    page = as_alice.get(case.get_absolute_url())
    summary = page.text.split('id="summary-title"')[1]
    assert "Rejected" in summary.split("</section>")[0]
    moves = [
        item.split('class="event ')[0]
        for item in page.text.split('class="event event-status_changed"')[1:]
    ]
    (move,) = [m for m in moves if "status-decided" in m]
    assert "Rejected" in move, move
    assert "2026-03-19 08:00" in move, move


def test_a_bulk_move_to_decided_needs_the_result(alice, carol, deposit_case):
    with pytest.raises(DomainError) as refused:
        bulk_apply(
            actor=carol, references=[deposit_case.reference], action="status", status="decided"
        )
    assert refused.value.field == "decision_result"
    result = bulk_apply(
        actor=carol,
        references=[deposit_case.reference],
        action="status",
        status="decided",
        decision_result="granted",
    )
    assert result.results[0].done
    assert "deposit.refund_arrival" in running(deposit_case)


def test_a_case_decided_before_results_keeps_its_clocks_and_says_so(as_alice, alice, deposit_case):
    # As the engine did before: every decided clock, from the move, with no result recorded.
    from deadlines.services import deadlines_on_status_entered

    deadlines_on_status_entered(case=deposit_case, from_status="filed", to_status="decided")
    Case.objects.filter(pk=deposit_case.pk).update(status="decided")
    assert {"appeal.window", "deposit.refund_arrival"} <= set(running(deposit_case))

    page = as_alice.get(deposit_case.get_absolute_url())
    assert "recorded before Recourse asked for its result" in page.text
