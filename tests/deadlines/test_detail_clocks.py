"""Issue 13: the facts a seller types drive the clocks they imply.

Before: a deposit case whose exit was applied for 97 days ago showed no exit-review clock (it
started only from a logged contact) and nothing about the refund; a ban or takedown date
started nothing."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from cases.services import case_transition, case_update
from channels.services import contact_log
from deadlines.models import Deadline
from deadlines.sweep import sweep_deadlines

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=SH)


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen_now():
    with mock.patch("cases.clock.now", return_value=NOW):
        yield


def open_clocks(case) -> dict[str, Deadline]:
    return {
        d.rule_snapshot["key"]: d
        for d in Deadline.objects.filter(case=case, state__in=["running", "paused"])
    }


def deposit_details(**dates):
    return {"store_id": "DY-1", "deposit_amount": "2000.00", **dates}


def test_a_deposit_held_97_days_after_the_exit_is_overdue_when_the_case_is_created(
    alice, make_case
):
    applied = (NOW - timedelta(days=97)).date()
    case = make_case(alice, details=deposit_details(exit_applied_on=applied.isoformat()))
    review = open_clocks(case)["deposit.exit_review"]
    assert review.started_at == datetime.combine(applied, datetime.min.time(), tzinfo=SH)
    assert review.due_at < NOW  # overdue from the start, not "3 working days left"
    case.refresh_from_db()
    assert case.next_due_at == review.due_at

    sweep_deadlines(now=NOW)
    review.refresh_from_db()
    assert review.state == "breached"


def test_the_store_closing_starts_the_refund_clock(alice, make_case):
    case = make_case(alice, details=deposit_details(store_closed_on="2026-03-02"))
    refund = open_clocks(case)["deposit.refund_after_closure"]
    assert refund.due_at == at(2026, 3, 24, 0, 0)  # 15 working days after 03-02
    assert refund.waiting_on == "platform"


def test_logging_the_exit_application_restarts_the_clock_from_the_contact(alice, make_case):
    case = make_case(alice, details=deposit_details(exit_applied_on="2026-03-02"))
    contact_log(
        actor=alice,
        case=case,
        channel="in_app",
        direction="outbound",
        occurred_at=at(2026, 3, 3, 9, 0),
        filing_type="exit_application",
        summary="提交退店申请",
    )
    clocks = Deadline.objects.filter(case=case, rule__key="deposit.exit_review")
    assert [d.state for d in clocks.order_by("id")] == ["cancelled", "running"]
    running = clocks.get(state="running")
    assert running.contact is not None
    # Editing the typed date now leaves the contact's clock alone: the contact is the record.
    case_update(actor=alice, case=case, details=deposit_details(exit_applied_on="2026-03-01"))
    assert open_clocks(case)["deposit.exit_review"].pk == running.pk


def test_a_ban_date_starts_the_appeal_window_and_filing_the_appeal_meets_it(alice, make_case):
    case = make_case(
        alice,
        kind="account_ban",
        platform="kuaishou",
        details={"account_id": "KS-1", "ban_type": "permanent", "banned_on": "2026-03-15"},
    )
    window = open_clocks(case)["appeal.window.ban"]
    assert window.due_at == at(2026, 3, 31, 0, 0)  # 15 days, no roll-over
    assert window.waiting_on == "seller"
    case_transition(actor=alice, case=case, to="filed")
    window.refresh_from_db()
    assert window.state == "met"
    # A date corrected after the appeal was filed starts no new window.
    case_update(
        actor=alice,
        case=case,
        details={"account_id": "KS-1", "ban_type": "permanent", "banned_on": "2026-03-14"},
    )
    assert "appeal.window.ban" not in open_clocks(case)


def test_tiktok_shop_sets_its_own_window_for_a_ban(alice, make_case):
    case = make_case(
        alice,
        kind="account_ban",
        platform="tiktok_shop",
        details={"account_id": "TT-1", "ban_type": "temporary", "banned_on": "2026-03-15"},
    )
    clocks = open_clocks(case)
    assert "appeal.window.ban" not in clocks
    assert clocks["appeal.window.ban.tiktok_shop"].due_at == at(2026, 4, 15, 0, 0)


def test_a_store_removal_notice_starts_its_appeal_window(alice, make_case):
    case = make_case(
        alice,
        kind="store_removal",
        details={"store_id": "S-1", "violation_cited": "售假", "notice_received_on": "2026-03-10"},
    )
    assert open_clocks(case)["appeal.window.removal"].due_at == at(2026, 3, 26, 0, 0)


def test_a_takedown_date_starts_the_counter_notice_window_met_by_the_counter_notice(
    alice, make_case
):
    case = make_case(
        alice,
        kind="content_takedown",
        platform="douyin",
        details={
            "content_url": "https://www.douyin.com/video/1",
            "takedown_reason": "copyright",
            "taken_down_on": "2026-03-18",
        },
    )
    window = open_clocks(case)["takedown.counter_notice"]
    assert window.due_at == at(2026, 3, 24, 0, 0)  # 3 working days: Thu, Fri, then Mon 03-23
    contact_log(
        actor=alice,
        case=case,
        channel="email",
        direction="outbound",
        occurred_at=at(2026, 3, 19, 9, 0),
        filing_type="counter_notice",
        summary="提交不侵权声明",
    )
    window.refresh_from_db()
    assert window.state == "met"
    # …and the counter-notice starts the rights holder's 15 days (电子商务法 第四十三条).
    assert "ecom.counter_notice_wait" in open_clocks(case)


def test_the_clock_says_it_counts_from_the_typed_date(client, alice, make_case):
    case = make_case(alice, details=deposit_details(store_closed_on="2026-03-02"))
    client.force_login(alice)
    page = client.get(case.get_absolute_url(), secure=True, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Counted from 2026-03-02, the date “Store closed on” in the case details." in html
    # Its start reads as the day it counts from, not as 24:00 of the day before.
    assert "2026-03-02 00:00" in html and "2026-03-01 24:00" not in html
    assert date(2026, 3, 2).isoformat() in html
