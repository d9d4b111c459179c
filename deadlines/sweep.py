"""The deadline sweep: warns running clocks once per warning and breaches them once.

Celery beat runs it every minute (deadlines.tasks.sweep_deadlines_task); several workers may run it
at the same moment. Each phase claims its rows with `SELECT … FOR UPDATE SKIP LOCKED` inside one
transaction and re-checks `state = 'running'` in the same statement, so a clock another sweep
holds is skipped, and one it already settled no longer matches: every clock is breached once and
every warning goes out once. The events and notification rows are written in that transaction,
so they exist exactly when the change does (the notification rows are the e-mail outbox).
"""

from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Case as SQLCase
from django.db.models import F, Value, When

from cases import clock
from cases.choices import EventKind, Priority
from cases.models import Case, CaseEvent
from deadlines.calendar import Calendar, next_warning
from deadlines.choices import BreachAction, DeadlineState
from deadlines.models import Deadline
from deadlines.services import case_refresh_urgency
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.preferences import with_email_preferences
from notifications.services import enqueue_delivery

# Clocks one run handles, breaches and warnings together: a backlog (a worker that was down for
# a day) is worked off a batch a minute instead of holding one transaction and the worker.
SWEEP_LIMIT = 500


class SweepResult(NamedTuple):
    warned: int
    breached: int


def sweep_deadlines(*, now: datetime | None = None, limit: int = SWEEP_LIMIT) -> SweepResult:
    """Settle what has run out, then warn what is about to.

    1. Breach: running clocks with due_at <= now, oldest first, at most `limit`.
    2. Warn: running clocks with warn_at <= now that are not yet due, with what is left of
       `limit`. Breaching first means a clock that is both due and to be warned is breached,
       not warned after its time ran out.
    Each phase is its own transaction, so a breach batch commits even if warnings fail."""
    now = now or clock.now()
    breached = _breach(now=now, limit=limit)
    warned = _warn(now=now, limit=limit - breached) if breached < limit else 0
    return SweepResult(warned=warned, breached=breached)


def _claim(queryset, *, order: str, limit: int) -> list[Deadline]:
    """Lock the clocks and their cases, skipping any row someone else holds, so the sweep never
    waits. A clock another sweep holds is that sweep's work. A clock whose case a service holds
    (a contact being logged, a status changing: they lock the case, then settle or pause its
    clocks) is left for the next run; waiting for it instead would deadlock, as this sweep
    holds the clock and its events' foreign keys need the case. One statement both claims the
    rows and re-checks the filter on the latest row version, so a clock settled since is not
    claimed."""
    return list(
        queryset.select_for_update(skip_locked=True, of=("self", "case"))
        .select_related("case")
        # Of the case, only what the sweep reads (who is told, the priority a breach may
        # raise): building 500 full cases, details and all, was a fifth of a batch's time.
        .only(*CLOCK_FIELDS, *(f"case__{name}" for name in CASE_FIELDS))
        .order_by(order, "id")[:limit]
    )


CLOCK_FIELDS = [field.name for field in Deadline._meta.concrete_fields]
CASE_FIELDS = ("priority", "owner", "assignee")


def _summary(deadline: Deadline) -> dict:
    return {
        "id": deadline.pk,
        "rule": deadline.rule_snapshot.get("key", ""),
        "due_at": deadline.due_at.isoformat(),
        "waiting_on": deadline.waiting_on,
    }


def _recipients(case: Case) -> list[int]:
    """The owner, and the assignee when there is one who is someone else."""
    ids = [case.owner_id]
    if case.assignee_id is not None and case.assignee_id != case.owner_id:
        ids.append(case.assignee_id)
    return ids


def _notifications(deadline: Deadline, *, kind: str, now: datetime) -> list[Notification]:
    return [
        Notification(
            recipient_id=user_id,
            case=deadline.case,
            deadline=deadline,
            kind=kind,
            created_at=now,
        )
        for user_id in _recipients(deadline.case)
    ]


def _breach(*, now: datetime, limit: int) -> int:
    """Breach due clocks and apply each rule's breach actions (from the clock's snapshot)."""
    if limit <= 0:
        return 0
    with transaction.atomic():
        # Served by the partial index deadlines_due_running.
        due = _claim(
            Deadline.objects.filter(state=DeadlineState.RUNNING, due_at__lte=now),
            order="due_at",
            limit=limit,
        )
        if not due:
            return 0
        Deadline.objects.filter(pk__in=[d.pk for d in due]).update(
            state=DeadlineState.BREACHED, settled_at=now, warn_at=None
        )
        events, notifications, raise_cases = [], [], {}
        for deadline in due:
            actions = set(deadline.rule_snapshot.get("on_breach") or [])
            changes: dict = {"deadline": _summary(deadline)}
            case = deadline.case
            if (
                BreachAction.RAISE_PRIORITY in actions
                and case.priority != Priority.URGENT
                and case.pk not in raise_cases
            ):
                raise_cases[case.pk] = case
                changes["priority"] = {"old": case.priority, "new": Priority.URGENT}
            if BreachAction.SUGGEST in actions:
                changes["suggestion"] = deadline.rule_snapshot.get("suggestion", "")
                changes["suggestion_zh"] = deadline.rule_snapshot.get("suggestion_zh", "")
            if BreachAction.CLOSE_WINDOW in actions:
                changes["window_closed"] = True
            if BreachAction.NOTIFY in actions:
                notifications += _notifications(
                    deadline, kind=NotificationKind.DEADLINE_BREACHED, now=now
                )
            events.append(
                CaseEvent(
                    case=case, kind=EventKind.DEADLINE_BREACHED, created_at=now, changes=changes
                )
            )
        raised = {}
        if raise_cases:
            # The cases are locked by _claim, so the priority read above is current.
            raised = {
                "priority": SQLCase(
                    When(pk__in=list(raise_cases), then=Value(Priority.URGENT)),
                    default=F("priority"),
                ),
                "updated_at": SQLCase(
                    When(pk__in=list(raise_cases), then=Value(now)), default=F("updated_at")
                ),
            }
        # One UPDATE of the batch's cases: the staff queue's urgency, and the raised priority.
        case_refresh_urgency({d.case_id for d in due}, **raised)
        CaseEvent.objects.bulk_create(events)
        # The recipients' e-mail preference: one query for the batch.
        Notification.objects.bulk_create(with_email_preferences(notifications))
        # One delivery task for the batch, sent when it commits.
        enqueue_delivery(notifications)
    return len(due)


def _warn(*, now: datetime, limit: int) -> int:
    """Send the clocks' current warning and move warn_at on to the next one (or none)."""
    if limit <= 0:
        return 0
    with transaction.atomic():
        # Served by the partial index deadlines_warn_running; due_at > now leaves clocks
        # that ran out to the breach phase (of this run, or the next one if it hit the cap).
        to_warn = _claim(
            Deadline.objects.filter(state=DeadlineState.RUNNING, warn_at__lte=now, due_at__gt=now),
            order="warn_at",
            limit=limit,
        )
        if not to_warn:
            return 0
        events, notifications = [], []
        cal = Calendar()  # one for the batch: the overrides are read once per year it touches
        for deadline in to_warn:
            deadline.warnings_sent += 1
            deadline.warn_at = next_warning(
                deadline.rule_snapshot, deadline.due_at, after=now, cal=cal
            )
            events.append(
                CaseEvent(
                    case=deadline.case,
                    kind=EventKind.DEADLINE_WARNED,
                    created_at=now,
                    changes={"deadline": _summary(deadline), "warning": deadline.warnings_sent},
                )
            )
            notifications += _notifications(
                deadline, kind=NotificationKind.DEADLINE_WARNING, now=now
            )
        Deadline.objects.bulk_update(to_warn, ["warnings_sent", "warn_at"])
        CaseEvent.objects.bulk_create(events)
        # The recipients' e-mail preference: one query for the batch.
        Notification.objects.bulk_create(with_email_preferences(notifications))
        # One delivery task for the batch, sent when it commits.
        enqueue_delivery(notifications)
    return len(to_warn)
