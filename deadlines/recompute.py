"""Running clocks follow calendar edits: when staff add, change or delete a calendar override,
the clocks whose counting span covers the changed days get their due moment recomputed.

Called by `deadlines.tasks.recompute_clocks_task`, which `calendar_services` enqueues
after the edit commits. What a clock is recomputed from (its own rule snapshot, never the rule
as it is now: editing a rule does not rewrite running clocks):

- never paused: its start, as when it started (`compute_due`);
- paused and resumed: from the last resume, with the time it had left (working time for
  working-day clocks), which the pause and resume events record; events from before they
  recorded it are replayed from the start on today's calendar;
- extended by staff: by working days (which the new calendar moves), hours, or to a moment
  set by hand (which stands), as the extension event says.

Paused clocks are not touched: they keep their remaining working time and meet the new
calendar when they resume (`deadline_resume` reads the overrides afresh; nothing caches them).

Safe to run twice, and in any order with other edits: the new due moment is a function of the
clock's history and the calendar as it is now, and only clocks whose due moment or provisional
flag actually changed are written, with one DEADLINE_RECOMPUTED event each.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_datetime, parse_duration

from cases import clock
from cases.choices import EventKind
from cases.models import CaseEvent
from deadlines import calendar
from deadlines.calendar import next_warning
from deadlines.choices import DeadlineState, DeadlineUnit
from deadlines.models import Deadline
from deadlines.services import case_refresh_urgency, compute_due, remaining_at, resumed_due

logger = logging.getLogger(__name__)

# Clocks per transaction: each batch locks its clocks and their cases for the time it takes to
# compute them (~0.1 s per 100), so services and the sweep wait little; the sweep's own cap.
BATCH_SIZE = 500

# Events that changed a clock's due moment after it started, oldest first.
_HISTORY = (EventKind.DEADLINE_PAUSED, EventKind.DEADLINE_RESUMED, EventKind.DEADLINE_EXTENDED)


class RecomputeResult(NamedTuple):
    examined: int  # running clocks whose span covers a changed day
    changed: int  # of those, written with a new due moment or provisional flag
    skipped: list[int]  # ids another transaction held: to try again


def clocks_recompute(
    *,
    region: str,
    dates: Iterable[date],
    ids: Iterable[int] | None = None,
    batch_size=BATCH_SIZE,
    reason: dict | None = None,
) -> RecomputeResult:
    """Recompute the running clocks whose counting span covers one of `dates` in `region`.

    1. Nothing to do for another region than the one clocks count in (DEADLINE_REGION).
    2. Find the candidates' ids in id order, a batch at a time (never all rows at once).
    3. Per batch, in one transaction: claim the clocks and their cases, skipping rows someone
       else holds (see `_claim`), recompute each, write the changed ones with bulk_update and
       their events with bulk_create.
    `ids` limits the run to those clocks (a retry of the ones skipped before). `reason` says
    why, on each clock's event (a year published, the libraries updated); without it the
    events list the changed days."""
    dates = sorted(set(dates))
    if not dates or region.upper() != settings.DEADLINE_REGION.upper():
        return RecomputeResult(0, 0, [])
    candidates = _covering(dates, region)
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    examined = changed = 0
    skipped: list[int] = []
    last_id = 0
    while True:
        batch = list(
            candidates.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            break
        last_id = batch[-1]
        result = _recompute_batch(batch, dates=dates, reason=reason)
        examined += result.examined
        changed += result.changed
        skipped += result.skipped
    if skipped:
        logger.info("Calendar recompute: %d clocks were busy, to retry", len(skipped))
    return RecomputeResult(examined, changed, skipped)


def _covering(dates: list[date], region: str):
    """Running clocks whose span [started_at, due_at] overlaps one of the region's days.

    Hour clocks count elapsed time whatever the calendar says, so they never change."""
    zone = calendar.region_zone(region)
    span = Q()
    # Consecutive days as one range: a year published is one condition, not 365.
    for first, last in _runs(dates):
        day_start = datetime.combine(first, time(0), tzinfo=zone)
        span |= Q(started_at__lt=calendar.end_of_day(last, zone), due_at__gt=day_start)
    return (
        Deadline.objects.filter(span, state=DeadlineState.RUNNING)
        .exclude(rule_snapshot__unit=DeadlineUnit.HOURS)
        .order_by()
    )


def _runs(dates: list[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days: (first, last) each."""
    runs: list[tuple[date, date]] = []
    for day in dates:
        if runs and day - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _recompute_batch(
    ids: list[int], *, dates: list[date], reason: dict | None = None
) -> RecomputeResult:
    now = clock.now()
    with transaction.atomic():
        clocks = _claim(ids)
        history = clock_history(clocks)
        to_update, events = [], []
        for deadline in clocks:
            due = recomputed_due(deadline, history.get(deadline.pk, []))
            if (due.due_at, due.provisional) == (deadline.due_at, deadline.provisional):
                continue
            old_due, old_provisional = deadline.due_at, deadline.provisional
            deadline.due_at, deadline.provisional = due.due_at, due.provisional
            deadline.rolled_from = due.rolled_from
            deadline.warn_at = next_warning(deadline.rule_snapshot, due.due_at, after=now)
            to_update.append(deadline)
            changes = {
                "deadline": _summary(deadline),
                "due_at": {"old": _iso(old_due), "new": _iso(due.due_at)},
            }
            if reason:
                changes["calendar_reason"] = reason
            else:
                changes["calendar_days"] = [day.isoformat() for day in dates]
            if old_provisional != due.provisional:
                changes["provisional"] = {"old": old_provisional, "new": due.provisional}
            events.append(
                CaseEvent(
                    case_id=deadline.case_id,
                    kind=EventKind.DEADLINE_RECOMPUTED,
                    created_at=now,
                    changes=changes,
                )
            )
        Deadline.objects.bulk_update(to_update, ["due_at", "provisional", "rolled_from", "warn_at"])
        CaseEvent.objects.bulk_create(events)
        # The staff queue orders on each case's earliest due moment.
        case_refresh_urgency(d.case_id for d in to_update)
    claimed = {deadline.pk for deadline in clocks}
    return RecomputeResult(
        examined=len(clocks),
        changed=len(to_update),
        skipped=[pk for pk in ids if pk not in claimed],
    )


def _claim(ids: list[int]) -> list[Deadline]:
    """Lock the clocks and their cases, skipping rows another transaction holds, and re-check
    that each is still running. Services lock a case and then its clocks; the sweep claims
    both with SKIP LOCKED. Waiting for either here, while holding other clocks, could
    deadlock, so a busy clock is skipped and retried by the task. The case lock also lets
    this transaction write the case's events without waiting."""
    return list(
        Deadline.objects.filter(pk__in=ids, state=DeadlineState.RUNNING)
        .select_for_update(skip_locked=True, of=("self", "case"))
        .select_related("case", "contact")
        .order_by("pk")
    )


def clock_history(clocks: list[Deadline]) -> dict[int, list[CaseEvent]]:
    """Each clock's pause, resume and extension events, oldest first, in one query per batch
    (the events name their clock in changes.deadline.id)."""
    case_ids = {deadline.case_id for deadline in clocks}
    wanted = {deadline.pk for deadline in clocks}
    by_clock: dict[int, list[CaseEvent]] = defaultdict(list)
    events = CaseEvent.objects.filter(case_id__in=case_ids, kind__in=_HISTORY).order_by(
        "created_at", "id"
    )
    for event in events.only("kind", "created_at", "changes"):
        deadline_id = ((event.changes or {}).get("deadline") or {}).get("id")
        if deadline_id in wanted:
            by_clock[deadline_id].append(event)
    return by_clock


def recomputed_due(deadline: Deadline, history: list[CaseEvent]) -> calendar.Due:
    """The clock's due moment on today's calendar: its start and what happened to it since
    (its pause, resume and extension events, oldest first), replayed as deadlines/services.py
    did them (deadline_start, deadline_pause, deadline_resume, deadline_extend).

    The time a clock kept when paused is taken from its events, where they record it: a
    paused clock keeps its remaining time whatever the calendar does later, so only what ran
    after its last resume follows the new calendar. Events from before they recorded it are
    replayed on today's calendar instead."""
    snapshot = deadline.rule_snapshot
    until = None
    if snapshot.get("unit") == DeadlineUnit.UNTIL_DATE:
        until = deadline.contact.follow_up_on if deadline.contact_id else None
        if until is None:
            # The date it waits for is the day its due moment ends (24:00 of that day).
            zone = calendar.region_zone()
            until = deadline.due_at.astimezone(zone).date() - timedelta(days=1)
    due = compute_due(snapshot=snapshot, start=deadline.started_at, until=until)
    remaining = None  # while paused: the time it keeps
    for event in history:
        changes = event.changes or {}
        recorded = changes.get("remaining") or {}
        if event.kind == EventKind.DEADLINE_PAUSED and remaining is None:
            remaining = _duration(recorded.get("new"))
            if remaining is None:
                deadline_then = Deadline(
                    rule_snapshot=snapshot, due_at=due.due_at, rolled_from=due.rolled_from
                )
                remaining = remaining_at(deadline_then, event.created_at)
        elif event.kind == EventKind.DEADLINE_RESUMED and remaining is not None:
            left = _duration(recorded.get("old"))
            left = remaining if left is None else left
            due = resumed_due(snapshot, left, event.created_at, due.provisional)
            remaining = None
        elif event.kind == EventKind.DEADLINE_EXTENDED:
            due, remaining = _extended(due, remaining, changes)
    return due


def _extended(
    due: calendar.Due, remaining: timedelta | None, changes: dict
) -> tuple[calendar.Due, timedelta | None]:
    """A staff extension, as deadline_extend made it: "by" says how much (working days,
    hours, or a moment set by hand); a paused clock's event records its new remaining time."""
    by = changes.get("by") or {}
    if remaining is not None:
        kept = _duration((changes.get("remaining") or {}).get("new"))
        if kept is None:
            step = (
                timedelta(days=by["working_days"])
                if "working_days" in by
                else timedelta(hours=by.get("hours", 0))
            )
            kept = remaining + step
        return due, kept
    if "working_days" in by:
        later = calendar.add_working_time(due.due_at, timedelta(days=by["working_days"]))
        return calendar.Due(later.due_at, due.provisional or later.provisional), None
    if "hours" in by:
        return calendar.Due(
            calendar.add_hours(due.due_at, by["hours"]).due_at, due.provisional
        ), None
    # A moment set by hand (or an event from before "by" was recorded): it stands.
    new = parse_datetime(by.get("due_at") or (changes.get("due_at") or {}).get("new") or "")
    return (calendar.Due(new, False) if new else due), None


def _duration(value: str | None) -> timedelta | None:
    return parse_duration(value) if value else None


def _summary(deadline: Deadline) -> dict:
    # The shape of every clock event's "deadline" (deadlines.services): the timeline reads it.
    return {
        "id": deadline.pk,
        "rule": deadline.rule_snapshot.get("key"),
        "name": deadline.rule_snapshot.get("name"),
        "name_zh": deadline.rule_snapshot.get("name_zh"),
        "due_at": _iso(deadline.due_at),
        "waiting_on": deadline.waiting_on,
    }


def _iso(moment: datetime) -> str:
    # Local time, whichever zone the value came in (UTC from the database, local from the
    # calendar), so old and new read alike.
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat()
