"""Reads of the staff desk: the urgency-ordered queue, its filters and search (shared with the
seller's case list and the API), and the per-status counts."""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases import clock
from cases.choices import Status
from cases.lifecycle import CLOSED
from cases.models import REFERENCE_PREFIX, Case
from desk.models import CaseStatusCount, SavedView

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

SEARCH_MAX_LENGTH = 100


# A term found SEARCH_COMMON times among the first SEARCH_HEAD cases of the list, in the
# list's own order, is common: testing rows in that order fills a page at once.
SEARCH_HEAD = 500
SEARCH_COMMON = 25
# Otherwise, up to this many matching cases, a search reads their ids first (each column on
# its own trigram index) and then pages them in the list's order; beyond, testing rows in
# order again.
SEARCH_ID_LIMIT = 500


SEARCH_COLUMNS = ("reference", "title", "description", "platform_reference")


def _matches(text: str) -> Q:
    return reduce(operator.or_, (Q(**{f"{column}__icontains": text}) for column in SEARCH_COLUMNS))


def _lookup(column: str, text: str) -> str:
    """icontains, except a reference search that starts with the prefix every reference
    starts with (and holds nowhere else): the same matches as a prefix search, which the btree
    index cases_case_reference_prefix answers at once, where the trigram index would read
    every reference sharing "RC-2026-" (25 ms at a million cases)."""
    if column == "reference" and text.upper().startswith(REFERENCE_PREFIX):
        return "reference__istartswith"
    return f"{column}__icontains"


def case_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases whose reference, title, description, platform reference, contact reference
    numbers or seller's username contain `text`, case-insensitively (Chinese substrings too).

    1. icontains is UPPER(col) LIKE UPPER('%text%'): on PostgreSQL each column has a trigram
       GIN index on UPPER(col) (cases migration 0012), so three or more characters are an
       index lookup; one or two characters still work, by scanning.
    2. A common term ("保证金" in half the titles) would make any index lookup read every
       match: so the first SEARCH_HEAD rows of `cases`, in its order (order it before
       searching), are tested first. If SEARCH_COMMON of them match, `cases` is filtered row
       by row: walking its order's index fills a page within a few hundred rows. So is a
       list shorter than SEARCH_HEAD (a seller's own cases): testing it is cheap.
    3. Otherwise one query reads the ids of at most SEARCH_ID_LIMIT + 1 matching cases: a
       UNION of the case columns, the contacts' reference numbers and the sellers' usernames.
       Up to the limit, the page is those ids in the list's order; beyond, rows are tested.
    All three give the same cases; `cases` keeps its visibility rule either way."""
    # PostgreSQL refuses a NUL in a string (a 500): the seller's list passes `q` unvalidated.
    text = (text or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return cases
    from channels.models import ChannelEntry

    contacts = ChannelEntry.objects.filter(external_reference__icontains=text)
    sellers = User.objects.filter(username__icontains=text).values("id")
    # The seller's name is tested on the joined owner row: as `owner_id IN (…)` PostgreSQL
    # would first scan every user.
    row_test = (
        _matches(text) | Q(pk__in=contacts.values("case_id")) | Q(owner__username__icontains=text)
    )
    # Testing the head as one subquery (aggregate over a slice) keeps PostgreSQL on the
    # list's index: with `pk IN (head)` it tested every case in the table instead.
    head = cases.annotate(hit=ExpressionWrapper(row_test, BooleanField())).values("hit")
    head = head[:SEARCH_HEAD].aggregate(rows=Count("hit"), found=Count("hit", filter=Q(hit=True)))
    if head["found"] >= SEARCH_COMMON or head["rows"] < SEARCH_HEAD:
        # A common term, or a short list (a seller's own cases) tested whole already.
        return cases.filter(row_test)
    # One branch per column rather than one OR: each is planned on its own, and a column
    # where the term is rare costs one small bitmap.
    columns = [
        Case.objects.filter(**{_lookup(column, text): text}).order_by().values_list("id")
        for column in SEARCH_COLUMNS
    ]
    candidates = columns[0].union(
        *columns[1:],
        contacts.order_by().values_list("case_id"),
        Case.objects.filter(owner_id__in=sellers).order_by().values_list("id"),
        # ALL: no de-duplication, so the LIMIT stops reading early (pk__in ignores repeats).
        all=True,
    )
    ids = [row[0] for row in candidates.order_by()[: SEARCH_ID_LIMIT + 1]]
    if len(ids) <= SEARCH_ID_LIMIT:
        return cases.filter(pk__in=ids)
    return cases.filter(row_test)


def filter_assignee(cases: QuerySet[Case], value: str, *, actor: User) -> QuerySet[Case]:
    """me / none (unassigned) / any (or empty) / a username."""
    if value in ("", "any"):
        return cases
    if value == "me":
        return cases.filter(assignee_id=actor.pk)
    if value == "none":
        return cases.filter(assignee__isnull=True)
    return cases.filter(assignee__username=value)


def filter_overdue(cases: QuerySet[Case], overdue: bool, *, now: datetime.datetime):
    """A clock that has run out: breached on an open case, or running past its due moment
    (the sweep has not reached it yet). Reads the denormalised columns only."""
    late = Q(breached_open=True) | Q(next_due_at__lte=now)
    return cases.filter(late) if overdue else cases.exclude(late)


def filter_awaiting_reply(cases: QuerySet[Case], awaiting: bool) -> QuerySet[Case]:
    """Cases whose seller's latest message waits for staff's answer (or, false, none does);
    the queue's order over them is the partial index cases_queue_awaiting."""
    return cases.filter(awaiting_reply_since__isnull=not awaiting)


def filter_due_within(cases: QuerySet[Case], days: int, *, now: datetime.datetime):
    """A running clock due before now + days (one already past included); index
    cases_next_due."""
    return cases.filter(next_due_at__lte=now + datetime.timedelta(days=days))


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


def business_zone() -> ZoneInfo:
    """The desk's dates and weeks are counted in the business time zone (Asia/Shanghai),
    whatever zone the reader's page is in, so every reader sees the same numbers."""
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date) -> datetime.datetime:
    """The start of that day in the business time zone. The queue's date filters and the
    dashboard's both read days this way, so a dashboard row and the queue it links to hold
    the same cases, whoever reads them."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=business_zone())


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


def status_counts() -> list[dict]:
    """Cases per status, in lifecycle order, from the counts table (nine rows)."""
    counts = dict(CaseStatusCount.objects.values_list("status", "count"))
    return [
        {"status": value, "label": label, "count": max(counts.get(value, 0), 0)}
        for value, label in Status.choices
    ]


def cases_counted(*, status: str | None = None) -> int:
    """How many cases there are (in one status), from the counts table: no scan."""
    return sum(row["count"] for row in status_counts() if not status or row["status"] == status)


def saved_views_for(actor: User) -> list[SavedView]:
    return list(SavedView.objects.filter(owner_id=actor.pk).order_by("name", "id"))
