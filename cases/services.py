"""Every change to a case goes through here, and each writes its `CaseEvent` in the same
transaction. Web views, the API, admin actions and commands call these functions."""

import datetime
import zoneinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.choices import (
    CaseKind,
    DecisionResult,
    EventKind,
    Outcome,
    PartyRole,
    Priority,
    Status,
)
from cases.counts import status_count_move
from cases.hooks import ask, react
from cases.kinds import KINDS, details_form_for
from cases.lifecycle import CLOSED, allowed_targets
from cases.models import REFERENCE_PREFIX, Case, CaseEvent, ReferenceSequence
from config.errors import ConflictError, DomainError

NOTE_MAX_LENGTH = 2000

# Fields a case's owner or staff may edit after filing. `kind` is fixed: details depend on it.
EDITABLE_FIELDS = (
    "platform",
    "platform_account",
    "party_role",
    "title",
    "description",
    "priority",
    "amount_claimed",
    "amount_recovered",
    "currency",
    "platform_reference",
    "details",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _invalid(errors: dict[str, list[str]], labels: dict[str, str]) -> DomainError:
    """One error type for field errors: `errors` per field, and a message naming the first."""
    field, messages = next(iter(errors.items()))
    message = f"{labels.get(field, field)}: {messages[0]}"
    if len(errors) > 1:
        message = _("Please correct the errors below.") + " " + message
    return DomainError(message, field=field, errors=errors)


def validate_details(*, kind: str, details: Any) -> dict:
    """Check a case's kind-specific details with that kind's form; return them normalised."""
    if kind not in KINDS:
        raise DomainError(_("Unknown kind of case."), field="kind")
    if details is None:
        details = {}
    if not isinstance(details, dict):
        raise DomainError(_("Details must be an object of named values."), field="details")
    form_class = KINDS[kind].details_form
    unknown = sorted(set(details) - set(form_class.base_fields))
    if unknown:
        raise DomainError(
            _("Unknown details for this kind of case: %(unknown)s. Allowed: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(form_class.base_fields)},
            field="details",
        )
    data = {}
    for name, value in details.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float | type(None)):
            raise DomainError(
                _("“%(name)s” must be a text, number or date value.") % {"name": name},
                field="details",
            )
        data[name] = "" if value is None else str(value)
    form = details_form_for(kind, data=data, prefix=None)
    if not form.is_valid():
        errors = {f"details.{name}": list(msgs) for name, msgs in form.errors.items()}
        labels = {f"details.{name}": str(f.label) for name, f in form.fields.items()}
        raise _invalid(errors, labels)
    return form.to_json()


def _clean_money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount such as 1999.00."), field=field) from None
    if not amount.is_finite():
        raise DomainError(_("Enter an amount such as 1999.00."), field=field)
    if amount < 0:
        raise DomainError(_("An amount cannot be negative."), field=field)
    return amount


def _full_clean(case: Case, *, exclude: list[str]) -> None:
    try:
        case.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        labels = {f.name: str(f.verbose_name) for f in Case._meta.fields}
        errors = {name: list(msgs) for name, msgs in error.message_dict.items()}
        raise _invalid(errors, labels) from None


def _next_reference(now: datetime.datetime) -> str:
    """RC-YYYY-NNNNNN. Must run inside the creating transaction: the UPDATE's row lock makes
    concurrent creations wait for each other, so no two share a number."""
    year = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).year
    ReferenceSequence.objects.bulk_create([ReferenceSequence(year=year)], ignore_conflicts=True)
    ReferenceSequence.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceSequence.objects.values_list("last", flat=True).get(year=year)
    return f"{REFERENCE_PREFIX}{year}-{number:06d}"


@transaction.atomic
def case_create(
    *,
    actor: User,
    kind: str,
    platform: str,
    title: str,
    details: dict | None = None,
    party_role: str | None = None,
    platform_account: str = "",
    description: str = "",
    priority: str = Priority.NORMAL,
    amount_claimed: Any = None,
    currency: str | None = None,
    platform_reference: str = "",
) -> Case:
    """File a new case (as a draft) for the actor.

    1. Validate kind and details with the kind's form, the rest with the model's rules.
    2. Take the next reference for the year under a row lock.
    3. Save the case and its "created" event together.
    """
    if kind not in CaseKind.values:
        raise DomainError(
            _("Unknown kind of case. Choose one of: %(kinds)s.")
            % {"kinds": ", ".join(CaseKind.values)},
            field="kind",
        )
    clean_details = validate_details(kind=kind, details=details)
    now = clock.now()
    case = Case(
        kind=kind,
        platform=platform,
        platform_account=(platform_account or "").strip(),
        party_role=party_role or KINDS[kind].default_party_role,
        title=(title or "").strip(),
        description=(description or "").strip(),
        priority=priority or Priority.NORMAL,
        amount_claimed=_clean_money(amount_claimed, "amount_claimed"),
        currency=(currency or settings.DEFAULT_CURRENCY).upper(),
        platform_reference=(platform_reference or "").strip(),
        details=clean_details,
        owner=actor,
        organisation_id=actor.organisation_id,
        status=Status.DRAFT,
        created_at=now,
        updated_at=now,
    )
    _full_clean(case, exclude=["reference", "owner", "organisation", "assignee", "details"])
    case.reference = _next_reference(now)
    case.save()
    status_count_move(from_status=None, to_status=Status.DRAFT)  # the staff queue's counts
    CaseEvent.objects.create(
        case=case, kind=EventKind.CREATED, actor=actor, to_status=Status.DRAFT, created_at=now
    )
    react("case_created", case=case)
    return case


@transaction.atomic
def case_update(*, actor: User, case: Case, **changes: Any) -> Case:
    """Edit a case's fields; one event lists every changed field with its old and new value."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be edited: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    if "details" in changes:
        changes["details"] = validate_details(kind=case.kind, details=changes["details"])
    for money in ("amount_claimed", "amount_recovered"):
        if money in changes:
            changes[money] = _clean_money(changes[money], money)
    for text in ("platform_account", "title", "description", "platform_reference"):
        if text in changes:
            changes[text] = (changes[text] or "").strip()
    if "currency" in changes:
        changes["currency"] = (changes["currency"] or "").upper()

    diff = {}
    for name, new in changes.items():
        old = getattr(case, name)
        if old != new:
            diff[name] = {"old": _jsonable(old), "new": _jsonable(new)}
            setattr(case, name, new)
    if not diff:
        return case
    _full_clean(
        case,
        exclude=["reference", "owner", "organisation", "assignee", "details", "kind", "status"],
    )
    case.updated_at = clock.now()
    case.save(update_fields=[*diff, "updated_at"])
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.FIELDS_CHANGED,
        actor=actor,
        changes=diff,
        created_at=case.updated_at,
    )
    react("case_updated", case=case, event=event, changed=list(diff))
    return case


def check_note(note: str | None) -> str:
    """A note for the timeline, trimmed; at most NOTE_MAX_LENGTH characters."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            _("A note has at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH}, field="note"
        )
    return note


def check_decision_result(result: str | None, *, to: str, notified_at=None) -> None:
    """Entering "decided" needs the platform's decision; no other move takes one. (Bulk moves
    check it for the whole selection before moving any case.)"""
    if to == Status.DECIDED and result not in DecisionResult.values:
        raise DomainError(
            _("Say what the platform decided: granted, partly granted or rejected."),
            field="decision_result",
        )
    if to != Status.DECIDED and (result or notified_at):
        raise DomainError(
            _("A decision is only recorded when the case moves to “decided”."),
            field="decision_result",
        )


# A clock a few minutes fast (a phone's "now" sent as the notification moment) is not the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _decision_notified(
    case: Case, notified_at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime:
    """When the seller was told of the decision: as given, else the moment the platform's
    decision was logged as a contact (the latest since the previous decision), else now."""
    if notified_at is None:
        return ask("decision_announced_at", case=case, after=case.decision_notified_at) or now
    if notified_at.tzinfo is None or notified_at.utcoffset() is None:
        raise DomainError(
            _("Give the time zone of the notification time."), field="decision_notified_at"
        )
    if notified_at > now + CLOCK_SKEW:
        raise DomainError(
            _("The decision cannot have been notified in the future."),
            field="decision_notified_at",
        )
    if notified_at.date() < datetime.date(2000, 1, 1):
        raise DomainError(_("Enter a date after 2000-01-01."), field="decision_notified_at")
    return notified_at


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: Case,
    to: str,
    note: str = "",
    outcome: str | None = None,
    amount_recovered: Any = None,
    decision_result: str | None = None,
    decision_notified_at: datetime.datetime | None = None,
) -> Case:
    """Move a case to another status, as the lifecycle table allows.

    1. Lock the case row and read its current status (never act on a stale one).
    2. Check the move against the table; staff-only moves need staff.
    3. Resolving needs an outcome; withdrawing records one; reopening clears it. Entering
       "decided" needs the decision's result, and records when it was notified (the appeal
       window and the refund clock count from then, not from the move).
    4. Save and write the status event with the note.
    5. Tell the people concerned; start, pause, resume or settle the clocks the move affects
       (cases.hooks.REACTIONS).
    """
    if to not in Status.values:
        raise DomainError(
            _("Unknown status “%(to)s”.") % {"to": to}, field="to", allowed=Status.values
        )
    note = check_note(note)
    case = Case.objects.select_for_update().get(pk=case.pk)
    current = case.status
    allowed = allowed_targets(current, is_staff=actor.is_support_staff)
    if to not in allowed:
        labels = ", ".join(str(Status(s).label) for s in allowed) or _("nothing")
        raise ConflictError(
            _("A case that is “%(current)s” cannot move to “%(to)s”. It can move to: %(allowed)s.")
            % {"current": Status(current).label, "to": Status(to).label, "allowed": labels},
            code="transition_not_allowed",
            field="to",
            status=current,
            allowed=[str(target) for target in allowed],
        )
    if to != Status.RESOLVED and (outcome or amount_recovered not in (None, "")):
        raise DomainError(_("An outcome is only given when resolving a case."), field="outcome")
    check_decision_result(decision_result, to=to, notified_at=decision_notified_at)

    changes: dict[str, dict] = {}
    now = clock.now()
    if to == Status.RESOLVED:
        if outcome not in Outcome.values:
            raise DomainError(
                _("Say how the case ended: won, partly won, lost or withdrawn."), field="outcome"
            )
        case.outcome = outcome
        changes["outcome"] = {"old": "", "new": outcome}
        recovered = _clean_money(amount_recovered, "amount_recovered")
        if recovered is not None and recovered != case.amount_recovered:
            changes["amount_recovered"] = {
                "old": _jsonable(case.amount_recovered),
                "new": _jsonable(recovered),
            }
            case.amount_recovered = recovered
    elif to == Status.DECIDED:
        notified = _decision_notified(case, decision_notified_at, now)
        changes["decision_result"] = {"old": case.decision_result, "new": decision_result}
        changes["decision_notified_at"] = {
            "old": _jsonable(case.decision_notified_at),
            "new": notified.isoformat(),
        }
        case.decision_result, case.decision_notified_at = decision_result, notified
    elif to == Status.WITHDRAWN:
        case.outcome = Outcome.WITHDRAWN
    elif current in CLOSED:
        changes["outcome"] = {"old": case.outcome, "new": ""}
        case.outcome = ""
        case.reopened_at = now
    case.closed_at = now if to in CLOSED else None
    case.status = to
    case.updated_at = now
    case.save(
        update_fields=[
            "status",
            "outcome",
            "amount_recovered",
            "decision_result",
            "decision_notified_at",
            "closed_at",
            "reopened_at",
            "updated_at",
        ]
    )
    status_count_move(from_status=current, to_status=to)  # the staff queue's counts
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        from_status=current,
        to_status=to,
        note=note,
        changes=changes,
        created_at=now,
    )
    # Same transaction: a move and what it does to the clocks land together or not at all.
    react("status_changed", case=case, event=event, from_status=current, to_status=to)
    return case


@transaction.atomic
def case_add_note(*, actor: User, case: Case, note: str) -> CaseEvent:
    note = check_note(note)
    if not note:
        raise DomainError(_("Write a note first."), field="note")
    now = clock.now()
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, actor=actor, note=note, created_at=now
    )
    react("note_added", case=case, event=event)
    return event


def default_party_role(kind: str) -> str:
    return KINDS[kind].default_party_role if kind in KINDS else PartyRole.MERCHANT
