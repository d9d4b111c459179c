"""Reads of the staff desk: the urgency-ordered queue and its filters (the search and the
column filters it shares with the seller's list and the API are `cases.search`)."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import F, QuerySet
from django.http import Http404

from accounts.models import User
from cases import clock
from cases.choices import Status
from cases.lifecycle import CLOSED
from cases.models import Case
from cases.search import (
    case_search,
    day_start,
    filter_assignee,
    filter_awaiting_reply,
    filter_due_within,
    filter_overdue,
)
from desk.models import SavedView

# Breached clocks first, then the soonest due running clock (cases without one last), then
# urgent, then the longest untouched. Served by the index cases_queue_urgency (and
# cases_queue_status / cases_queue_assignee under those filters).
QUEUE_ORDER = (
    F("breached_open").desc(),
    F("next_due_at").asc(nulls_last=True),
    F("priority").desc(),
    F("updated_at").asc(),
    F("id").asc(),
)

# Open statuses a support team works on: filed, not yet over (drafts are the seller's).
ACTIVE = [s for s in Status.values if s not in CLOSED and s != Status.DRAFT]


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters, validated (by desk.forms.QueueFilterForm or the API's filters)."""

    q: str = ""
    status: str = "active"  # "active", "all", or one Status value
    kind: str = ""
    platform: str = ""
    party_role: str = ""
    priority: str = ""
    assignee: str = ""
    overdue: bool = False
    awaiting_reply: bool = False
    due_within: int | None = None
    created_from: datetime.date | None = None
    created_to: datetime.date | None = None
    updated_from: datetime.date | None = None
    updated_to: datetime.date | None = None


def queue_filter(cases: QuerySet[Case], f: QueueFilters, *, actor: User) -> QuerySet[Case]:
    """Apply the queue's filters; dates are whole business days (`day_start`), `to`
    inclusive."""
    now = clock.now()
    if f.status == "active":
        cases = cases.filter(status__in=ACTIVE)
    elif f.status and f.status != "all":
        cases = cases.filter(status=f.status)
    for name in ("kind", "platform", "party_role", "priority"):
        value = getattr(f, name)
        if value:
            cases = cases.filter(**{name: value})
    cases = filter_assignee(cases, f.assignee, actor=actor)
    if f.overdue:
        cases = filter_overdue(cases, True, now=now)
    if f.awaiting_reply:
        cases = filter_awaiting_reply(cases, True)
    if f.due_within is not None:
        cases = filter_due_within(cases, f.due_within, now=now)
    one_day = datetime.timedelta(days=1)
    if f.created_from:
        cases = cases.filter(created_at__gte=day_start(f.created_from))
    if f.created_to:
        cases = cases.filter(created_at__lt=day_start(f.created_to) + one_day)
    if f.updated_from:
        cases = cases.filter(updated_at__gte=day_start(f.updated_from))
    if f.updated_to:
        cases = cases.filter(updated_at__lt=day_start(f.updated_to) + one_day)
    return case_search(cases, f.q)


def queue_cases(*, actor: User, filters: QueueFilters) -> QuerySet[Case]:
    """The staff queue: every case (staff only), filtered, most urgent first, with the seller
    and assignee joined (one query per page)."""
    if not actor.is_authenticated or not actor.is_support_staff:
        raise Http404("No such page.")
    cases = Case.objects.select_related("owner", "assignee").order_by(*QUEUE_ORDER)
    return queue_filter(cases, filters, actor=actor)


class QueueRow(NamedTuple):
    """What a queue row shows of a case (not its description or details JSON)."""

    reference: str
    title: str
    kind: str
    platform: str
    status: str
    priority: str
    updated_at: datetime.datetime
    next_due_at: datetime.datetime | None
    breached_open: bool
    awaiting_reply_since: datetime.datetime | None
    owner_username: str
    assignee_username: str | None


_QUEUE_ROW_COLUMNS = [
    name.replace("_username", "__username") if name.endswith("_username") else name
    for name in QueueRow._fields
]


def queue_page(cases: QuerySet[Case], *, number: int, size: int) -> tuple[list[QueueRow], bool]:
    """One page by OFFSET, and whether another follows (one row more is read, so no COUNT
    over a million filtered cases). The page number is capped by the form. Rows are plain
    tuples: building fifty cases with their two users cost more than the query
    (2.4 ms against 1.0 ms, bench/README.md)."""
    start = (number - 1) * size
    rows = cases.values_list(*_QUEUE_ROW_COLUMNS)[start : start + size + 1]
    page = [QueueRow._make(row) for row in rows]
    return page[:size], len(page) > size


def saved_views_for(actor: User) -> list[SavedView]:
    return list(SavedView.objects.filter(owner_id=actor.pk).order_by("name", "id"))
