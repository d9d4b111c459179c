"""Running clocks follow calendar edits: when staff add, change or delete a calendar override,
the clocks whose counting span covers the changed days get their due moment recomputed.

Called by `cases.recompute_tasks.recompute_clocks_task`, which `calendar_services` enqueues
after the edit commits. What a clock is recomputed from (its own rule snapshot, never the rule
as it is now: editing a rule does not rewrite running clocks):

- never paused: its start, as when it started (`compute_due`);
- paused and resumed (working-day clocks): the last resume moment and the working time it had
  left, which the resume event records; older resume events without it are replayed from the
  start through each pause and resume, on today's calendar. Natural-day and hour clocks
  resume on wall time, which no calendar moves;
- extended by staff to a moment of their choosing after it last (re)started: left alone,
  and counted as such. Those moments were set by a person.

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
from django.utils.dateparse import parse_duration

from cases import calendar, clock
from cases.choices import DeadlineState, DeadlineUnit, EventKind
from cases.deadlines import compute_due
from cases.models import CaseEvent, Deadline
from cases.sweep import next_warning

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
    kept: int  # extended by staff to a moment of their own: left alone


def clocks_recompute(
    *, region: str, dates: Iterable[date], ids: Iterable[int] | None = None, batch_size=BATCH_SIZE
) -> RecomputeResult:
    """Recompute the running clocks whose counting span covers one of `dates` in `region`.

    1. Nothing to do for another region than the one clocks count in (DEADLINE_REGION).
    2. Find the candidates' ids in id order, a batch at a time (never all rows at once).
    3. Per batch, in one transaction: claim the clocks and their cases, skipping rows someone
       else holds (see `_claim`), recompute each, write the changed ones with bulk_update and
       their events with bulk_create.
    `ids` limits the run to those clocks (a retry of the ones skipped before)."""
    dates = sorted(set(dates))
    if not dates or region.upper() != settings.DEADLINE_REGION.upper():
        return RecomputeResult(0, 0, [], 0)
    candidates = _covering(dates)
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    examined = changed = kept = 0
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
        result = _recompute_batch(batch, dates=dates)
        examined += result.examined
        changed += result.changed
        kept += result.kept
        skipped += result.skipped
    if skipped:
        logger.info("Calendar recompute: %d clocks were busy, to retry", len(skipped))
    return RecomputeResult(examined, changed, skipped, kept)


def _covering(dates: list[date]):
    """Running clocks whose span [started_at, due_at] overlaps one of the local days.

    Hour clocks count elapsed time whatever the calendar says, so they never change."""
    zone = ZoneInfo(settings.TIME_ZONE)
    span = Q()
    for day in dates:
        day_start = datetime.combine(day, time(0), tzinfo=zone)
        span |= Q(started_at__lt=calendar.end_of_day(day, zone), due_at__gt=day_start)
    return (
        Deadline.objects.filter(span, state=DeadlineState.RUNNING)
        .exclude(rule_snapshot__unit=DeadlineUnit.HOURS)
        .order_by()
    )


def _recompute_batch(ids: list[int], *, dates: list[date]) -> RecomputeResult:
    now = clock.now()
    with transaction.atomic():
        clocks = _claim(ids)
        history = _history(clocks)
        to_update, events, kept = [], [], 0
        for deadline in clocks:
            due = recomputed_due(deadline, history.get(deadline.pk, []))
            if due is None:
                kept += 1
                continue
            if (due.due_at, due.provisional) == (deadline.due_at, deadline.provisional):
                continue
            old_due, old_provisional = deadline.due_at, deadline.provisional
            deadline.due_at, deadline.provisional = due.due_at, due.provisional
            deadline.warn_at = next_warning(deadline.rule_snapshot, due.due_at, after=now)
            to_update.append(deadline)
            changes = {
                "deadline": _summary(deadline),
                "due_at": {"old": _iso(old_due), "new": _iso(due.due_at)},
                "calendar_days": [day.isoformat() for day in dates],
            }
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
        Deadline.objects.bulk_update(to_update, ["due_at", "provisional", "warn_at"])
        CaseEvent.objects.bulk_create(events)
    claimed = {deadline.pk for deadline in clocks}
    return RecomputeResult(
        examined=len(clocks),
        changed=len(to_update),
        skipped=[pk for pk in ids if pk not in claimed],
        kept=kept,
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


def _history(clocks: list[Deadline]) -> dict[int, list[CaseEvent]]:
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


def recomputed_due(deadline: Deadline, history: list[CaseEvent]) -> calendar.Due | None:
    """The clock's due moment on today's calendar, from its snapshot, start and history
    (its pause, resume and extension events, oldest first). None when staff extended it to a
    moment of their own since it last (re)started: that moment stands.

    Mirrors deadline_start, deadline_pause and deadline_resume in cases/deadlines.py."""
    snapshot = deadline.rule_snapshot
    working = snapshot.get("unit") == DeadlineUnit.WORKING_DAYS
    resumes = [e for e in history if e.kind == EventKind.DEADLINE_RESUMED]
    since_anchor = history[history.index(resumes[-1]) + 1 :] if resumes else history
    if any(
        e.kind == EventKind.DEADLINE_EXTENDED and "due_at" in (e.changes or {})
        for e in since_anchor
    ):
        return None
    if resumes and not working:
        # Resumed on wall time (now + what was left): no calendar moves it.
        return calendar.Due(due_at=deadline.due_at, provisional=deadline.provisional)
    if resumes:
        left = _remaining_recorded(resumes[-1])
        if left is not None:
            return calendar.add_working_time(resumes[-1].created_at, left)
    return _replay(deadline, history)


def _remaining_recorded(event: CaseEvent) -> timedelta | None:
    """The working time a resume event says the clock had left, when it says so."""
    recorded = ((event.changes or {}).get("remaining") or {}).get("old")
    return parse_duration(recorded) if recorded else None


def _replay(deadline: Deadline, history: list[CaseEvent]) -> calendar.Due:
    """Start the clock again from its start and run each pause and resume on today's
    calendar: at a pause it keeps the working time left to its due moment, at a resume it
    runs that time out from there (cases/deadlines.py, deadline_pause and deadline_resume)."""
    snapshot = deadline.rule_snapshot
    until = None
    if snapshot.get("unit") == DeadlineUnit.UNTIL_DATE:
        until = deadline.contact.follow_up_on if deadline.contact_id else None
        if until is None:
            # The date it waits for is the day its due moment ends (24:00 of that day).
            zone = ZoneInfo(settings.TIME_ZONE)
            until = deadline.due_at.astimezone(zone).date() - timedelta(days=1)
    due = compute_due(snapshot=snapshot, start=deadline.started_at, until=until)
    paused_at = remaining = None
    for event in history:
        if event.kind == EventKind.DEADLINE_PAUSED and paused_at is None:
            paused_at = event.created_at
            remaining = calendar.working_time_between(paused_at, due.due_at)
        elif event.kind == EventKind.DEADLINE_RESUMED and paused_at is not None:
            due = calendar.add_working_time(event.created_at, remaining)
            paused_at = None
    return due


def _summary(deadline: Deadline) -> dict:
    # The shape of every clock event's "deadline" (cases.deadlines): the timeline reads it.
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
