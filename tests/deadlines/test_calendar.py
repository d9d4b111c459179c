"""Calendar arithmetic (deadlines/calendar.py) against docs/deadline-rules.md, "How periods are
counted"."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays
import pytest
from django.apps import apps

from cases.formats import format_due
from deadlines import calendar as cal

# The overrides table is read whenever a day is looked up.
pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=SH)


def _override_model():
    try:
        return apps.get_model("deadlines", "CalendarOverride")
    except LookupError:
        return None


needs_overrides = pytest.mark.skipif(
    _override_model() is None,
    reason="cases.CalendarOverride (the lead's model in cases/models.py) has not landed yet",
)


def override(day: date, *, working: bool, region: str = "CN"):
    return _override_model().objects.create(
        date=day, region=region, is_working_day=working, source="test", note="test"
    )


# --- Working days ---------------------------------------------------------------------------------


def test_working_days_2020_to_2026_match_both_libraries_every_day():
    china = holidays.China()
    mismatches, day = [], date(2020, 1, 1)
    while day <= date(2026, 12, 31):
        ours = cal.is_working_day(day, region="CN")
        theirs = (china.is_working_day(day), chinese_calendar.is_workday(day))
        if theirs != (ours, ours) or cal.is_provisional(day, region="CN"):
            mismatches.append((day.isoformat(), ours, *theirs))
        day += timedelta(days=1)
    assert mismatches == [], "(day, ours, holidays, chinesecalendar) or provisional"


def test_adjusted_weekend_days_work_and_weekends_inside_the_break_do_not():
    assert cal.is_working_day(date(2025, 9, 28), region="CN")  # Sunday, 调休
    assert cal.is_working_day(date(2025, 10, 11), region="CN")  # Saturday, 调休
    # Ordinary weekend inside National Day: not "in" holidays.China(), still a day off.
    assert not cal.is_working_day(date(2025, 10, 4), region="CN")
    assert not cal.is_working_day(date(2025, 10, 1), region="CN")


def test_region_defaults_to_the_setting(settings):
    settings.DEADLINE_REGION = "US"
    assert not cal.is_working_day(date(2025, 7, 4))  # Independence Day
    assert cal.is_working_day(date(2025, 10, 1))  # a workday outside China
    settings.DEADLINE_REGION = "CN"
    assert not cal.is_working_day(date(2025, 10, 1))


def test_an_aware_datetime_is_refused_rather_than_read_as_its_utc_date():
    with pytest.raises(TypeError):
        cal.is_working_day(datetime(2025, 9, 30, 16, 30, tzinfo=UTC), region="CN")


# --- Working-day periods --------------------------------------------------------------------------


def test_12315_complaint_on_2025_09_26_is_due_at_the_end_of_2025_10_13():
    due = cal.add_working_days(sh(2025, 9, 26, 10, 0), 7, region="CN", tz=SH)
    assert due.due_at == sh(2025, 10, 14, 0, 0)
    assert format_due(due.due_at, SH) == "2025-10-13 24:00"
    assert due.provisional is False


def test_a_start_late_in_the_local_evening_counts_from_its_local_date():
    # 23:30 in Shanghai is 15:30 UTC the same day: nothing changes.
    late = sh(2025, 9, 26, 23, 30)
    assert late.astimezone(UTC) == datetime(2025, 9, 26, 15, 30, tzinfo=UTC)
    assert cal.add_working_days(late.astimezone(UTC), 7, region="CN", tz=SH).due_at == sh(
        2025, 10, 14, 0, 0
    )
    # 00:30 on 09-30 in Shanghai is still 09-29 in UTC: the period starts on 10-09 (after the
    # break), not on 09-30, which it would if the UTC date were used.
    early = datetime(2025, 9, 29, 16, 30, tzinfo=UTC)
    due = cal.add_working_days(early, 1, region="CN", tz=SH)
    assert due.due_at == sh(2025, 10, 10, 0, 0)
    assert format_due(due.due_at, "Asia/Shanghai") == "2025-10-09 24:00"
    # The same moment counted in UTC ends on 09-30.
    assert cal.add_working_days(early, 1, region="CN", tz=UTC).due_at == datetime(
        2025, 10, 1, tzinfo=UTC
    )


def test_end_of_day_is_local_midnight_after_the_day():
    assert cal.end_of_day(date(2025, 10, 13), "Asia/Shanghai") == datetime(
        2025, 10, 13, 16, 0, tzinfo=UTC
    )
    assert format_due(sh(2025, 10, 14, 19, 0), SH) == "2025-10-14 19:00"


def test_a_2026_deadline_is_final_and_a_2027_one_provisional():
    assert cal.add_working_days(sh(2026, 12, 21, 9), 5, region="CN", tz=SH).provisional is False
    due = cal.add_working_days(sh(2026, 12, 28, 9), 5, region="CN", tz=SH)
    assert due.provisional is True
    assert cal.is_provisional(date(2027, 3, 1), region="CN")
    assert not cal.is_provisional(date(2026, 12, 31), region="CN")


def test_periods_need_at_least_one_unit():
    with pytest.raises(ValueError):
        cal.add_working_days(sh(2025, 9, 26, 10), 0, region="CN", tz=SH)
    with pytest.raises(ValueError):
        cal.add_natural_days(datetime(2025, 9, 26, 10), 3, region="CN", tz=SH)  # naive


# --- Natural days, months, years ------------------------------------------------------------------


def test_natural_days_with_roll_over_move_off_the_national_day_break():
    # 15 ND from 2025-09-16 (start day not counted) ends on 2025-10-01; the break runs to 10-08.
    start = sh(2025, 9, 16, 14, 0)
    rolled = cal.add_natural_days(start, 15, roll_over=True, region="CN", tz=SH)
    assert rolled.due_at == midnight_after(date(2025, 10, 9))
    fixed = cal.add_natural_days(start, 15, roll_over=False, region="CN", tz=SH)
    assert fixed.due_at == midnight_after(date(2025, 10, 1))
    assert not rolled.provisional and not fixed.provisional


def test_roll_over_stops_on_an_adjusted_saturday_working_day():
    # 15 ND from 2025-09-26 ends on Saturday 2025-10-11, a 调休 working day: it stays.
    due = cal.add_natural_days(sh(2025, 9, 26, 10), 15, roll_over=True, region="CN", tz=SH)
    assert due.due_at == midnight_after(date(2025, 10, 11))


def test_roll_over_off_a_plain_weekend():
    # 7 ND from Friday 2026-03-06 ends Friday 03-13; 8 ND ends Saturday 03-14 → Monday 03-16.
    start = sh(2026, 3, 6, 9)
    assert cal.add_natural_days(start, 7, roll_over=True, region="CN", tz=SH).due_at == (
        midnight_after(date(2026, 3, 13))
    )
    assert cal.add_natural_days(start, 8, roll_over=True, region="CN", tz=SH).due_at == (
        midnight_after(date(2026, 3, 16))
    )


def test_one_month_from_january_31_ends_on_february_28():
    due = cal.add_months(sh(2025, 1, 31, 12), 1, region="CN", tz=SH)
    assert due.due_at == midnight_after(date(2025, 2, 28))
    assert cal.add_months(sh(2024, 1, 31, 12), 1, region="CN", tz=SH).due_at == (
        midnight_after(date(2024, 2, 29))
    )
    assert cal.add_months(sh(2025, 11, 15, 12), 3, region="CN", tz=SH).due_at == (
        midnight_after(date(2026, 2, 15))
    )


def test_three_years_from_a_leap_day_end_on_february_28_and_are_provisional():
    due = cal.add_years(sh(2024, 2, 29, 12), 3, region="CN", tz=SH)
    assert due.due_at == midnight_after(date(2027, 2, 28))
    assert due.provisional is True
    # Same-numbered day otherwise; 2025-10-01 + 1 year rolls off 2026's National Day break.
    rolled = cal.add_years(sh(2025, 10, 1, 12), 1, roll_over=True, region="CN", tz=SH)
    assert rolled.due_at == midnight_after(date(2026, 10, 8))  # break 10-01…10-07 in 2026
    assert rolled.provisional is False


# --- Hours ----------------------------------------------------------------------------------------


def test_hours_run_from_the_exact_moment_through_holidays():
    due = cal.add_hours(sh(2025, 9, 30, 15, 0), 24)
    assert due.due_at == sh(2025, 10, 1, 15, 0)
    assert due.provisional is False


def test_hours_are_elapsed_time_across_a_dst_change():
    # 2025-03-09 02:00 in New York jumps to 03:00: 24 h after 12:00 is 13:00 the next day.
    ny = ZoneInfo("America/New_York")
    due = cal.add_hours(datetime(2025, 3, 8, 12, 0, tzinfo=ny), 24)
    assert due.due_at == datetime(2025, 3, 9, 13, 0, tzinfo=ny)


# --- Pauses ---------------------------------------------------------------------------------------


def test_working_time_round_trip_across_a_weekend():
    paused = sh(2025, 9, 19, 15, 0)  # Friday
    due = midnight_after(date(2025, 9, 22))  # end of Monday
    remaining = cal.working_time_between(paused, due, region="CN", tz=SH)
    assert remaining == timedelta(hours=9 + 24)  # Sat 09-20 and Sun 09-21 count nothing
    assert cal.add_working_time(paused, remaining, region="CN", tz=SH).due_at == due


def test_working_time_round_trip_across_the_national_day_break():
    paused = sh(2025, 9, 30, 15, 0)
    due = midnight_after(date(2025, 10, 9))
    remaining = cal.working_time_between(paused, due, region="CN", tz=SH)
    assert remaining == timedelta(hours=9 + 24)  # 09-30 from 15:00, then 10-09
    assert cal.add_working_time(paused, remaining, region="CN", tz=SH).due_at == due


def test_working_time_running_out_at_24_00_before_a_break_ends_there():
    # Not on 10-09 00:00, after the break: the same working time, but the wrong due moment.
    paused, due = sh(2025, 9, 30, 15), midnight_after(date(2025, 9, 30))
    remaining = cal.working_time_between(paused, due, region="CN", tz=SH)
    assert remaining == timedelta(hours=9)
    assert cal.add_working_time(paused, remaining, region="CN", tz=SH).due_at == due


def test_a_pause_mid_day_gives_back_exactly_the_working_time_it_took():
    # 7 WD from 09-26: due end of 10-13. Paused Fri 10-10 15:00, resumed Mon 10-13 10:00;
    # Sat 10-11 is a working day, so the pause took 9 + 24 + 10 = 43 working hours.
    due = cal.add_working_days(sh(2025, 9, 26, 10), 7, region="CN", tz=SH).due_at
    remaining = cal.working_time_between(sh(2025, 10, 10, 15), due, region="CN", tz=SH)
    assert remaining == timedelta(hours=9 + 24 + 24)
    resumed = cal.add_working_time(sh(2025, 10, 13, 10), remaining, region="CN", tz=SH)
    assert resumed.due_at == sh(2025, 10, 15, 19, 0)  # 10-13 14 h + 10-14 24 h + 10-15 19 h
    assert cal.working_time_between(sh(2025, 10, 10, 15), sh(2025, 10, 13, 10), tz=SH) == (
        timedelta(hours=43)
    )


def test_a_pause_on_non_working_days_changes_nothing():
    assert cal.working_time_between(sh(2025, 10, 1, 9), sh(2025, 10, 8, 18), tz=SH) == (
        timedelta(0)
    )
    # Resumed during the break: the clock starts again on the next working day.
    resumed = cal.add_working_time(sh(2025, 10, 3, 12), timedelta(hours=30), region="CN", tz=SH)
    assert resumed.due_at == sh(2025, 10, 10, 6, 0)
    assert cal.add_working_time(sh(2025, 10, 3, 12), timedelta(0), tz=SH).due_at == (
        sh(2025, 10, 3, 12)
    )


def test_working_time_into_2027_is_provisional():
    due = cal.add_working_time(sh(2026, 12, 31, 12), timedelta(hours=24), region="CN", tz=SH)
    assert due.provisional is True
    due = cal.add_working_time(sh(2026, 12, 30, 12), timedelta(hours=24), region="CN", tz=SH)
    assert due.provisional is False


# --- Overrides ------------------------------------------------------------------------------------


@needs_overrides
def test_an_override_wins_over_the_library():
    override(date(2025, 10, 9), working=False)
    override(date(2025, 10, 4), working=True)
    assert not cal.is_working_day(date(2025, 10, 9), region="CN")
    assert cal.is_working_day(date(2025, 10, 4), region="CN")
    assert cal.is_working_day(date(2025, 10, 9), region="US")  # other regions unaffected


@needs_overrides
def test_an_override_for_a_2027_date_is_honoured_and_the_year_stays_provisional_until_published():
    monday = date(2027, 1, 4)
    assert cal.is_working_day(monday, region="CN")
    assert cal.is_provisional(monday, region="CN")
    override(monday, working=False)
    assert not cal.is_working_day(monday, region="CN")
    # One day entered is not the year's schedule: every 2027 date stays provisional.
    assert cal.is_provisional(monday, region="CN")
    # 1 WD from Sunday 2027-01-03 skips the overridden Monday.
    due = cal.add_working_days(sh(2027, 1, 3, 9), 1, region="CN", tz=SH)
    assert due.due_at == midnight_after(date(2027, 1, 5))
    assert due.provisional is True
    # Marked published by staff, the year is final.
    apps.get_model("deadlines", "PublishedYear").objects.create(
        region="CN", year=2027, source="国务院办公厅通知", published_on=date(2026, 11, 4)
    )
    assert not cal.is_provisional(monday, region="CN")
    due = cal.add_natural_days(sh(2027, 1, 1, 9), 3, region="CN", tz=SH)
    assert due.due_at == midnight_after(monday) and due.provisional is False


@needs_overrides
def test_an_override_changes_working_day_counts_and_pause_arithmetic():
    start = sh(2025, 9, 26, 10)
    paused, due = sh(2025, 9, 30, 15), midnight_after(date(2025, 10, 9))
    override(date(2025, 10, 9), working=False)
    assert cal.add_working_days(start, 7, region="CN", tz=SH).due_at == (
        midnight_after(date(2025, 10, 14))
    )
    assert cal.working_time_between(paused, due, region="CN", tz=SH) == timedelta(hours=9)
    assert cal.add_working_time(paused, timedelta(hours=33), region="CN", tz=SH).due_at == (
        midnight_after(date(2025, 10, 10))
    )
    rolled = cal.add_natural_days(sh(2025, 9, 16, 14), 15, roll_over=True, region="CN", tz=SH)
    assert rolled.due_at == midnight_after(date(2025, 10, 10))


# --- Legal days are Beijing days -----------------------------------------------------------


def test_a_server_in_utc_still_ends_china_s_periods_at_24_00_beijing_time(settings):
    """The worked example with the server's TIME_ZONE set to UTC: the day a complaint arrives
    and the day it is due are Beijing's days (10:00 on 09-26 is 02:00 UTC), and 24:00 is
    Beijing's midnight, not UTC's (which would be 8 hours late)."""
    settings.TIME_ZONE = "UTC"
    due = cal.add_working_days(sh(2025, 9, 26, 10, 0), 7)
    assert due.due_at == midnight_after(date(2025, 10, 13))
    assert due.due_at == datetime(2025, 10, 13, 16, 0, tzinfo=UTC)


def test_a_server_in_utc_reads_a_date_and_its_end_in_beijing(settings):
    """A follow-up date or a detail date ends at 24:00 of that day in Beijing, and a moment
    after 16:00 UTC is already the next Beijing day for natural-day periods."""
    settings.TIME_ZONE = "UTC"
    assert cal.end_of_day(date(2026, 3, 9)) == midnight_after(date(2026, 3, 9))
    # 2026-03-02 17:00 UTC is 03-03 01:00 in Beijing: seven days counted from 03-03.
    due = cal.add_natural_days(datetime(2026, 3, 2, 17, 0, tzinfo=UTC), 7)
    assert due.due_at == midnight_after(date(2026, 3, 10))


def test_the_region_s_zone_is_beijing_for_china_and_the_setting_elsewhere(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert cal.region_zone("CN") == SH
    assert cal.region_zone("cn") == SH
    assert cal.region_zone("US-CA") == ZoneInfo("Europe/Berlin")
