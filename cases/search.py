"""Finding cases: the text search (Chinese substrings included) and the column filters that
the seller's list, the staff queue and the API share."""

import datetime
import operator
from functools import reduce
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import REFERENCE_PREFIX, Case

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


def _contact_model():
    return Case._meta.get_field("contacts").related_model


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
    # The contacts' reference numbers (工单号, 投诉单号 …), read straight from the contacts'
    # table on its trigram index. Its model is the other end of the case's `contacts`
    # relation: the contact log sits above the case and is not imported here, and joining
    # through the relation instead would scan the cases for a common term (3x slower).
    contacts = _contact_model().objects.filter(external_reference__icontains=text)
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


def business_zone() -> ZoneInfo:
    """The desk's dates and weeks are counted in the business time zone (Asia/Shanghai),
    whatever zone the reader's page is in, so every reader sees the same numbers."""
    return ZoneInfo(settings.TIME_ZONE)


def day_start(day: datetime.date) -> datetime.datetime:
    """The start of that day in the business time zone. The queue's date filters and the
    dashboard's both read days this way, so a dashboard row and the queue it links to hold
    the same cases, whoever reads them."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=business_zone())


class SearchField(forms.CharField):
    """A search box's text, at most SEARCH_MAX_LENGTH characters. A NUL is dropped rather than
    refused (PostgreSQL cannot take one, and nobody means to type it), as `case_search` does."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Search"), required=False, max_length=SEARCH_MAX_LENGTH, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\x00", "")
        return super().to_python(value)
