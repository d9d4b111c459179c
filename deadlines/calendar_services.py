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
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from config.errors import DomainError
from config.tasks import enqueue_on_commit
from deadlines.models import CalendarOverride
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
