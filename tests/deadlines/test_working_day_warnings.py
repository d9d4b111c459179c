"""Issue 13: "N working days before" means N working days.

Before: warnings were counted back in natural days, so a clock due Monday 24:00 with a warning
two working days before warned on Saturday, when one working day was left."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from deadlines.calendar import Calendar, warning_moments
from deadlines.models import CalendarOverride, DeadlineRule
from deadlines.services import deadline_start, rule_snapshot

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


WD = {"key": "x", "unit": "working_days", "duration": 5}


@pytest.mark.django_db
def test_two_working_days_before_a_monday_deadline_is_friday():
    due = at(2026, 3, 17, 0, 0)  # Monday 03-16 24:00
    assert warning_moments({**WD, "warn_before": [2]}, due) == [at(2026, 3, 13, 0, 0)]
    assert warning_moments({**WD, "warn_before": [1]}, due) == [at(2026, 3, 16, 0, 0)]


@pytest.mark.django_db
def test_holidays_and_adjusted_working_days_count_as_the_calendar_says():
    # Due Thu 2025-10-09 24:00, after the National Day break (10-01…10-08); 09-28 (Sun) was a
    # 调休 working day: 2 working days left is 00:00 on 09-30, 5 left is 09-26 (Fri).
    due = at(2025, 10, 10, 0, 0)
    assert warning_moments({**WD, "warn_before": [5, 2]}, due) == [
        at(2025, 9, 26, 0, 0),
        at(2025, 9, 30, 0, 0),
    ]
    assert warning_moments({**WD, "warn_before": [3]}, due) == [at(2025, 9, 29, 0, 0)]
    # A staff override making 09-30 a holiday moves it back to the 调休 Sunday.
    CalendarOverride.objects.create(
        date=datetime(2025, 9, 30).date(), is_working_day=False, source="test"
    )
    assert warning_moments({**WD, "warn_before": [3]}, due, cal=Calendar()) == [
        at(2025, 9, 28, 0, 0)
    ]


@pytest.mark.django_db
def test_a_shipped_working_day_rule_warns_in_working_days(alice_case):
    rule = DeadlineRule.objects.get(key="samr.report_verify")  # 15 WD, warns 2 WD before
    with mock.patch("cases.clock.now", return_value=at(2026, 3, 2, 9, 0)):
        clock = deadline_start(case=alice_case, rule=rule, start=at(2026, 3, 2, 9, 0))
    assert clock.due_at == at(2026, 3, 24, 0, 0)  # Monday 03-23 24:00
    assert clock.warn_at == at(2026, 3, 20, 0, 0)  # Friday: two working days left
    assert clock.due_at - clock.warn_at == timedelta(days=4)
    assert warning_moments(rule_snapshot(rule), clock.due_at) == [clock.warn_at]
