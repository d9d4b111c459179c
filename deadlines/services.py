"""Clocks on a case: from a rule and the moment its trigger happened to the moment the clock
runs out (`compute_due`, pure, with a worked example per shipped rule), and what starting,
pausing, resuming and settling does to them. The sweep (deadlines/sweep.py) warns and breaches."""

from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SQLCase
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.choices import EventKind, Status
from cases.formats import format_due
from cases.lifecycle import CLOSED
from cases.models import Case, CaseEvent
from config.errors import ConflictError, DomainError
from deadlines import calendar
from deadlines.calendar import next_warning
from deadlines.choices import DeadlineState, DeadlineUnit, Trigger, WaitingOn
from deadlines.models import Deadline, DeadlineRule
from notifications.services import notify_case_change


def rule_snapshot(rule: DeadlineRule) -> dict:
    """The rule as it is now, kept on each clock: editing a rule does not rewrite running
    clocks."""
    snapshot = model_to_dict(rule, exclude=["id"])
    snapshot["key"] = rule.key
    return snapshot


def compute_due(
    *, snapshot: dict, start: datetime, until: date | None = None, region=None, tz=None
) -> calendar.Due:
    """When a clock started at `start` under this rule runs out.

    `until` is the date a follow-up clock waits for (the contact's follow-up date)."""
    unit, n, roll = snapshot["unit"], snapshot["duration"], snapshot.get("roll_over", False)
    if unit == DeadlineUnit.HOURS:
        return calendar.add_hours(start, n)
    if unit == DeadlineUnit.WORKING_DAYS:
        return calendar.add_working_days(start, n, region=region, tz=tz)
    if unit == DeadlineUnit.NATURAL_DAYS:
        return calendar.add_natural_days(start, n, roll_over=roll, region=region, tz=tz)
    if unit == DeadlineUnit.MONTHS:
        return calendar.add_months(start, n, roll_over=roll, region=region, tz=tz)
    if unit == DeadlineUnit.YEARS:
        return calendar.add_years(start, n, roll_over=roll, region=region, tz=tz)
    if unit == DeadlineUnit.UNTIL_DATE:
        if until is None:
            raise ValueError(f"rule {snapshot['key']} waits for a date and none was given")
        return calendar.Due(
            due_at=calendar.end_of_day(until, tz),
            provisional=calendar.is_provisional(until, region),
        )
    raise ValueError(f"unknown unit {unit!r}")


# --- The staff queue's urgency, denormalised onto the case ------------------------------------


def running_deadlines(case_ref) -> QuerySet[Deadline]:
    """A case's running clocks, the next one due first (ties by id): `case_ref` is a case or
    an `OuterRef` to one."""
    return Deadline.objects.filter(case=case_ref, state=DeadlineState.RUNNING).order_by(
        "due_at", "id"
    )


def case_refresh_urgency(case_ids, **also) -> int:
    """Recompute `Case.next_due_at` and `Case.next_due_rule` (the first running clock's due
    moment and rule key, null and "" if none) and `Case.breached_open` (a breached clock on a
    case not closed) for these cases, in one UPDATE with correlated subqueries on the
    (case, state, due_at) index. Every code path that
    starts, pauses, resumes, settles, extends, breaches or recomputes a clock, or closes or
    reopens a case, ends by calling this, so the queue orders on two plain columns.
    `also`: more columns for the same UPDATE (the sweep raises priority in it)."""
    ids = sorted({int(pk) for pk in case_ids if pk is not None})
    if not ids:
        return 0
    first = running_deadlines(OuterRef("pk"))[:1]
    rule = first.annotate(key=KeyTextTransform("key", "rule_snapshot")).values("key")
    breached = Deadline.objects.filter(case=OuterRef("pk"), state=DeadlineState.BREACHED)
    return Case.objects.filter(pk__in=ids).update(
        next_due_at=Subquery(first.values("due_at")),
        next_due_rule=Coalesce(Subquery(rule), Value(""), output_field=CharField()),
        breached_open=SQLCase(
            When(Q(Exists(breached)) & ~Q(status__in=CLOSED), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        **also,
    )


# --- Starting, pausing, resuming and settling clocks ------------------------------------------


def _matches(rule: DeadlineRule, case: Case) -> bool:
    return (
        (not rule.case_kinds or case.kind in rule.case_kinds)
        and (not rule.platforms or case.platform in rule.platforms)
        and (not rule.priority or case.priority == rule.priority)
    )


def _most_specific(rules: list[DeadlineRule]) -> list[DeadlineRule]:
    """A platform-specific rule replaces the general one of the same family
    (appeal.window.tiktok_shop replaces appeal.window on TikTok Shop cases)."""
    keys = {rule.key for rule in rules}
    return [r for r in rules if not any(k.startswith(r.key + ".") for k in keys if k != r.key)]


def deadline_start(
    *,
    case: Case,
    rule: DeadlineRule,
    start: datetime,
    contact=None,
    until: date | None = None,
) -> Deadline:
    """Start one clock; its due moment and first warning are computed now, once."""
    snapshot = rule_snapshot(rule)
    due = compute_due(snapshot=snapshot, start=start, until=until)
    now = clock.now()
    deadline = Deadline.objects.create(
        case=case,
        rule=rule,
        rule_snapshot=snapshot,
        waiting_on=rule.waiting_on,
        started_at=start,
        due_at=due.due_at,
        warn_at=next_warning(snapshot, due.due_at, after=now),
        provisional=due.provisional,
        contact=contact,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.DEADLINE_STARTED,
        created_at=now,
        changes={"deadline": _summary(deadline)},
    )
    return deadline


def _summary(deadline: Deadline) -> dict:
    return {
        "id": deadline.pk,
        "rule": deadline.rule_snapshot.get("key"),
        "name": deadline.rule_snapshot.get("name"),
        "name_zh": deadline.rule_snapshot.get("name_zh"),
        "due_at": deadline.due_at.isoformat(),
        "waiting_on": deadline.waiting_on,
    }


def _settle(deadlines, *, state: str, event_kind: str, now: datetime) -> None:
    for deadline in deadlines:
        deadline.state, deadline.settled_at = state, now
        deadline.save(update_fields=["state", "settled_at"])
        CaseEvent.objects.create(
            case_id=deadline.case_id,
            kind=event_kind,
            created_at=now,
            changes={"deadline": _summary(deadline)},
        )


def _remaining(deadline: Deadline, now: datetime) -> timedelta:
    if deadline.rule_snapshot["unit"] == DeadlineUnit.WORKING_DAYS:
        return calendar.working_time_between(now, deadline.due_at)
    return max(deadline.due_at - now, timedelta(0))


def deadline_pause(
    *, deadline: Deadline, now: datetime, actor: User | None = None, note: str = ""
) -> CaseEvent:
    """Stop a clock, keeping the time it has left (working time for working-day clocks).
    Returns its event: by the case's move when `actor` is None, else by that person."""
    old_due = deadline.due_at
    deadline.remaining = _remaining(deadline, now)
    deadline.state, deadline.paused_at, deadline.warn_at = DeadlineState.PAUSED, now, None
    deadline.paused_by_staff = actor is not None
    deadline.save(update_fields=["remaining", "state", "paused_at", "warn_at", "paused_by_staff"])
    return CaseEvent.objects.create(
        case_id=deadline.case_id,
        kind=EventKind.DEADLINE_PAUSED,
        actor=actor,
        note=note,
        created_at=now,
        changes={
            "deadline": _summary(deadline),
            "due_at": {"old": old_due.isoformat(), "new": None},
            "remaining": {"old": None, "new": duration_iso_string(deadline.remaining)},
        },
    )


def deadline_resume(
    *, deadline: Deadline, now: datetime, actor: User | None = None, note: str = ""
) -> CaseEvent:
    """Restart a paused clock from the time it had left, on today's calendar."""
    remaining = deadline.remaining
    if deadline.rule_snapshot["unit"] == DeadlineUnit.WORKING_DAYS:
        due = calendar.add_working_time(now, remaining)
    else:
        due = calendar.Due(due_at=now + remaining, provisional=deadline.provisional)
    deadline.state, deadline.due_at = DeadlineState.RUNNING, due.due_at
    deadline.provisional = due.provisional
    deadline.warn_at = next_warning(deadline.rule_snapshot, due.due_at, after=now)
    deadline.paused_at, deadline.remaining, deadline.paused_by_staff = None, None, False
    deadline.save(
        update_fields=[
            "state",
            "due_at",
            "provisional",
            "warn_at",
            "paused_at",
            "remaining",
            "paused_by_staff",
        ]
    )
    return CaseEvent.objects.create(
        case_id=deadline.case_id,
        kind=EventKind.DEADLINE_RESUMED,
        actor=actor,
        note=note,
        created_at=now,
        changes={
            "deadline": _summary(deadline),
            "due_at": {"old": None, "new": deadline.due_at.isoformat()},
            "remaining": {"old": duration_iso_string(remaining), "new": None},
        },
    )


def deadlines_on_status_entered(*, case: Case, from_status: str, to_status: str) -> None:
    """What a move does to the clocks (called inside the move's transaction):

    1. Closing the case cancels every open clock.
    2. Entering info_requested pauses the platform's clocks; leaving it resumes them and meets
       the seller's reply clock.
    3. Otherwise the clocks the previous status started were answered by this move: met.
    4. Clocks of rules triggered by the new status start now.
    """
    now = clock.now()
    open_clocks = list(
        case.deadlines.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED])
    )
    if to_status in CLOSED:
        _settle(
            open_clocks,
            state=DeadlineState.CANCELLED,
            event_kind=EventKind.DEADLINE_CANCELLED,
            now=now,
        )
        case_refresh_urgency([case.pk])
        return
    running = [d for d in open_clocks if d.state == DeadlineState.RUNNING]
    if to_status == Status.INFO_REQUESTED:
        for deadline in running:
            if deadline.waiting_on == WaitingOn.PLATFORM:
                deadline_pause(deadline=deadline, now=now)
    else:
        if from_status == Status.INFO_REQUESTED:
            for deadline in open_clocks:
                # A clock staff paused stays paused until staff resume it.
                if deadline.state == DeadlineState.PAUSED and not deadline.paused_by_staff:
                    deadline_resume(deadline=deadline, now=now)
        held = [d for d in open_clocks if d.state == DeadlineState.PAUSED and d.paused_by_staff]
        answered = [
            d
            for d in running + held
            if d.rule_snapshot.get("trigger") == Trigger.STATUS_ENTERED
            and from_status in (d.rule_snapshot.get("trigger_statuses") or [])
            and not (from_status == Status.INFO_REQUESTED and d.waiting_on == WaitingOn.PLATFORM)
        ]
        _settle(answered, state=DeadlineState.MET, event_kind=EventKind.DEADLINE_MET, now=now)
    # A clock still open for a rule (resumed after info_requested, or held by staff) carries
    # on: no twin.
    still_open = set(
        case.deadlines.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]).values_list(
            "rule_id", flat=True
        )
    )
    rules = [
        rule
        for rule in DeadlineRule.objects.filter(active=True, trigger=Trigger.STATUS_ENTERED)
        if to_status in (rule.trigger_statuses or [])
        and _matches(rule, case)
        and rule.pk not in still_open
    ]
    for rule in _most_specific(rules):
        deadline_start(case=case, rule=rule, start=now)
    case_refresh_urgency([case.pk])


# --- Contacts ---------------------------------------------------------------------------------

_ANSWERS = {"response_received", "decision_received"}


def deadlines_on_contact(*, entry) -> None:
    """What logging a contact does to the clocks (called inside contact_log's transaction):

    1. A reply or decision from a body settles only the clock that body owes: the latest
       open clock started by a contact with the same body. Our own messages, and anything
       from the platform, settle nothing: the platform's clocks follow the case's status.
    2. Rules triggered by this filing (and body) start a clock from when the contact happened;
       a clock of the same rule for the same body restarts (a new filing resets only its own).
    3. A follow-up date starts a clock that runs until that date.
    """
    case, now = entry.case, clock.now()
    # Paused clocks too: one staff hold is still owed, and still reset by a new filing.
    open_clocks = list(
        case.deadlines.filter(
            state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]
        ).select_related("contact", "rule")
    )
    if entry.filing_type in _ANSWERS and entry.body_id is not None:
        owed = [
            d
            for d in open_clocks
            if d.waiting_on == WaitingOn.BODY
            and d.contact is not None
            and d.contact.body_id == entry.body_id
        ]
        if owed:
            latest = max(owed, key=lambda d: (d.started_at, d.pk))
            _settle([latest], state=DeadlineState.MET, event_kind=EventKind.DEADLINE_MET, now=now)
            open_clocks.remove(latest)
    slug = entry.body.slug if entry.body_id else None
    for rule in DeadlineRule.objects.filter(active=True, trigger=Trigger.CONTACT_LOGGED):
        if rule.unit == DeadlineUnit.UNTIL_DATE:
            if entry.follow_up_on:
                deadline_start(
                    case=case,
                    rule=rule,
                    start=entry.occurred_at,
                    contact=entry,
                    until=entry.follow_up_on,
                )
            continue
        if rule.trigger_filing_type != entry.filing_type or not _matches(rule, case):
            continue
        if rule.trigger_bodies and slug not in rule.trigger_bodies:
            continue
        same = [
            d
            for d in open_clocks
            if d.rule_id == rule.pk and d.contact is not None and d.contact.body_id == entry.body_id
        ]
        _settle(
            same, state=DeadlineState.CANCELLED, event_kind=EventKind.DEADLINE_CANCELLED, now=now
        )
        deadline_start(case=case, rule=rule, start=entry.occurred_at, contact=entry)
    case_refresh_urgency([case.pk])


def deadlines_on_contact_corrected(*, entry) -> None:
    """A corrected contact restarts the clocks it started, from the corrected facts."""
    started = list(entry.deadlines.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]))
    _settle(
        started,
        state=DeadlineState.CANCELLED,
        event_kind=EventKind.DEADLINE_CANCELLED,
        now=clock.now(),
    )
    deadlines_on_contact(entry=entry)


# --- Dates in the case details ----------------------------------------------------------------


def deadlines_on_details(*, case: Case) -> None:
    """Clocks that run from a date in the case details (goods received; harm learned of).
    A changed date restarts its clock; a removed date cancels it. Runs inside the create or
    update transaction."""
    # The dates are the region's days (Beijing's for China), whatever zone the server runs in.
    now, zone = clock.now(), calendar.region_zone()
    rules = [
        rule
        for rule in DeadlineRule.objects.filter(active=True, trigger=Trigger.DETAIL_DATE)
        if _matches(rule, case)
    ]
    open_clocks = {
        d.rule_id: d
        for d in case.deadlines.filter(
            rule__in=rules, state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]
        )
    }
    for rule in rules:
        raw = (case.details or {}).get(rule.trigger_detail)
        day = date.fromisoformat(raw) if raw else None
        current = open_clocks.get(rule.pk)
        if current is not None:
            if day is not None and current.started_at.astimezone(zone).date() == day:
                continue
            _settle(
                [current],
                state=DeadlineState.CANCELLED,
                event_kind=EventKind.DEADLINE_CANCELLED,
                now=now,
            )
        if day is not None:
            # The day itself is not counted: the period starts on the next local day.
            start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
            deadline_start(case=case, rule=rule, start=start)
    if rules:
        case_refresh_urgency([case.pk])


# --- Staff: pause, resume and extend a clock, with a reason ---------------------------------

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
                "deadline": _summary(deadline),
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
        deadline.due_at, deadline.provisional = new_due, provisional
        deadline.warn_at = next_warning(deadline.rule_snapshot, new_due, after=now)
        deadline.save(update_fields=["due_at", "provisional", "warn_at"])
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
            "deadline": _summary(deadline),
            **changes,
            "by": {name: amount.isoformat() if name == "due_at" else amount},
        },
    )
    _touch(case, now)
    _notify(event, case)
    return deadline
