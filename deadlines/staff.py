"""Support staff's actions on one clock: pause, resume and extend, each with a reason the seller
reads on the timeline, and each telling the people concerned (the triggers are services.py)."""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.http import Http404
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.choices import EventKind
from cases.formats import format_due
from cases.models import Case, CaseEvent
from config.errors import ConflictError, DomainError
from deadlines import calendar
from deadlines.calendar import next_warning
from deadlines.choices import DeadlineState, DeadlineUnit
from deadlines.models import Deadline
from deadlines.services import (
    case_refresh_urgency,
    clock_summary,
    deadline_pause,
    deadline_resume,
)
from notifications.services import notify_case_change

REASON_MAX_LENGTH = 2000
# The most one extension may add: enough for any real delay, small enough to catch a typo.
EXTEND_MAX_WORKING_DAYS = 250
EXTEND_MAX_HOURS = 24 * 365
# Keep in step with the message in _extension_amount.
EXTEND_FIRST_YEAR, EXTEND_LAST_YEAR = 2000, 2200
OPEN = (DeadlineState.RUNNING, DeadlineState.PAUSED)


def _check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give a reason: the seller sees it on the timeline."),
            code="reason_required",
            field="reason",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("A reason has at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def _lock_for_staff(*, actor: User, deadline: Deadline) -> tuple[Case, Deadline]:
    """Only support staff change a clock by hand (anyone else: the same 404 as a missing
    clock). Lock the case, then the clock: the order every service locks them in, so a
    status move and a staff action on the same case wait for each other instead of
    deadlocking, and the clock's state is read under the lock."""
    if not actor.is_support_staff:
        raise Http404("No such deadline.")
    case = Case.objects.select_for_update().get(pk=deadline.case_id)
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    deadline.case = case
    return case, deadline


def _name(deadline: Deadline) -> str:
    return deadline.rule_snapshot.get("name") or deadline.rule_snapshot.get("key", "")


def _settled_error(deadline: Deadline) -> ConflictError:
    return ConflictError(
        _("This clock is already “%(state)s”: only a running or paused clock can change.")
        % {"state": DeadlineState(deadline.state).label},
        code="deadline_settled",
        state=deadline.state,
    )


def _touch(case: Case, now: datetime) -> None:
    # The case changed (its next deadline did): API clients syncing on updated_at see it.
    case.updated_at = now
    case.save(update_fields=["updated_at"])
    case_refresh_urgency([case.pk])


def _notify(event: CaseEvent, case: Case) -> None:
    event.case = case
    notify_case_change(event=event)


@transaction.atomic
def deadline_staff_pause(*, actor: User, deadline: Deadline, reason: str) -> Deadline:
    """Support staff stop a clock by hand, e.g. while the platform is on holiday.

    1. Check the reason; lock the case, then the clock.
    2. A running clock pauses keeping its remaining time exactly (as info_requested does).
       A clock the case's info_requested paused becomes a staff pause, its time unchanged:
       leaving info_requested no longer resumes it.
    3. Write the event with the reason, and notify the owner."""
    reason = _check_reason(reason)
    case, deadline = _lock_for_staff(actor=actor, deadline=deadline)
    now = clock.now()
    if deadline.state == DeadlineState.RUNNING:
        event = deadline_pause(deadline=deadline, now=now, actor=actor, note=reason)
    elif deadline.state == DeadlineState.PAUSED and not deadline.paused_by_staff:
        deadline.paused_by_staff = True
        deadline.save(update_fields=["paused_by_staff"])
        remaining = duration_iso_string(deadline.remaining)
        event = CaseEvent.objects.create(
            case=case,
            kind=EventKind.DEADLINE_PAUSED,
            actor=actor,
            note=reason,
            created_at=now,
            changes={
                "deadline": clock_summary(deadline),
                "remaining": {"old": remaining, "new": remaining},
                "paused_by_staff": True,
            },
        )
    elif deadline.state == DeadlineState.PAUSED:
        raise ConflictError(
            _("“%(name)s” is already paused by staff.") % {"name": _name(deadline)},
            code="deadline_paused",
            state=deadline.state,
        )
    else:
        raise _settled_error(deadline)
    _touch(case, now)
    _notify(event, case)
    return deadline


@transaction.atomic
def deadline_staff_resume(*, actor: User, deadline: Deadline, reason: str) -> Deadline:
    """Support staff restart a paused clock (theirs, or one info_requested paused) from the
    time it had left, on today's calendar; the event carries the reason and the new due."""
    reason = _check_reason(reason)
    case, deadline = _lock_for_staff(actor=actor, deadline=deadline)
    if deadline.state == DeadlineState.RUNNING:
        raise ConflictError(
            _("“%(name)s” is running: there is nothing to resume.") % {"name": _name(deadline)},
            code="deadline_running",
            state=deadline.state,
        )
    if deadline.state != DeadlineState.PAUSED:
        raise _settled_error(deadline)
    now = clock.now()
    event = deadline_resume(deadline=deadline, now=now, actor=actor, note=reason)
    _touch(case, now)
    _notify(event, case)
    return deadline


def _extension_amount(
    working_days: int | None, hours: int | None, due_at: datetime | None
) -> tuple[str, object]:
    given = [
        (name, value)
        for name, value in (("working_days", working_days), ("hours", hours), ("due_at", due_at))
        if value is not None
    ]
    if len(given) != 1:
        raise DomainError(
            _("Extend by working days, by hours or to a new due moment: give exactly one."),
            code="extension_amount",
            field="working_days" if not given else given[1][0],
        )
    name, value = given[0]
    if name == "working_days" and not 1 <= value <= EXTEND_MAX_WORKING_DAYS:
        raise DomainError(
            _("Extend by 1 to %(max)d working days.") % {"max": EXTEND_MAX_WORKING_DAYS},
            field=name,
        )
    if name == "hours" and not 1 <= value <= EXTEND_MAX_HOURS:
        raise DomainError(
            _("Extend by 1 to %(max)d hours.") % {"max": EXTEND_MAX_HOURS}, field=name
        )
    if name == "due_at":
        if value.tzinfo is None or value.utcoffset() is None:
            raise DomainError(_("Give the new due moment with its time zone."), field=name)
        # PostgreSQL refuses offsets beyond ±15:59 and pre-1901 local times carry LMT
        # offsets: keep to a sensible range, in UTC (the web form and the API alike).
        try:
            value = value.astimezone(UTC)
        except OverflowError:  # 0001-01-01 ahead of UTC, 9999-12-31 behind it
            value = None
        if value is None or not EXTEND_FIRST_YEAR <= value.year <= EXTEND_LAST_YEAR:
            raise DomainError(_("Give a moment between 2000 and 2200."), field=name)
    return name, value


@transaction.atomic
def deadline_extend(
    *,
    actor: User,
    deadline: Deadline,
    reason: str,
    working_days: int | None = None,
    hours: int | None = None,
    due_at: datetime | None = None,
) -> Deadline:
    """Support staff give a clock more time: a number of working days or hours, or a new due
    moment. Never less time (use the reason to explain, the clock keeps its history).

    1. Check the reason and that exactly one amount is given; lock the case, then the clock.
    2. Running: move due_at later (working days count as working time from the old due
       moment, so 24:00 of a working day plus one working day is 24:00 of the next); the new
       moment must be later than the old one and not already past. Recompute the next
       warning and whether the date is provisional.
    3. Paused: add to the time it keeps (working time for working-day clocks); a new due
       moment cannot be set on a paused clock, whose due moment depends on when it resumes.
    4. Write the event with old and new due (or remaining) and the reason; notify the owner."""
    reason = _check_reason(reason)
    name, amount = _extension_amount(working_days, hours, due_at)
    case, deadline = _lock_for_staff(actor=actor, deadline=deadline)
    if deadline.state not in OPEN:
        raise _settled_error(deadline)
    now = clock.now()
    working = deadline.rule_snapshot.get("unit") == DeadlineUnit.WORKING_DAYS
    changes: dict = {}
    if deadline.state == DeadlineState.PAUSED:
        if name == "due_at":
            raise ConflictError(
                _(
                    "A paused clock has no due moment yet: extend it by working days or "
                    "hours, or resume it first."
                ),
                code="deadline_paused",
                field="due_at",
                state=deadline.state,
            )
        if name == "working_days" and not working:
            raise DomainError(
                _(
                    "This paused clock counts calendar time, not working days: extend it "
                    "by hours, or resume it first."
                ),
                field="working_days",
            )
        old = deadline.remaining
        step = timedelta(days=amount) if name == "working_days" else timedelta(hours=amount)
        deadline.remaining = old + step
        deadline.save(update_fields=["remaining"])
        changes["remaining"] = {
            "old": duration_iso_string(old),
            "new": duration_iso_string(deadline.remaining),
        }
    else:
        old_due = deadline.due_at
        if name == "working_days":
            due = calendar.add_working_time(old_due, timedelta(days=amount))
            new_due, provisional = due.due_at, deadline.provisional or due.provisional
        elif name == "hours":
            new_due, provisional = calendar.add_hours(old_due, amount).due_at, deadline.provisional
        else:
            # A moment set by hand does not depend on any calendar.
            new_due, provisional = amount, False
        if new_due <= old_due:
            raise DomainError(
                _("The new due moment must be later than the current one (%(due)s).")
                % {"due": format_due(old_due)},
                code="extension_earlier",
                field=name,
            )
        if new_due <= now:
            raise DomainError(
                _("The new due moment has already passed."), code="extension_past", field=name
            )
        # Extended, the due moment is no longer the period's end moved past a rest day: the
        # panel must not say "originally due …".
        deadline.due_at, deadline.provisional, deadline.rolled_from = new_due, provisional, None
        deadline.warn_at = next_warning(deadline.rule_snapshot, new_due, after=now)
        deadline.save(update_fields=["due_at", "provisional", "rolled_from", "warn_at"])
        changes["due_at"] = {"old": old_due.isoformat(), "new": new_due.isoformat()}
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.DEADLINE_EXTENDED,
        actor=actor,
        note=reason,
        created_at=now,
        # "by" says how: the recompute can tell working days (which a calendar edit moves)
        # from a moment set by hand (which it does not).
        changes={
            "deadline": clock_summary(deadline),
            **changes,
            "by": {name: amount.isoformat() if name == "due_at" else amount},
        },
    )
    _touch(case, now)
    _notify(event, case)
    return deadline
