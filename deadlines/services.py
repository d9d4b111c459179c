"""Clocks on a case: from a rule and the moment its trigger happened to the moment the clock
runs out (`compute_due`, pure, with a worked example per shipped rule), and what starting,
pausing, resuming and settling does to them. The sweep (deadlines/sweep.py) warns and breaches."""

from datetime import UTC, date, datetime, timedelta

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
from django.utils.duration import duration_iso_string

from accounts.models import User
from cases import clock
from cases.choices import EventKind, Status
from cases.lifecycle import CLOSED
from cases.models import Case, CaseEvent
from deadlines import calendar
from deadlines.calendar import next_warning
from deadlines.choices import DeadlineState, DeadlineUnit, Trigger, WaitingOn
from deadlines.models import Deadline, DeadlineRule


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


# Earlier than any clock: a case never reopened counts all its breaches.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


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
    # Only breaches since the case was last reopened: the ones before belong to its closed
    # chapter.
    breached = Deadline.objects.filter(
        case=OuterRef("pk"),
        state=DeadlineState.BREACHED,
        settled_at__gt=Coalesce(OuterRef("reopened_at"), Value(EPOCH)),
    )
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


def rule_matches(rule: DeadlineRule, case: Case) -> bool:
    return (
        (not rule.case_kinds or case.kind in rule.case_kinds)
        and (not rule.platforms or case.platform in rule.platforms)
        and (not rule.priority or case.priority == rule.priority)
        # A decision recorded before results were ("") starts every decided clock, as before.
        and (
            not rule.decision_results
            or not case.decision_result
            or case.decision_result in rule.decision_results
        )
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
        rolled_from=due.rolled_from,
        contact=contact,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.DEADLINE_STARTED,
        created_at=now,
        changes={"deadline": clock_summary(deadline)},
    )
    return deadline


def clock_summary(deadline: Deadline) -> dict:
    return {
        "id": deadline.pk,
        "rule": deadline.rule_snapshot.get("key"),
        "name": deadline.rule_snapshot.get("name"),
        "name_zh": deadline.rule_snapshot.get("name_zh"),
        "due_at": deadline.due_at.isoformat(),
        "waiting_on": deadline.waiting_on,
    }


def settle(deadlines, *, state: str, event_kind: str, now: datetime) -> None:
    for deadline in deadlines:
        deadline.state, deadline.settled_at = state, now
        deadline.save(update_fields=["state", "settled_at"])
        CaseEvent.objects.create(
            case_id=deadline.case_id,
            kind=event_kind,
            created_at=now,
            changes={"deadline": clock_summary(deadline)},
        )


def counts_days(snapshot: dict) -> bool:
    """A clock counted in days, months or years (not hours): it pauses keeping whole days."""
    return snapshot.get("unit") != DeadlineUnit.HOURS


def remaining_at(deadline: Deadline, now: datetime) -> timedelta:
    """What a clock keeps when paused at `now`: whole days for a day clock (calendar's
    "Pauses on day clocks"), exact time for an hour clock."""
    snapshot = deadline.rule_snapshot
    if counts_days(snapshot):
        days = calendar.whole_days_left(
            deadline.due_at,
            now,
            working=snapshot.get("unit") == DeadlineUnit.WORKING_DAYS,
            rolled_from=deadline.rolled_from,
        )
        return timedelta(days=days)
    return max(deadline.due_at - now, timedelta(0))


def resumed_due(snapshot: dict, remaining: timedelta, now: datetime, provisional: bool):
    """The due moment of a clock resumed at `now` with what it kept (see remaining_at)."""
    if counts_days(snapshot):
        return calendar.resume_days(
            now,
            calendar.days_kept(remaining),
            working=snapshot.get("unit") == DeadlineUnit.WORKING_DAYS,
            roll_over=snapshot.get("roll_over", False),
        )
    return calendar.Due(due_at=now + remaining, provisional=provisional)


def deadline_pause(
    *, deadline: Deadline, now: datetime, actor: User | None = None, note: str = ""
) -> CaseEvent:
    """Stop a clock, keeping the time it has left (whole days for a day clock, so that it
    resumes at a day's end; exact time for an hour clock).
    Returns its event: by the case's move when `actor` is None, else by that person."""
    old_due = deadline.due_at
    deadline.remaining = remaining_at(deadline, now)
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
            "deadline": clock_summary(deadline),
            "due_at": {"old": old_due.isoformat(), "new": None},
            "remaining": {"old": None, "new": duration_iso_string(deadline.remaining)},
        },
    )


def deadline_resume(
    *, deadline: Deadline, now: datetime, actor: User | None = None, note: str = ""
) -> CaseEvent:
    """Restart a paused clock from the time it had left, on today's calendar (a day clock
    rolls over again if its rule does)."""
    remaining = deadline.remaining
    due = resumed_due(deadline.rule_snapshot, remaining, now, deadline.provisional)
    deadline.state, deadline.due_at = DeadlineState.RUNNING, due.due_at
    deadline.provisional, deadline.rolled_from = due.provisional, due.rolled_from
    deadline.warn_at = next_warning(deadline.rule_snapshot, due.due_at, after=now)
    deadline.paused_at, deadline.remaining, deadline.paused_by_staff = None, None, False
    deadline.save(
        update_fields=[
            "state",
            "due_at",
            "provisional",
            "rolled_from",
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
            "deadline": clock_summary(deadline),
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
    4. Clocks of rules triggered by the new status start now; entering "decided", from when
       the decision was notified (the appeal window runs from the notification, not the move).
    """
    now = clock.now()
    open_clocks = list(
        case.deadlines.filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED])
    )
    if to_status in CLOSED:
        settle(
            open_clocks,
            state=DeadlineState.CANCELLED,
            event_kind=EventKind.DEADLINE_CANCELLED,
            now=now,
        )
        case_refresh_urgency([case.pk])
        return
    if from_status in CLOSED:
        # Reopened: the clocks its details drive (limitation, no-reason return…) run again,
        # those the closing cancelled; a window already breached or met stays so.
        restore_detail_clocks(case=case)
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
        # Clocks this move answers by their rule (an appeal window met by filing the appeal).
        answered += [
            d
            for d in running + held
            if d not in answered and to_status in (d.rule_snapshot.get("met_by_statuses") or [])
        ]
        settle(answered, state=DeadlineState.MET, event_kind=EventKind.DEADLINE_MET, now=now)
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
        and rule_matches(rule, case)
        and rule.pk not in still_open
    ]
    start = now
    if to_status == Status.DECIDED and case.decision_notified_at is not None:
        start = case.decision_notified_at
    for rule in _most_specific(rules):
        deadline_start(case=case, rule=rule, start=start)
    case_refresh_urgency([case.pk])


# --- Dates in the case details ----------------------------------------------------------------


def _detail_rules(case: Case) -> list[DeadlineRule]:
    """The rules a date in this case's details starts: detail-date rules, and contact rules
    that also start from a date the seller typed (the exit application's date)."""
    rules = [
        rule
        for rule in DeadlineRule.objects.filter(active=True).exclude(trigger_detail="")
        if rule.trigger in (Trigger.DETAIL_DATE, Trigger.CONTACT_LOGGED)
        and rule_matches(rule, case)
    ]
    return _most_specific(rules)


def deadlines_on_details(*, case: Case) -> None:
    """Clocks that run from a date in the case details (exit applied for, store closed, ban,
    notice, takedown, goods received, harm learned of). A changed date restarts its clock; a
    removed date cancels it. A clock the rule started from a logged contact is left alone: the
    contact is the record. A date long past starts a clock already overdue (the sweep breaches
    it within the minute). Runs inside the create or update transaction."""
    # The dates are the region's days (Beijing's for China), whatever zone the server runs in.
    now, zone = clock.now(), calendar.region_zone()
    rules = _detail_rules(case)
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
            if current.contact_id is not None:
                continue
            if day is not None and current.started_at.astimezone(zone).date() == day:
                continue
            settle(
                [current],
                state=DeadlineState.CANCELLED,
                event_kind=EventKind.DEADLINE_CANCELLED,
                now=now,
            )
        if day is not None and not _answered(case, rule):
            # The day itself is not counted: the period starts on the next local day.
            start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
            deadline_start(case=case, rule=rule, start=start)
    if rules:
        case_refresh_urgency([case.pk])


def restore_detail_clocks(*, case: Case) -> None:
    """Start again the detail-date clocks whose latest clock the case's closing cancelled."""
    rules = _detail_rules(case)
    latest: dict[int, Deadline] = {}
    for deadline in case.deadlines.filter(rule__in=rules).order_by("id"):
        latest[deadline.rule_id] = deadline
    zone = calendar.region_zone()
    for rule in rules:
        last = latest.get(rule.pk)
        if last is None or last.state != DeadlineState.CANCELLED or last.contact_id is not None:
            continue
        raw = (case.details or {}).get(rule.trigger_detail)
        if raw:
            start = datetime.combine(date.fromisoformat(raw), datetime.min.time(), tzinfo=zone)
            deadline_start(case=case, rule=rule, start=start)


def _answered(case: Case, rule: DeadlineRule) -> bool:
    """Whether the case already did what the rule's clock waits for (an appeal window on a
    case that was filed with the platform): then a date typed later starts nothing."""
    if not rule.met_by_statuses:
        return False
    return CaseEvent.objects.filter(
        case=case, kind=EventKind.STATUS_CHANGED, to_status__in=rule.met_by_statuses
    ).exists()
