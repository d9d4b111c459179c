"""Calendar overrides: staff enter a day the official calendar changed (China publishes each
year's 调休 schedule around November; a typhoon closes offices). The admin and any other code
path write them through here, so running clocks always follow.

An override changes which days count, so the clocks running over that day are recomputed in
the background (`deadlines.recompute`), after the edit commits: the task must see the new row, and
an edit that rolls back must move no clock. Nothing caches override rows between computations
(deadlines/calendar.py reads them per computation), so the web process and a long-running worker
use an edit from the moment it commits; a paused clock meets it when it resumes.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from config.errors import DomainError
from config.tasks import enqueue_on_commit
from deadlines import calendar
from deadlines.models import CalendarLibraryState, CalendarOverride, PublishedYear
from deadlines.recompute import clocks_recompute
from deadlines.tasks import recompute_clocks_task

logger = logging.getLogger(__name__)


@transaction.atomic
def calendar_override_save(*, actor: User | None, override: CalendarOverride) -> CalendarOverride:
    """Create an override, or save changes to one.

    1. Normalise the region: the calendar looks overrides up by upper-case code ("CN").
    2. Validate the row (one override per day and region).
    3. Read the row as it was, under a lock, and save.
    4. When the day, region or working flag changed (not just the source or note), recompute
       after commit the running clocks over the old day and the new one."""
    override.region = (override.region or "").strip().upper()
    try:
        override.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="date") from None
    before = None
    if override.pk is not None:
        before = (
            CalendarOverride.objects.select_for_update()
            .filter(pk=override.pk)
            .values("date", "region", "is_working_day")
            .first()
        )
    override.save()
    after = {"date": override.date, "region": override.region}
    if before is None:
        days = [after]
    elif (before["date"], before["region"], before["is_working_day"]) != (
        override.date,
        override.region,
        override.is_working_day,
    ):
        days = [before, after]
    else:
        days = []
    logger.info("Calendar override %s saved by %s", override, actor)
    _recompute_after_commit(days)
    return override


@transaction.atomic
def calendar_override_delete(*, actor: User | None, overrides: Iterable[CalendarOverride]) -> int:
    """Delete overrides (the libraries' calendar applies to those days again) and recompute
    after commit the running clocks over them. Returns how many were deleted."""
    rows = list(
        CalendarOverride.objects.select_for_update().filter(pk__in=[o.pk for o in overrides])
    )
    if not rows:
        return 0
    CalendarOverride.objects.filter(pk__in=[row.pk for row in rows]).delete()
    logger.info("Calendar overrides %s deleted by %s", ", ".join(map(str, rows)), actor)
    _recompute_after_commit([{"date": row.date, "region": row.region} for row in rows])
    return len(rows)


def _recompute_after_commit(days: list[dict]) -> None:
    """One task per region, with its changed days."""
    by_region: dict[str, set[date]] = defaultdict(set)
    for day in days:
        by_region[day["region"]].add(day["date"])
    for region, dates in sorted(by_region.items()):
        enqueue_on_commit(
            recompute_clocks_task,
            region=region,
            dates=[day.isoformat() for day in sorted(dates)],
        )


# --- Published years ------------------------------------------------------------------------


def _year_days(year: int) -> list[str]:
    first = date(year, 1, 1)
    return [
        (first + timedelta(days=n)).isoformat()
        for n in range((date(year, 12, 31) - first).days + 1)
    ]


def year_recompute(*, region: str, year: int, kind: str) -> None:
    """Recompute, after commit, the running clocks over the year, saying why on their events."""
    enqueue_on_commit(
        recompute_clocks_task,
        region=region,
        dates=_year_days(year),
        reason={"kind": kind, "year": year, "region": region},
    )


@transaction.atomic
def published_year_save(*, actor: User | None, published: PublishedYear) -> PublishedYear:
    """Mark a year's schedule final (staff entered its holidays and make-up days as overrides):
    its dates stop being provisional, and the running clocks over it are recomputed once."""
    published.region = (published.region or "").strip().upper()
    try:
        published.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="year") from None
    before = None
    if published.pk is not None:
        before = PublishedYear.objects.filter(pk=published.pk).values("region", "year").first()
    published.save()
    logger.info("Published year %s saved by %s", published, actor)
    if before and (before["region"], before["year"]) != (published.region, published.year):
        year_recompute(region=before["region"], year=before["year"], kind="year_unpublished")
    if before is None or (before["region"], before["year"]) != (published.region, published.year):
        year_recompute(region=published.region, year=published.year, kind="year_published")
    return published


@transaction.atomic
def published_year_delete(*, actor: User | None, years: Iterable[PublishedYear]) -> int:
    """Unmark years: their dates are provisional again (unless the bundled data covers them)."""
    rows = list(PublishedYear.objects.filter(pk__in=[y.pk for y in years]))
    PublishedYear.objects.filter(pk__in=[row.pk for row in rows]).delete()
    for row in rows:
        logger.info("Published year %s deleted by %s", row, actor)
        year_recompute(region=row.region, year=row.year, kind="year_unpublished")
    return len(rows)


def calendar_refresh(*, region: str, now) -> str | None:
    """After a deploy: if the calendar libraries differ from those the running clocks were
    computed with (a newer `holidays` or `chinesecalendar`), recompute every running day clock
    once, in this process, and record the new state. The first run only records it. Returns
    the new libraries' description when it recomputed, else None."""
    region = region.upper()
    libraries = calendar.library_versions()
    years = list(calendar.library_published_years(region))
    state = CalendarLibraryState.objects.filter(region=region).first()
    if state is not None and (state.libraries, state.published_years) == (libraries, years):
        return None
    if state is not None:
        # Every year a running clock can touch: from the oldest start to the latest due.
        first = min([*years, now.year - 5])
        last = max([*years, now.year]) + 5
        dates = [
            date(first, 1, 1) + timedelta(days=n)
            for n in range((date(last, 12, 31) - date(first, 1, 1)).days + 1)
        ]
        clocks_recompute(
            region=region,
            dates=dates,
            reason={"kind": "libraries_updated", "libraries": libraries, "region": region},
        )
    CalendarLibraryState.objects.update_or_create(
        region=region,
        defaults={"libraries": libraries, "published_years": years, "checked_at": now},
    )
    return libraries if state is not None else None
