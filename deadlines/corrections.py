"""What correcting a logged contact does to the clocks it started (issue 13).

A correction changes only what its corrected facts drive. Before, every open clock the contact
had started was cancelled and the contact logged again: a clock already met restarted, a staff
pause was lost, and adding a follow-up date restarted the filing's paused clock."""

from datetime import datetime, timedelta

from django.utils.duration import duration_iso_string

from cases import clock
from cases.choices import EventKind
from cases.models import CaseEvent
from deadlines import calendar
from deadlines.calendar import next_warning
from deadlines.choices import DeadlineState, DeadlineUnit
from deadlines.contacts import contact_answers, contact_starts, follow_up_start
from deadlines.models import Deadline
from deadlines.recompute import clock_history, recomputed_due
from deadlines.services import (
    case_refresh_urgency,
    clock_summary,
    compute_due,
    settle,
)

OPEN = (DeadlineState.RUNNING, DeadlineState.PAUSED)
# The contact's facts that drive clocks; its summary or reference number drive none.
DRIVING = {"filing_type", "body", "occurred_at", "follow_up_on"}


def deadlines_on_contact_corrected(*, entry, changed: set[str]) -> None:
    """Called inside contact_correct's transaction with the names of the corrected fields.

    1. A clock the contact started that is already met, breached or cancelled stays so.
    2. Filing type or body corrected: its open clocks came from a filing that was not, and
       are cancelled; the corrected filing then answers and starts what logging it would have.
    3. Only the moment corrected: its open clocks keep their state (a staff pause survives)
       and move with their start: a running clock's due moment is computed again from the new
       start with its pauses, resumptions and extensions replayed; a paused clock keeps what
       it had left, moved by as much as its start moved.
    4. Follow-up date corrected: only the follow-up clock follows it (added: it starts;
       removed: it is cancelled; changed: its due moment moves, a paused one stays paused).
    """
    changed = set(changed) & DRIVING
    if not changed:
        return
    case, now = entry.case, clock.now()
    started = list(entry.deadlines.filter(state__in=OPEN))
    follow_ups = [d for d in started if d.rule_snapshot.get("unit") == DeadlineUnit.UNTIL_DATE]
    filings = [d for d in started if d not in follow_ups]
    if {"filing_type", "body"} & changed:
        settle(
            filings, state=DeadlineState.CANCELLED, event_kind=EventKind.DEADLINE_CANCELLED, now=now
        )
        contact_answers(entry=entry, now=now)
        contact_starts(entry=entry, now=now)
    elif "occurred_at" in changed:
        for deadline in filings:
            _move(deadline, start=entry.occurred_at, until=None, now=now)
    if "follow_up_on" in changed or "occurred_at" in changed:
        if not entry.follow_up_on:
            settle(
                follow_ups,
                state=DeadlineState.CANCELLED,
                event_kind=EventKind.DEADLINE_CANCELLED,
                now=now,
            )
        elif follow_ups:
            for deadline in follow_ups:
                _move(deadline, start=entry.occurred_at, until=entry.follow_up_on, now=now)
        elif "follow_up_on" in changed:
            follow_up_start(entry=entry)
    case_refresh_urgency([case.pk])


def _move(deadline: Deadline, *, start: datetime, until, now: datetime) -> None:
    """Move an open clock to a corrected start (and follow-up date), keeping its state."""
    snapshot = deadline.rule_snapshot
    old_due, old_start = deadline.due_at, deadline.started_at
    if deadline.state == DeadlineState.PAUSED:
        old_remaining = deadline.remaining
        before = compute_due(snapshot=snapshot, start=old_start, until=_until(deadline)).due_at
        after = compute_due(snapshot=snapshot, start=start, until=until).due_at
        deadline.remaining = max(
            deadline.remaining + _moved_by(before, after, snapshot), timedelta(0)
        )
        deadline.started_at = start
        deadline.save(update_fields=["started_at", "remaining"])
        changes = {
            "remaining": {
                "old": duration_iso_string(old_remaining),
                "new": duration_iso_string(deadline.remaining),
            }
        }
    else:
        deadline.started_at = start
        if until is not None:
            due = compute_due(snapshot=snapshot, start=start, until=until)
        else:
            due = recomputed_due(deadline, clock_history([deadline]).get(deadline.pk, []))
        deadline.due_at, deadline.provisional = due.due_at, due.provisional
        deadline.rolled_from = due.rolled_from
        deadline.warn_at = next_warning(snapshot, due.due_at, after=now)
        deadline.save(
            update_fields=["started_at", "due_at", "provisional", "rolled_from", "warn_at"]
        )
        changes = {"due_at": {"old": old_due.isoformat(), "new": deadline.due_at.isoformat()}}
    CaseEvent.objects.create(
        case_id=deadline.case_id,
        kind=EventKind.DEADLINE_RECOMPUTED,
        created_at=now,
        changes={"deadline": clock_summary(deadline), "contact_corrected": True, **changes},
    )


def _until(deadline: Deadline):
    if deadline.rule_snapshot.get("unit") != DeadlineUnit.UNTIL_DATE:
        return None
    zone = calendar.region_zone()
    return deadline.due_at.astimezone(zone).date() - timedelta(days=1)


def _moved_by(before: datetime, after: datetime, snapshot: dict) -> timedelta:
    """How far a due moment moved, in what a paused clock keeps: whole (working) days for a
    day clock, exact time for an hour clock."""
    if snapshot.get("unit") == DeadlineUnit.HOURS:
        return after - before
    working = snapshot.get("unit") == DeadlineUnit.WORKING_DAYS
    early, late = sorted((before, after))
    days = calendar.whole_days_left(late, early - timedelta(microseconds=1), working=working)
    return timedelta(days=days if after >= before else -days)
