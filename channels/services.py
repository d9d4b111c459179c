"""Logging and correcting contacts. The web and the API both call these; each writes its
`CaseEvent`. A contact may imply a status change: the service offers it, never makes it."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.choices import EventKind, FilingType, Status
from cases.lifecycle import allowed_targets
from cases.models import Case, CaseEvent
from channels.choices import BodyKind, Channel, Direction
from channels.guidance import consumer_only_refusal
from channels.models import ChannelEntry, ExternalBody
from config.errors import DomainError
from deadlines.contacts import deadlines_on_contact
from deadlines.corrections import deadlines_on_contact_corrected
from evidence.models import EvidenceItem
from notifications.services import notify_case_change

SUMMARY_MAX_LENGTH = 2000
REFERENCE_MAX_LENGTH = 100
COUNTERPART_MAX_LENGTH = 120
# Phones and servers disagree by a few seconds; a minute is generous, an hour would hide typos.
CLOCK_SKEW = datetime.timedelta(minutes=1)
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

CORRECTABLE_FIELDS = (
    "channel",
    "direction",
    "occurred_at",
    "counterpart",
    "body",
    "filing_type",
    "external_reference",
    "summary",
    "follow_up_on",
    "evidence",
)

# What a contact usually means for the case's status; offered only when the lifecycle allows.
_SUGGESTED_STATUS = {
    FilingType.DECISION_RECEIVED: Status.DECIDED,
    FilingType.RESPONSE_RECEIVED: Status.IN_REVIEW,
    FilingType.APPEAL: Status.APPEALED,
}
# Filing with an outside body takes the dispute beyond the platform.
_ESCALATING = {FilingType.COMPLAINT, FilingType.REPORT, FilingType.APPLICATION, FilingType.LAWSUIT}


@dataclass(frozen=True)
class LoggedContact:
    entry: ChannelEntry
    suggested_status: str | None


def _choice(value: Any, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise DomainError(message, field=field)
    return value


def _when(value: Any) -> datetime.datetime:
    if isinstance(value, str):
        try:
            value = parse_datetime(value.strip())
        except ValueError:  # well-formed but impossible, e.g. 2026-02-30T10:00
            value = None
    if not isinstance(value, datetime.datetime):
        raise DomainError(_("Enter when the contact happened."), field="occurred_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > clock.now() + CLOCK_SKEW:
        raise DomainError(
            _("A contact cannot be in the future. Log it once it has happened."),
            field="occurred_at",
        )
    if value < EARLIEST:
        raise DomainError(_("Enter a date after 2000-01-01."), field="occurred_at")
    return value


def _follow_up(value: Any, occurred_at: datetime.datetime) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = parse_date(value.strip())
        except ValueError:  # well-formed but impossible, e.g. 2026-13-45
            value = None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise DomainError(_("Enter the follow-up date as YYYY-MM-DD."), field="follow_up_on")
    if value < timezone.localdate(occurred_at):
        raise DomainError(
            _("The follow-up date cannot be before the contact."), field="follow_up_on"
        )
    if value > timezone.localdate(occurred_at) + datetime.timedelta(days=3 * 366):
        raise DomainError(_("Choose a follow-up date within three years."), field="follow_up_on")
    return value


def _body(value: Any) -> ExternalBody | None:
    if value in (None, ""):
        return None
    if isinstance(value, ExternalBody):
        return value
    body = ExternalBody.objects.filter(slug=str(value), active=True).first()
    if body is None:
        raise DomainError(
            _("Unknown body “%(slug)s”. See the directory of external bodies.") % {"slug": value},
            field="body",
        )
    return body


def _text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DomainError(_("Write what was said or agreed."), field=field)
    if len(text) > max_length:
        raise DomainError(
            _("At most %(max)d characters, please (this has %(length)d).")
            % {"max": max_length, "length": len(text)},
            field=field,
        )
    return text


def _evidence(case: Case, ids, *, linked=()) -> list[EvidenceItem]:
    # Items already linked stay linked after they are removed from the case, so correcting
    # another field of the contact does not trip over them.
    ids = [str(i) for i in (ids or [])]
    if not ids:
        return []
    current = Q(removed_at__isnull=True) | Q(pk__in=[item.pk for item in linked])
    items = list(EvidenceItem.objects.filter(current, case=case, pk__in=ids))
    if len(items) != len(set(ids)):
        raise DomainError(
            _("Link only evidence that is on this case and not removed."), field="evidence"
        )
    return items


def _clean(case: Case, fields: dict, *, linked=()) -> dict:
    """Every rule a contact must meet, for logging and correcting alike."""
    clean = {
        "channel": _choice(
            fields.get("channel"), Channel, "channel", _("Choose how you were in contact.")
        ),
        "direction": _choice(
            fields.get("direction"), Direction, "direction", _("Say who contacted whom.")
        ),
        "filing_type": _choice(
            fields.get("filing_type"), FilingType, "filing_type", _("Choose the type of filing.")
        ),
        "occurred_at": _when(fields.get("occurred_at")),
        "body": _body(fields.get("body")),
        "summary": _text(
            fields.get("summary"), field="summary", max_length=SUMMARY_MAX_LENGTH, required=True
        ),
        "external_reference": _text(
            fields.get("external_reference"),
            field="external_reference",
            max_length=REFERENCE_MAX_LENGTH,
        ),
        "counterpart": _text(
            fields.get("counterpart"), field="counterpart", max_length=COUNTERPART_MAX_LENGTH
        ),
    }
    clean["follow_up_on"] = _follow_up(fields.get("follow_up_on"), clean["occurred_at"])
    clean["evidence"] = _evidence(case, fields.get("evidence"), linked=linked)
    refusal = consumer_only_refusal(
        party_role=case.party_role, body=clean["body"], filing_type=clean["filing_type"]
    )
    if refusal:
        raise DomainError(refusal, code="route_not_open", field="filing_type")
    if not clean["counterpart"] and clean["body"] is not None:
        clean["counterpart"] = clean["body"].display_name[:COUNTERPART_MAX_LENGTH]
    return clean


def suggested_status(*, actor: User, case: Case, entry: ChannelEntry) -> str | None:
    """The status this contact suggests for the case, if the lifecycle allows the move."""
    target = _SUGGESTED_STATUS.get(entry.filing_type)
    if (
        target is None
        and entry.filing_type in _ESCALATING
        and entry.direction == Direction.OUTBOUND
        and entry.body is not None
        and entry.body.kind != BodyKind.PLATFORM
    ):
        target = Status.ESCALATED
    if target and target in allowed_targets(case.status, is_staff=actor.is_support_staff):
        return target
    return None


def _snapshot(entry: ChannelEntry, evidence: list) -> dict:
    return {
        "id": entry.pk,
        "channel": entry.channel,
        "direction": entry.direction,
        "filing_type": entry.filing_type,
        "body": entry.body.slug if entry.body else None,
        "counterpart": entry.counterpart,
        "external_reference": entry.external_reference,
        "occurred_at": entry.occurred_at.isoformat(),
        "follow_up_on": entry.follow_up_on.isoformat() if entry.follow_up_on else None,
        "evidence": sorted(str(item.pk) for item in evidence),
    }


@transaction.atomic
def contact_log(*, actor: User, case: Case, **fields: Any) -> LoggedContact:
    """Record one contact on a case and its timeline event; offer the status it implies."""
    unknown = set(fields) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    clean = _clean(case, fields)
    evidence = clean.pop("evidence")
    now = clock.now()
    entry = ChannelEntry.objects.create(case=case, logged_by=actor, logged_at=now, **clean)
    entry.evidence.set(evidence)
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.CONTACT_LOGGED,
        actor=actor,
        created_at=now,
        changes={"contact": _snapshot(entry, evidence)},
    )
    notify_case_change(event=event)
    entry.case = case
    deadlines_on_contact(entry=entry)
    return LoggedContact(entry, suggested_status(actor=actor, case=case, entry=entry))


@transaction.atomic
def contact_correct(*, actor: User, entry: ChannelEntry, **changes: Any) -> ChannelEntry:
    """Correct a contact: the edit keeps old and new values in a `CaseEvent`."""
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    # of=("self",): PostgreSQL refuses to lock the nullable side of the join to the body.
    entry = (
        ChannelEntry.objects.select_for_update(of=("self",))
        .select_related("case", "body")
        .get(pk=entry.pk)
    )
    old_evidence = list(entry.evidence.all())
    before = _snapshot(entry, old_evidence) | {"summary": entry.summary}
    current = {name: getattr(entry, name) for name in CORRECTABLE_FIELDS if name != "evidence"}
    current["evidence"] = [item.pk for item in old_evidence]
    clean = _clean(entry.case, current | changes, linked=old_evidence)
    evidence = clean.pop("evidence")
    for name, value in clean.items():
        setattr(entry, name, value)
    after = _snapshot(entry, evidence) | {"summary": entry.summary}
    diff = {
        name: {"old": before[name], "new": after[name]}
        for name in after
        if name != "id" and before[name] != after[name]
    }
    if not diff:
        return entry
    now = clock.now()
    entry.corrected_at = now
    entry.save()
    entry.evidence.set(evidence)
    Case.objects.filter(pk=entry.case_id).update(updated_at=now)
    event = CaseEvent.objects.create(
        case_id=entry.case_id,
        kind=EventKind.CONTACT_CORRECTED,
        actor=actor,
        created_at=now,
        changes={"contact": {"id": entry.pk}, **diff},
    )
    notify_case_change(event=event)
    deadlines_on_contact_corrected(entry=entry, changed=set(diff))
    return entry
