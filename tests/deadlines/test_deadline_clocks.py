"""What moves do to the clocks: start, answer (met), pause, resume, cancel."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case
from deadlines.models import Deadline
from deadlines.services import deadlines_on_status_entered

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def move(alice_case):
    """Move the case as the lifecycle service will, at a given moment."""

    def do(to, when, case=alice_case):
        case.refresh_from_db()
        with mock.patch("cases.clock.now", return_value=when):
            deadlines_on_status_entered(case=case, from_status=case.status, to_status=to)
        Case.objects.filter(pk=case.pk).update(status=to, outcome="won" if to == "resolved" else "")
        return {d.rule_snapshot["key"]: d for d in Deadline.objects.filter(case=case)}

    return do


def test_filing_starts_the_platforms_first_response_clock(move):
    clocks = move("filed", at(2026, 3, 2, 10, 0))
    assert set(clocks) == {"platform.first_response"}
    first = clocks["platform.first_response"]
    assert (first.state, first.waiting_on) == ("running", "platform")
    assert first.due_at == at(2026, 3, 10, 0, 0)  # 5 working days, 24:00 of 03-09
    assert first.warn_at == at(2026, 3, 9, 0, 0)  # one day before


def test_an_urgent_case_gets_the_24_hour_clock_instead(move, alice_case):
    Case.objects.filter(pk=alice_case.pk).update(priority="urgent")
    clocks = move("filed", at(2026, 3, 2, 10, 0))
    assert set(clocks) == {"platform.first_response.urgent"}
    assert clocks["platform.first_response.urgent"].due_at == at(2026, 3, 3, 10, 0)


def test_the_platforms_answer_meets_its_clock_and_starts_the_next(move):
    move("filed", at(2026, 3, 2, 10, 0))
    clocks = move("in_review", at(2026, 3, 4, 10, 0))
    assert clocks["platform.first_response"].state == "met"
    assert clocks["platform.decision"].state == "running"
    assert clocks["platform.decision"].due_at == at(2026, 3, 14, 0, 0)


def test_info_requested_pauses_the_platform_and_starts_the_sellers_clock(move):
    move("filed", at(2026, 3, 2, 10, 0))
    move("in_review", at(2026, 3, 4, 10, 0))
    clocks = move("info_requested", at(2026, 3, 6, 12, 0))  # a Friday, noon

    decision = clocks["platform.decision"]
    assert decision.state == "paused"
    # Left: the rest of Friday (12 h) and 03-09…03-13 (5 working days).
    assert decision.remaining == timedelta(days=5)
    reply = clocks["seller.reply"]
    assert (reply.state, reply.waiting_on) == ("running", "seller")
    assert reply.due_at == at(2026, 3, 7, 12, 0)


def test_resuming_keeps_the_remaining_working_time_exactly(move):
    move("filed", at(2026, 3, 2, 10, 0))
    move("in_review", at(2026, 3, 4, 10, 0))
    move("info_requested", at(2026, 3, 6, 12, 0))
    clocks = move("in_review", at(2026, 3, 10, 12, 0))  # resumed Tuesday noon

    decision = clocks["platform.decision"]
    assert decision.state == "running"
    # 12 h + 5 working days from Tue 12:00: the rest of Tue, then Wed…Tue → 03-17 24:00.
    assert decision.due_at == at(2026, 3, 18, 0, 0)
    assert clocks["seller.reply"].state == "met"
    # Entering in_review again starts no second decision clock: the paused one carries on.
    assert Deadline.objects.filter(rule__key="platform.decision", state="running").count() == 1


def test_two_pauses_in_a_row_keep_the_remaining_time(move):
    move("filed", at(2026, 3, 2, 10, 0))
    move("in_review", at(2026, 3, 4, 10, 0))
    move("info_requested", at(2026, 3, 6, 12, 0))
    move("in_review", at(2026, 3, 10, 12, 0))
    clocks = move("info_requested", at(2026, 3, 10, 18, 0))
    assert clocks["platform.decision"].remaining == timedelta(days=5)


def test_closing_cancels_every_open_clock_and_reopening_does_not_breach(move):
    move("filed", at(2026, 3, 2, 10, 0))
    move("decided", at(2026, 3, 3, 10, 0))
    clocks = move("resolved", at(2026, 3, 20, 10, 0))
    assert {d.state for d in clocks.values()} <= {"met", "cancelled"}
    assert clocks["appeal.window"].state == "cancelled"

    clocks = move("in_review", at(2026, 6, 1, 10, 0))  # reopened months later
    decisions = Deadline.objects.filter(rule__key="platform.decision", state="running")
    assert decisions.count() == 1
    assert decisions.get().due_at > at(2026, 6, 1, 10, 0)


def test_a_platform_specific_rule_replaces_the_general_one(move, make_case, alice):
    case = make_case(alice, platform="tiktok_shop")
    clocks = move("decided", at(2026, 3, 2, 10, 0), case=case)
    assert "appeal.window.tiktok_shop" in clocks
    assert "appeal.window" not in clocks
