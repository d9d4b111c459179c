"""Calendar arithmetic for deadlines: working days, period ends, provisional years, pauses.

Counting follows docs/deadline-rules.md ("How periods are counted", generated from the rules):

- Periods in days, months and years do not count the start day: they start on the next *local*
  day (民法典 Art 201). Periods in hours run from the exact moment.
- A day-period ends at 24:00 local time on its last day (Art 203). A `Due.due_at` is that
  moment, i.e. 00:00 of the following day; `cases.formats.format_due` shows it as
  "2025-10-13 24:00".
- Working days skip weekends and statutory holidays and count the adjusted weekend working
  days (调休). Natural-day, month and year periods may roll over: a last day that is not a
  working day moves to the first working day after it (Art 203; 民事诉讼法 Art 85).
- Months and years end on the same-numbered day, or the month's last day (Art 202).
- A year with no published holiday schedule is computed from the fixed statutory holidays and
  marked provisional. Staff overrides (`deadlines.CalendarOverride`) win over the libraries.

Everything here is a pure function of its arguments, the overrides table and the installed
libraries; "now" never enters. Dates are always local dates in the given time zone.

The region defaults to settings.DEADLINE_REGION, read at call time; a region is an ISO country
code, optionally with a subdivision ("US-CA"). Legal days are the region's days: the time zone
defaults to the region's (`region_zone`: Asia/Shanghai for China), whatever TIME_ZONE the
server runs with; a user's own zone changes only how a moment is shown.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import chinese_calendar
import holidays
from django.apps import apps
from django.conf import settings

from deadlines.choices import DeadlineUnit

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Due:
    due_at: datetime  # aware; for day-periods 00:00 local after the last day (= its 24:00)
    provisional: bool  # some day it depends on falls in a year with no published schedule
    # The period's own last day when a roll-over moved it to a later working day (shown to the
    # user beside the new one: "原定 5月2日，遇法定节假日顺延至 5月6日"); None otherwise.
    rolled_from: date | None = None


# --- The calendar -------------------------------------------------------------------------------


@functools.cache
def _library_calendar(region: str) -> holidays.HolidayBase:
    if region == "CN":
        # China() counts the 调休 weekend working days in is_working_day (STACK-NOTES).
        return holidays.China()
    country, _, subdivision = region.partition("-")
    return holidays.country_holidays(country, subdiv=subdivision or None)


@functools.cache
def library_published_years(region: str) -> tuple[int, ...]:
    """The years the bundled calendar data publishes for the region. For China, the years
    chinesecalendar carries (it raises for a year without the State Council's schedule, where
    `holidays` silently guesses without 调休): 2004 to 2026 in 1.11."""
    if region == "CN":
        years = []
        for year in range(2004, 2101):
            try:
                chinese_calendar.is_workday(date(year, 6, 1))
            except NotImplementedError:
                continue
            years.append(year)
        return tuple(years)
    cls = type(_library_calendar(region))
    return tuple(range(cls.start_year, cls.end_year + 1))


def library_versions() -> str:
    """The calendar libraries in use, as recorded by `calendar_refresh`."""
    return f"holidays {holidays.__version__}; chinesecalendar {chinese_calendar.__version__}"


def _library_is_working_day(day: date, region: str) -> bool:
    # One source per year: a year China published is read from chinesecalendar, which also
    # says which years those are; only an unpublished year (provisional) falls back to the
    # fixed statutory holidays `holidays` knows. So "provisional" and "working" never come
    # from two libraries that might disagree.
    if region == "CN" and day.year in library_published_years(region):
        return chinese_calendar.is_workday(day)
    return _library_calendar(region).is_working_day(day)


def _load_published(region: str, year: int) -> bool:
    try:
        model = apps.get_model("deadlines", "PublishedYear")
    except LookupError:
        return False
    return model.objects.filter(region=region, year=year).exists()


def _load_overrides(region: str, year: int) -> dict[date, bool]:
    # Looked up lazily so this module imports (and works, with no overrides) before the model
    # exists and inside migrations.
    # Never cached beyond one Calendar (one computation): an override saved or deleted in the
    # admin applies from its commit in every process, the web's and a long-running worker's,
    # with nothing to invalidate (deadlines.calendar_services). Only the libraries' calendars,
    # which no override changes, are cached (_library_calendar).
    try:
        model = apps.get_model("deadlines", "CalendarOverride")
    except LookupError:
        return {}
    rows = model.objects.filter(
        region=region, date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
    ).values_list("date", "is_working_day")
    return dict(rows)


class Calendar:
    """One region's working days, with its overrides read once per year and call.

    `examined` records whether any day looked at lies in an unpublished year, which makes the
    result of the whole computation provisional. Use a fresh Calendar per computation (the
    module functions do); reuse one only for a batch that should see the same overrides.
    """

    def __init__(self, region: str | None = None):
        self.region = (region or settings.DEADLINE_REGION).upper()
        self._overrides: dict[int, dict[date, bool]] = {}
        self._final: dict[int, bool] = {}
        self.provisional = False

    def _override(self, day: date) -> bool | None:
        if day.year not in self._overrides:
            self._overrides[day.year] = _load_overrides(self.region, day.year)
        return self._overrides[day.year].get(day)

    def is_working_day(self, day: date) -> bool:
        if isinstance(day, datetime):
            # A datetime is a date subclass: an aware UTC one would silently give the wrong day.
            raise TypeError("pass a local date (timezone.localdate(dt)), not a datetime")
        override = self._override(day)
        if override is not None:
            return override
        return _library_is_working_day(day, self.region)

    def is_final(self, year: int) -> bool:
        """The year's schedule is published: in the bundled data, or marked by staff (a
        PublishedYear row, read only for a year the data lacks)."""
        if year not in self._final:
            self._final[year] = year in library_published_years(self.region) or _load_published(
                self.region, year
            )
        return self._final[year]

    def is_provisional(self, day: date) -> bool:
        return not self.is_final(day.year)

    def examine(self, day: date) -> bool:
        """is_working_day, remembering whether the answer was provisional."""
        self.provisional = self.provisional or self.is_provisional(day)
        return self.is_working_day(day)

    def first_working_day_from(self, day: date) -> date:
        while not self.examine(day):
            day += DAY
        return day


def is_working_day(day: date, region: str | None = None) -> bool:
    """An override for (day, region) wins; else the `holidays` library (with 调休 for CN)."""
    return Calendar(region).is_working_day(day)


def is_provisional(day: date, region: str | None = None) -> bool:
    """True when day's year has no published schedule (see Calendar.is_final)."""
    return Calendar(region).is_provisional(day)


# --- Local days and their ends ------------------------------------------------------------------


# The zone whose days a region's periods are counted in (民法典 第二百零三条: a period ends at
# 24:00 of its last day, and for China's rules that is Beijing's day). A region not listed
# counts in settings.TIME_ZONE.
REGION_ZONES = {"CN": "Asia/Shanghai"}


def region_zone(region: str | None = None) -> tzinfo:
    region = (region or settings.DEADLINE_REGION).upper()
    name = REGION_ZONES.get(region) or REGION_ZONES.get(region.split("-")[0])
    return ZoneInfo(name or settings.TIME_ZONE)


def _zone(tz: tzinfo | str | None, region: str | None = None) -> tzinfo:
    if tz is None:
        return region_zone(region)
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _local_date(moment: datetime, tz: tzinfo) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("deadline arithmetic needs an aware datetime")
    return moment.astimezone(tz).date()


def end_of_day(day: date, tz: tzinfo | str | None = None) -> datetime:
    """24:00 local on `day`, i.e. 00:00 of the next day in the zone."""
    return datetime.combine(day + DAY, time(0), tzinfo=_zone(tz))


# --- Periods ------------------------------------------------------------------------------------


def _check_count(n: int) -> None:
    if n < 1:
        raise ValueError(f"a period counts at least one unit, got {n}")


def _finish(last_day: date, *, roll_over: bool, cal: Calendar, tz: tzinfo) -> Due:
    # The last day itself is always "examined": a deadline falling in an unpublished year is
    # provisional (docs/deadline-rules.md), even when it would not move.
    rolled_from = None
    if roll_over:
        moved = cal.first_working_day_from(last_day)
        rolled_from, last_day = (last_day if moved != last_day else None), moved
    else:
        cal.examine(last_day)
    return Due(
        due_at=end_of_day(last_day, tz), provisional=cal.provisional, rolled_from=rolled_from
    )


def add_working_days(
    start: datetime, n: int, *, region: str | None = None, tz: tzinfo | str | None = None
) -> Due:
    """Ends at 24:00 on the n-th working day after start's local day (which is not counted)."""
    _check_count(n)
    zone, cal = _zone(tz, region), Calendar(region)
    day, counted = _local_date(start, zone), 0
    while counted < n:
        day += DAY
        counted += cal.examine(day)
    return Due(due_at=end_of_day(day, zone), provisional=cal.provisional)


def add_natural_days(
    start: datetime,
    n: int,
    *,
    roll_over: bool = False,
    region: str | None = None,
    tz: tzinfo | str | None = None,
) -> Due:
    """Ends at 24:00 on start's local day + n, moved to the next working day on roll-over."""
    _check_count(n)
    zone = _zone(tz, region)
    last_day = _local_date(start, zone) + n * DAY
    return _finish(last_day, roll_over=roll_over, cal=Calendar(region), tz=zone)


def _same_day_months_later(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def add_months(
    start: datetime,
    n: int,
    *,
    roll_over: bool = False,
    region: str | None = None,
    tz: tzinfo | str | None = None,
) -> Due:
    """Ends on the same-numbered day n months after start's local day, or that month's last
    day when it has none (2025-01-31 + 1 month → 2025-02-28); then as add_natural_days."""
    _check_count(n)
    zone = _zone(tz, region)
    last_day = _same_day_months_later(_local_date(start, zone), n)
    return _finish(last_day, roll_over=roll_over, cal=Calendar(region), tz=zone)


def add_years(
    start: datetime,
    n: int,
    *,
    roll_over: bool = False,
    region: str | None = None,
    tz: tzinfo | str | None = None,
) -> Due:
    """n years as 12·n months: 2024-02-29 + 3 years → 2027-02-28."""
    _check_count(n)
    return add_months(start, 12 * n, roll_over=roll_over, region=region, tz=tz)


def add_hours(start: datetime, n: int) -> Due:
    """The exact moment n hours of elapsed time after start, whatever the calendar says.

    Computed in UTC so a DST change elsewhere cannot shorten or stretch the period; the result
    keeps start's zone."""
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("deadline arithmetic needs an aware datetime")
    if n < 0:
        raise ValueError(f"hours cannot be negative, got {n}")
    due_at = (start.astimezone(UTC) + timedelta(hours=n)).astimezone(start.tzinfo)
    return Due(due_at=due_at, provisional=False)


# --- Pauses on working-day clocks ---------------------------------------------------------------
#
# A working-day clock is measured in "working time": every instant of a working day (local
# 00:00 to 24:00) counts at its wall-clock length, every instant of a non-working day counts
# nothing. Office hours play no part, as the rules count whole days.
#
# Pausing stores remaining = working_time_between(paused_at, due_at); resuming sets
# due = add_working_time(resumed_at, remaining). So a pause mid-day is counted to the minute:
# paused Fri 15:00, resumed Mon 10:00 (both working days) gives back Fri's last 9 h and Mon's
# first 10 h, and the due moment moves from 24:00 to 19:00 of the day after the old last
# day. A pause lying wholly on non-working days changes nothing.
#
# Natural-day and hour clocks use wall time: remaining = due_at - paused_at, due = resumed_at +
# remaining (and a roll-over, if the rule has one, is applied again by the caller if wanted).


def working_time_between(
    a: datetime, b: datetime, *, region: str | None = None, tz: tzinfo | str | None = None
) -> timedelta:
    """The part of [a, b) that lies on working days (local), as a duration; 0 if b <= a."""
    zone, cal = _zone(tz, region), Calendar(region)
    a_local, b_local = a.astimezone(zone), b.astimezone(zone)
    if b_local <= a_local:
        return timedelta(0)
    total = timedelta(0)
    day = a_local.date()
    while True:
        day_start = datetime.combine(day, time(0), tzinfo=zone)
        day_end = end_of_day(day, zone)
        if cal.is_working_day(day):
            total += min(b_local, day_end) - max(a_local, day_start)
        if b_local <= day_end:
            return total
        day += DAY


def add_working_time(
    start: datetime,
    remaining: timedelta,
    *,
    region: str | None = None,
    tz: tzinfo | str | None = None,
) -> Due:
    """The moment at which `remaining` working time has run from start.

    Inverse of working_time_between: add_working_time(a, working_time_between(a, b)).due_at == b
    whenever b lies within a working day or at the 24:00 end of one (every working-day due
    moment does). Time that runs out exactly at a working day's 24:00 ends there, not after
    the non-working days that follow (so a b at 00:00 after a weekend comes back as the
    Friday's 24:00: the same working time)."""
    if remaining < timedelta(0):
        raise ValueError(f"remaining working time cannot be negative, got {remaining}")
    zone, cal = _zone(tz, region), Calendar(region)
    cursor = start.astimezone(zone)
    if remaining == timedelta(0):
        return Due(due_at=cursor, provisional=False)
    day = cursor.date()
    while True:
        day_end = end_of_day(day, zone)
        if cal.examine(day):
            available = day_end - cursor
            if remaining <= available:
                return Due(due_at=cursor + remaining, provisional=cal.provisional)
            remaining -= available
        day += DAY
        cursor = datetime.combine(day, time(0), tzinfo=zone)


# --- Pauses on day clocks -----------------------------------------------------------------------
#
# A clock counted in days (working or natural, months, years) keeps whole days when paused, so
# its due moment stays at the end of a day (24:00): remaining = the days left after the day it
# was paused, up to its own last day (before any roll-over); resumed on day R, it ends on the
# n-th such day after R, rolled over again if its rule rolls over. Paused and resumed within
# the same day, it is due when it was; a working-day clock due Friday 24:00 and paused for a
# second on Friday is still due Friday 24:00 (exact working time would have spilled the second
# over the weekend to Monday). Hour clocks keep exact time (working_time_between above is
# kept for the panel's countdown).


def whole_days_left(
    due_at: datetime,
    at: datetime,
    *,
    working: bool,
    rolled_from: date | None = None,
    region: str | None = None,
    tz: tzinfo | str | None = None,
) -> int:
    """Days (working days for a working-day clock) after `at`'s local day up to the clock's
    own last day: the day before due_at's 00:00, or `rolled_from` when a roll-over moved it."""
    zone, cal = _zone(tz, region), Calendar(region)
    last = rolled_from or (due_at - timedelta(microseconds=1)).astimezone(zone).date()
    today = _local_date(at, zone)
    if last <= today:
        return 0
    if not working:
        return (last - today).days
    days, day = 0, today
    while day < last:
        day += DAY
        days += cal.is_working_day(day)
    return days


def resume_days(
    at: datetime,
    days: int,
    *,
    working: bool,
    roll_over: bool = False,
    region: str | None = None,
    tz: tzinfo | str | None = None,
) -> Due:
    """The due moment of a day clock resumed at `at` with `days` whole days left: 24:00 of the
    days-th (working) day after at's local day, that day itself when none is left (for a
    working-day clock, the first working day from it)."""
    zone, cal = _zone(tz, region), Calendar(region)
    day = _local_date(at, zone)
    if not working:
        return _finish(day + days * DAY, roll_over=roll_over, cal=cal, tz=zone)
    counted = 0
    while counted < days:
        day += DAY
        counted += cal.examine(day)
    if days == 0:
        day = cal.first_working_day_from(day)
    return Due(due_at=end_of_day(day, zone), provisional=cal.provisional)


def days_kept(remaining: timedelta) -> int:
    """Whole days of a paused day clock's remaining time; a part of a day (an extension by
    hours) counts as a day."""
    days = remaining.days
    return days + 1 if remaining - timedelta(days=days) > timedelta(0) else days


# --- Warnings -------------------------------------------------------------------------------


def warning_moments(
    snapshot: dict, due_at: datetime, *, cal: Calendar | None = None
) -> list[datetime]:
    """The moments a clock warns, earliest first, for each of the rule's warn_before:

    - hour rules: that many hours before the due moment;
    - working-day rules: when that many working days are left, i.e. at 00:00 of the n-th
      working day counting back from the last one (1: the start of the last day; 2 before a
      Monday deadline: Friday 00:00, not Saturday);
    - other day rules: that many days before the due moment (1: 00:00 of the last day).

    0 is "on the day": for a day rule, the start of the last day (a follow-up date warns that
    morning, not at the moment it is missed); for an hour rule, nothing. `cal`: a calendar
    shared by a batch (the sweep's), so its overrides are read once."""
    unit = snapshot.get("unit")
    befores = {
        n if n > 0 else 1
        for n in snapshot.get("warn_before") or []
        if n > 0 or unit != DeadlineUnit.HOURS
    }
    if unit == DeadlineUnit.HOURS:
        return sorted(due_at - timedelta(hours=n) for n in befores)
    if unit == DeadlineUnit.WORKING_DAYS:
        return sorted(_working_days_before(due_at, n, cal or Calendar()) for n in befores)
    return sorted(due_at - timedelta(days=n) for n in befores)


def _working_days_before(due_at: datetime, n: int, cal: Calendar) -> datetime:
    """00:00 of the n-th working day counting back from the clock's last day (itself first)."""
    zone = region_zone(cal.region)
    day = (due_at - timedelta(microseconds=1)).astimezone(zone).date()
    counted = 1 if cal.is_working_day(day) else 0
    while counted < n:
        day -= DAY
        counted += cal.is_working_day(day)
    return datetime.combine(day, time(0), tzinfo=zone)


def next_warning(
    snapshot: dict, due_at: datetime, *, after: datetime, cal: Calendar | None = None
) -> datetime | None:
    """The first warning moment strictly after `after`, or None when none is left. A sweep that
    ran late sends one warning, not each one it missed."""
    return next((m for m in warning_moments(snapshot, due_at, cal=cal) if m > after), None)
