"""A worked example for every shipped rule: trigger moment → due moment (Asia/Shanghai).

Worked by hand from the 2025 and 2026 State Council holiday notices: National Day 2025 ran
10-01…10-08, with 09-28 (Sun) and 10-11 (Sat) as working days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.models import DeadlineRule
from deadlines.services import compute_due, rule_snapshot

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SH)


# key: (trigger moment, expected due moment, provisional)
EXAMPLES = {
    # Hours run from the exact moment, through holidays.
    "platform.first_response.urgent": (at(2025, 9, 30, 15, 0), at(2025, 10, 1, 15, 0), False),
    "seller.reply": (at(2025, 10, 2, 9, 30), at(2025, 10, 3, 9, 30), False),
    # Working days: the start day is not counted; 调休 Saturdays count; 24:00 of the last day.
    # 09-28 (Sun) is a 调休 working day: 09-28, 09-29, 09-30, 10-09, 10-10.
    "platform.first_response": (at(2025, 9, 26, 10, 0), at(2025, 10, 11, 0, 0), False),
    "samr.accept_decision": (at(2025, 9, 26, 10, 0), at(2025, 10, 14, 0, 0), False),
    "platform.decision": (at(2025, 9, 26, 10, 0), at(2025, 10, 14, 0, 0), False),
    "deposit.exit_review": (at(2025, 9, 30, 16, 0), at(2025, 10, 12, 0, 0), False),
    "deposit.refund_arrival": (at(2026, 3, 2, 11, 0), at(2026, 3, 24, 0, 0), False),
    "samr.report_verify": (at(2026, 3, 2, 11, 0), at(2026, 3, 24, 0, 0), False),
    "odr.firm_negotiation": (at(2026, 3, 2, 11, 0), at(2026, 3, 17, 0, 0), False),
    # Labour Day 2026: 05-09 (Sat) is a 调休 working day, so day 45 is 05-08.
    "samr.mediation_max": (at(2026, 3, 2, 11, 0), at(2026, 5, 9, 0, 0), False),
    # Natural days without roll-over end on the holiday itself.
    "appeal.window": (at(2025, 9, 16, 12, 0), at(2025, 10, 2, 0, 0), False),
    "appeal.window.tiktok_shop": (at(2025, 9, 1, 12, 0), at(2025, 10, 2, 0, 0), False),
    # A platform's own window does not roll over: 15 days from 09-16 end on National Day.
    "appeal.window.ban": (at(2025, 9, 16, 0, 0), at(2025, 10, 2, 0, 0), False),
    "appeal.window.removal": (at(2025, 9, 16, 0, 0), at(2025, 10, 2, 0, 0), False),
    "appeal.window.ban.tiktok_shop": (at(2025, 9, 1, 0, 0), at(2025, 10, 2, 0, 0), False),
    "appeal.window.removal.tiktok_shop": (at(2025, 9, 1, 0, 0), at(2025, 10, 2, 0, 0), False),
    # Working days over National Day: 09-26 (Fri) + 3 → 09-28 (调休 Sun), 09-29, 09-30.
    "takedown.counter_notice": (at(2025, 9, 26, 0, 0), at(2025, 10, 1, 0, 0), False),
    # 15 working days from 2026-03-02: 03-03 … 03-23.
    "deposit.refund_after_closure": (at(2026, 3, 2, 0, 0), at(2026, 3, 24, 0, 0), False),
    "ecom.counter_notice_wait": (at(2026, 3, 2, 9, 0), at(2026, 3, 18, 0, 0), False),
    "consumer.refund_after_return": (at(2026, 3, 2, 9, 0), at(2026, 3, 10, 0, 0), False),
    "consumer.no_reason_return": (at(2026, 3, 2, 9, 0), at(2026, 3, 10, 0, 0), False),
    # 5 days from Mon 03-02 end Sat 03-07: rolled over to Mon 03-09 (民法典 第二百零三条).
    "arbitration.accept": (at(2026, 3, 2, 9, 0), at(2026, 3, 10, 0, 0), False),
    "legal_aid.decision": (at(2026, 3, 2, 9, 0), at(2026, 3, 10, 0, 0), False),
    # Roll-over: 7 ND from 2025-09-24 ends 10-01, a holiday → first working day, 10-09.
    "court.filing_decision": (at(2025, 9, 24, 10, 0), at(2025, 10, 10, 0, 0), False),
    "court.appeal": (at(2025, 9, 16, 10, 0), at(2025, 10, 10, 0, 0), False),
    # Years end on the same-numbered day; 2029 has no published schedule yet.
    "civil.limitation": (at(2026, 1, 31, 10, 0), at(2029, 2, 1, 0, 0), True),
}


def test_every_shipped_rule_has_a_worked_example():
    assert set(DeadlineRule.objects.values_list("key", flat=True)) - {"follow_up"} == set(EXAMPLES)


@pytest.mark.parametrize(("key", "example"), EXAMPLES.items(), ids=list(EXAMPLES))
def test_worked_example(key, example):
    start, due, provisional = example
    result = compute_due(
        snapshot=rule_snapshot(DeadlineRule.objects.get(key=key)), start=start, tz=SH
    )
    assert result.due_at == due
    assert result.provisional is provisional


def test_month_end_leap_day():
    # Three years from 2024-02-29 end on 2027-02-28 (民法典 第二百零二条), a Sunday: the
    # limitation rolls over to Monday 03-01 (第二百零三条). It used to show the Sunday.
    snapshot = rule_snapshot(DeadlineRule.objects.get(key="civil.limitation"))
    result = compute_due(snapshot=snapshot, start=at(2024, 2, 29, 10, 0), tz=SH)
    assert result.due_at == at(2027, 3, 2, 0, 0)  # 24:00 on 2027-03-01
    assert result.rolled_from == date(2027, 2, 28)
    assert result.provisional


def test_follow_up_waits_until_its_date():
    snapshot = rule_snapshot(DeadlineRule.objects.get(key="follow_up"))
    result = compute_due(
        snapshot=snapshot, start=at(2026, 3, 2, 9, 0), until=date(2026, 3, 5), tz=SH
    )
    assert result.due_at == at(2026, 3, 6, 0, 0)
    with pytest.raises(ValueError):
        compute_due(snapshot=snapshot, start=at(2026, 3, 2, 9, 0), tz=SH)


def test_editing_a_rule_does_not_change_a_snapshot_taken_before():
    rule = DeadlineRule.objects.get(key="samr.accept_decision")
    before = rule_snapshot(rule)
    rule.duration = 10
    rule.save()
    assert before["duration"] == 7
