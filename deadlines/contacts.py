"""What logging a contact does to a case's clocks (called inside contact_log's transaction):
the answers it gives, the clocks its filing starts, and a follow-up date. Correcting a contact
is deadlines/corrections.py."""

from datetime import datetime

from cases import clock
from cases.choices import EventKind, FilingType
from cases.models import Case
from deadlines.choices import DeadlineState, DeadlineUnit, Trigger, WaitingOn
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import case_refresh_urgency, deadline_start, rule_matches, settle

# A body's answers: each meets the clock that body owes (the latest it started).
_ANSWERS = {
    FilingType.RESPONSE_RECEIVED,
    FilingType.DECISION_RECEIVED,
    FilingType.ACCEPTED,
    FilingType.REFUSED,
    FilingType.MEDIATION_ENDED,
}


def deadlines_on_contact(*, entry) -> None:
    """What logging a contact does to the clocks (called inside contact_log's transaction):

    1. A reply or decision from a body settles only the clock that body owes: the latest
       open clock started by a contact with the same body. Our own messages, and anything
       from the platform, settle nothing: the platform's clocks follow the case's status.
    2. A filing a clock waits for (its rule's met_by_filing_types: an appeal, a
       counter-notice) meets it.
    3. Rules triggered by this filing (and body) start a clock from when the contact happened;
       a clock of the same rule for the same body restarts (a new filing resets only its own),
       as does one the rule started from a date in the details (the contact is the record).
    4. A follow-up date starts a clock that runs until that date.
    """
    case, now = entry.case, clock.now()
    contact_answers(entry=entry, now=now)
    contact_starts(entry=entry, now=now)
    follow_up_start(entry=entry)
    case_refresh_urgency([case.pk])


def _open_clocks(case: Case) -> list[Deadline]:
    # Paused clocks too: one staff hold is still owed, and still reset by a new filing.
    return list(
        case.deadlines.filter(
            state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED]
        ).select_related("contact", "rule")
    )


def contact_answers(*, entry, now: datetime) -> None:
    """Steps 1 and 2 of deadlines_on_contact: the clocks this contact answers are met."""
    open_clocks = _open_clocks(entry.case)
    done = []
    if entry.filing_type in _ANSWERS and entry.body_id is not None:
        owed = [
            d
            for d in open_clocks
            if d.waiting_on == WaitingOn.BODY
            and d.contact is not None
            and d.contact_id != entry.pk
            and d.contact.body_id == entry.body_id
        ]
        if owed:
            done.append(max(owed, key=lambda d: (d.started_at, d.pk)))
    # The seller doing what a clock waits for (an appeal, a counter-notice) meets it.
    done += [
        d
        for d in open_clocks
        if d not in done and entry.filing_type in (d.rule_snapshot.get("met_by_filing_types") or [])
    ]
    settle(done, state=DeadlineState.MET, event_kind=EventKind.DEADLINE_MET, now=now)


def contact_starts(*, entry, now: datetime) -> None:
    """Step 3 of deadlines_on_contact: the clocks this filing (and body) starts."""
    case = entry.case
    open_clocks = _open_clocks(case)
    slug = entry.body.slug if entry.body_id else None
    for rule in DeadlineRule.objects.filter(active=True, trigger=Trigger.CONTACT_LOGGED).exclude(
        unit=DeadlineUnit.UNTIL_DATE
    ):
        if rule.trigger_filing_type != entry.filing_type or not rule_matches(rule, case):
            continue
        if rule.trigger_bodies and slug not in rule.trigger_bodies:
            continue
        same = [
            d
            for d in open_clocks
            if d.rule_id == rule.pk
            and (
                (d.contact is not None and d.contact.body_id == entry.body_id)
                or (d.contact is None and rule.trigger_detail)
            )
        ]
        settle(
            same, state=DeadlineState.CANCELLED, event_kind=EventKind.DEADLINE_CANCELLED, now=now
        )
        deadline_start(case=case, rule=rule, start=entry.occurred_at, contact=entry)


def follow_up_start(*, entry) -> None:
    """Step 4 of deadlines_on_contact: a follow-up date runs a clock until that date."""
    if not entry.follow_up_on:
        return
    for rule in DeadlineRule.objects.filter(
        active=True, trigger=Trigger.CONTACT_LOGGED, unit=DeadlineUnit.UNTIL_DATE
    ):
        deadline_start(
            case=entry.case,
            rule=rule,
            start=entry.occurred_at,
            contact=entry,
            until=entry.follow_up_on,
        )
