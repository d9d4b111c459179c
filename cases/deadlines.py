"""Clocks on a case: from a rule and the moment its trigger happened to the moment the clock
runs out (`compute_due`, pure, with a worked example per shipped rule), and what starting,
pausing, resuming and settling does to them. The sweep (cases/sweep.py) warns and breaches."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.forms.models import model_to_dict

from cases import calendar, clock
from cases.choices import DeadlineState, DeadlineUnit, EventKind, Status, Trigger, WaitingOn
from cases.lifecycle import CLOSED
from cases.models import Case, CaseEvent, Deadline, DeadlineRule
from cases.sweep import next_warning


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


def deadline_pause(*, deadline: Deadline, now: datetime) -> Deadline:
    """Stop a clock, keeping the time it has left (working time for working-day clocks)."""
    deadline.remaining = _remaining(deadline, now)
    deadline.state, deadline.paused_at, deadline.warn_at = DeadlineState.PAUSED, now, None
    deadline.save(update_fields=["remaining", "state", "paused_at", "warn_at"])
    CaseEvent.objects.create(
        case_id=deadline.case_id,
        kind=EventKind.DEADLINE_PAUSED,
        created_at=now,
        changes={"deadline": _summary(deadline)},
    )
    return deadline


def deadline_resume(*, deadline: Deadline, now: datetime) -> Deadline:
    """Restart a paused clock from the time it had left, on today's calendar."""
    if deadline.rule_snapshot["unit"] == DeadlineUnit.WORKING_DAYS:
        due = calendar.add_working_time(now, deadline.remaining)
    else:
        due = calendar.Due(due_at=now + deadline.remaining, provisional=deadline.provisional)
    deadline.state, deadline.due_at = DeadlineState.RUNNING, due.due_at
    deadline.provisional = due.provisional
    deadline.warn_at = next_warning(deadline.rule_snapshot, due.due_at, after=now)
    deadline.paused_at, deadline.remaining = None, None
    deadline.save(
        update_fields=["state", "due_at", "provisional", "warn_at", "paused_at", "remaining"]
    )
    CaseEvent.objects.create(
        case_id=deadline.case_id,
        kind=EventKind.DEADLINE_RESUMED,
        created_at=now,
        changes={"deadline": _summary(deadline)},
    )
    return deadline


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
        return
    running = [d for d in open_clocks if d.state == DeadlineState.RUNNING]
    if to_status == Status.INFO_REQUESTED:
        for deadline in running:
            if deadline.waiting_on == WaitingOn.PLATFORM:
                deadline_pause(deadline=deadline, now=now)
    else:
        if from_status == Status.INFO_REQUESTED:
            for deadline in open_clocks:
                if deadline.state == DeadlineState.PAUSED:
                    deadline_resume(deadline=deadline, now=now)
        answered = [
            d
            for d in running
            if d.rule_snapshot.get("trigger") == Trigger.STATUS_ENTERED
            and from_status in (d.rule_snapshot.get("trigger_statuses") or [])
            and not (from_status == Status.INFO_REQUESTED and d.waiting_on == WaitingOn.PLATFORM)
        ]
        _settle(answered, state=DeadlineState.MET, event_kind=EventKind.DEADLINE_MET, now=now)
    # A clock still running for a rule (resumed after info_requested) carries on: no twin.
    still_running = set(
        case.deadlines.filter(state=DeadlineState.RUNNING).values_list("rule_id", flat=True)
    )
    rules = [
        rule
        for rule in DeadlineRule.objects.filter(active=True, trigger=Trigger.STATUS_ENTERED)
        if to_status in (rule.trigger_statuses or [])
        and _matches(rule, case)
        and rule.pk not in still_running
    ]
    for rule in _most_specific(rules):
        deadline_start(case=case, rule=rule, start=now)


# --- Contacts ---------------------------------------------------------------------------------

_ANSWERS = {"response_received", "decision_received"}


def deadlines_on_contact(*, entry) -> None:
    """What logging a contact does to the clocks (called inside contact_log's transaction):

    1. A reply or decision from a body settles only the clock that body owes: the latest
       running clock started by a contact with the same body. Our own messages, and anything
       from the platform, settle nothing: the platform's clocks follow the case's status.
    2. Rules triggered by this filing (and body) start a clock from when the contact happened;
       a clock of the same rule for the same body restarts (a new filing resets only its own).
    3. A follow-up date starts a clock that runs until that date.
    """
    case, now = entry.case, clock.now()
    running = list(
        case.deadlines.filter(state=DeadlineState.RUNNING).select_related("contact", "rule")
    )
    if entry.filing_type in _ANSWERS and entry.body_id is not None:
        owed = [
            d
            for d in running
            if d.waiting_on == WaitingOn.BODY
            and d.contact is not None
            and d.contact.body_id == entry.body_id
        ]
        if owed:
            latest = max(owed, key=lambda d: (d.started_at, d.pk))
            _settle([latest], state=DeadlineState.MET, event_kind=EventKind.DEADLINE_MET, now=now)
            running.remove(latest)
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
            for d in running
            if d.rule_id == rule.pk and d.contact is not None and d.contact.body_id == entry.body_id
        ]
        _settle(
            same, state=DeadlineState.CANCELLED, event_kind=EventKind.DEADLINE_CANCELLED, now=now
        )
        deadline_start(case=case, rule=rule, start=entry.occurred_at, contact=entry)


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
    now, zone = clock.now(), ZoneInfo(settings.TIME_ZONE)
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
