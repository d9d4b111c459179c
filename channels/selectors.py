"""Reads of contacts and bodies, always through the case's access rule."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases import clock
from cases.choices import EventKind, FilingType
from cases.models import Case, CaseEvent
from cases.selectors import case_get_for, case_timeline
from channels.choices import BodyKind, Direction
from channels.models import ChannelEntry, ExternalBody
from evidence.models import EvidenceItem


def decision_announced_at(*, case: Case, after: datetime | None) -> datetime | None:
    """When the platform's latest decision on the case reached the seller, as logged: a
    decision received from the platform (its own desk, or no body named) after `after`.
    (cases.hooks.QUERIES: the default notification moment of a case entering "decided".)"""
    contacts = ChannelEntry.objects.filter(
        Q(body__isnull=True) | Q(body__kind=BodyKind.PLATFORM),
        case=case,
        filing_type=FilingType.DECISION_RECEIVED,
    )
    if after is not None:
        contacts = contacts.filter(occurred_at__gt=after)
    return contacts.order_by("-occurred_at", "-id").values_list("occurred_at", flat=True).first()


def contacts_for_case(*, case: Case, channel: str | None = None) -> QuerySet[ChannelEntry]:
    contacts = (
        ChannelEntry.objects.filter(case=case)
        .select_related("body", "logged_by")
        .prefetch_related(
            Prefetch("evidence", queryset=EvidenceItem.objects.order_by("uploaded_at", "id"))
        )
        .order_by("-occurred_at", "-id")
    )
    if channel:
        contacts = contacts.filter(channel=channel)
    return contacts


def contact_get_for(*, actor: User, reference: str, contact_id) -> ChannelEntry:
    """One contact of a case the actor may see; 404 alike for missing and not yours."""
    case = case_get_for(actor=actor, reference=reference)
    try:
        entry = contacts_for_case(case=case).get(pk=int(contact_id))
    except (ChannelEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contact.") from None
    entry.case = case
    return entry


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    event: CaseEvent | None = None
    contact: ChannelEntry | None = None


def case_history(
    *, case: Case, channel: str | None = None, viewer: User | None = None
) -> list[HistoryItem]:
    """Events and contacts in one timeline, newest first. A contact stands at the time it
    happened (often earlier than it was logged), in place of its "logged" event. With a channel,
    only that channel's contacts. Staff's internal notes only for a staff `viewer`
    (`case_timeline`). Three queries whatever the length."""
    contacts = list(contacts_for_case(case=case, channel=channel))
    items = [HistoryItem(at=c.occurred_at, contact=c) for c in contacts]
    if not channel:
        events = case_timeline(case=case, viewer=viewer).exclude(kind=EventKind.CONTACT_LOGGED)
        items += [HistoryItem(at=e.created_at, event=e) for e in events]
    # Ties: the later-logged first, contacts before the events they caused.
    return sorted(
        items,
        key=lambda i: (i.at, 1 if i.contact else 0, i.contact.pk if i.contact else i.event.pk),
        reverse=True,
    )


@dataclass(frozen=True)
class Waiting:
    who: str
    since: datetime
    days: int


def waiting_for_reply(*, contacts) -> Waiting | None:
    """When the latest contact was ours, who we are waiting on and for how long."""
    latest = max(contacts, key=lambda c: (c.occurred_at, c.pk), default=None)
    if latest is None or latest.direction != Direction.OUTBOUND:
        return None
    who = latest.counterpart or (latest.body.display_name if latest.body else "")
    return Waiting(who=who, since=latest.occurred_at, days=(clock.now() - latest.occurred_at).days)


def bodies() -> QuerySet[ExternalBody]:
    return ExternalBody.objects.filter(active=True).order_by("sort_order", "slug")


def body_get(*, slug: str) -> ExternalBody:
    try:
        return bodies().get(slug=slug)
    except ExternalBody.DoesNotExist:
        raise Http404("No such body.") from None
