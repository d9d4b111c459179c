"""Issue 13: pause and resume keep the day boundaries.

Before: a paused clock kept its exact working time, so a working-day clock due Friday 24:00
paused and resumed a second later spilled that second over the weekend to Monday 00:00:01;
a natural-day clock resumed by wall time lost its roll-over."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deadlines.models import Deadline, DeadlineRule
from deadlines.services import deadline_pause, deadline_resume, deadline_start

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SH)


def start(case, key, when) -> Deadline:
    return deadline_start(case=case, rule=DeadlineRule.objects.get(key=key), start=when)


def pause_resume(deadline, paused, resumed) -> Deadline:
    deadline_pause(deadline=deadline, now=paused)
    deadline_resume(deadline=Deadline.objects.get(pk=deadline.pk), now=resumed)
    return Deadline.objects.get(pk=deadline.pk)


def test_a_working_day_clock_paused_for_a_second_on_its_last_friday_is_still_due_friday(
    alice_case,
):
    # 5 working days from Fri 2026-03-06: Mon 09 … Fri 13 → due 03-13 24:00.
    clock = start(alice_case, "platform.first_response", at(2026, 3, 6, 10, 0))
    assert clock.due_at == at(2026, 3, 14, 0, 0)
    clock = pause_resume(clock, at(2026, 3, 13, 10, 0, 0), at(2026, 3, 13, 10, 0, 1))
    assert clock.due_at == at(2026, 3, 14, 0, 0)  # not Monday 00:00:01


def test_a_pause_keeps_whole_working_days(alice_case):
    clock = start(alice_case, "platform.first_response", at(2026, 3, 6, 10, 0))
    deadline_pause(deadline=clock, now=at(2026, 3, 10, 15, 0))  # Tue: Wed, Thu, Fri left
    assert Deadline.objects.get(pk=clock.pk).remaining == timedelta(days=3)
    deadline_resume(deadline=Deadline.objects.get(pk=clock.pk), now=at(2026, 3, 16, 9))
    # Resumed Monday: Tue, Wed, Thu → due 03-19 24:00, at a day's end.
    assert Deadline.objects.get(pk=clock.pk).due_at == at(2026, 3, 20, 0, 0)


def test_a_resumed_natural_day_clock_keeps_its_roll_over(alice, make_case):
    case = make_case(alice)
    # Arbitration accepts within 5 days: from 04-26, day 5 is Fri 05-01 (Labour Day), rolled
    # over to the first working day after the 05-01…05-05 break.
    clock = start(case, "arbitration.accept", at(2026, 4, 26, 9, 0))
    assert clock.rolled_from == date(2026, 5, 1)
    rolled_due = clock.due_at
    clock = pause_resume(clock, at(2026, 4, 27, 9, 0), at(2026, 4, 27, 9, 5))
    assert clock.due_at == rolled_due  # same day: nothing moves, the roll-over holds
    assert clock.rolled_from == date(2026, 5, 1)

    # Paused a day: the 4 days left run from 04-29 and end 05-03, in the break: rolled again.
    clock = pause_resume(clock, at(2026, 4, 27, 9, 0), at(2026, 4, 29, 9, 0))
    assert clock.rolled_from == date(2026, 5, 3)
    assert clock.due_at == rolled_due
