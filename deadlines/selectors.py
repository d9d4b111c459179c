"""Reads of clocks with the case access rules (`cases.selectors`)."""

from datetime import date, datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases.lifecycle import CLOSED
from cases.models import Case
from cases.selectors import _visible, case_get_for
from deadlines.calendar import Calendar, region_zone
from deadlines.choices import DeadlineState, DeadlineUnit
from deadlines.models import CalendarOverride, Deadline


def case_clocks(*, case: Case) -> list[Deadline]:
    """Every clock of the case, with the contact (and its body) that started it: one query.
    Served by the index deadlines_case."""
    return list(
        case.deadlines.select_related("contact__body").order_by("due_at", "id"),
    )


def _deadlines_visible_to(actor: User) -> QuerySet[Deadline]:
    deadlines = Deadline.objects.select_related("case", "contact__body")
    if not actor.is_authenticated:
        return deadlines.none()
    rule = _visible(actor, prefix="case__")
    return deadlines if rule is None else deadlines.filter(rule)


def deadlines_due_soon(
    *, actor: User, now: datetime, within: timedelta = timedelta(days=3), limit: int = 10
) -> list[Deadline]:
    """Running clocks due before now + within, soonest first (one just run out and not yet
    swept included). Served by the partial index deadlines_due_running."""
    return list(
        _deadlines_visible_to(actor)
        .filter(state=DeadlineState.RUNNING, due_at__lte=now + within)
        .order_by("due_at", "id")[:limit]
    )


def deadlines_breached(*, actor: User, limit: int = 10) -> list[Deadline]:
    """Clocks that ran out on cases still open, most recent first.

    Staff walk the partial index deadlines_breached, newest first, and stop after
    `limit` (recent breaches are mostly on open cases). A seller's query starts instead from
    their few cases flagged `breached_open` (the queue's indexed flag, true exactly when an
    open case has a breached clock), not from every breached clock ever recorded. Each
    filter is the other's slow path: with the flag, staff joined all 7,000 flagged cases
    before sorting (41 ms at a million cases)."""
    clocks = _deadlines_visible_to(actor).filter(state=DeadlineState.BREACHED)
    if not actor.is_support_staff:
        clocks = clocks.filter(case__breached_open=True)
    # A reopened case's earlier breaches belong to its closed chapter.
    clocks = clocks.filter(
        Q(case__reopened_at__isnull=True) | Q(settled_at__gt=F("case__reopened_at"))
    )
    return list(clocks.exclude(case__status__in=CLOSED).order_by("-settled_at", "-id")[:limit])


def deadline_get_for_staff(*, actor: User, reference: str, deadline_id: int) -> Deadline:
    """A clock of a case, for support staff to pause, resume or extend. Anyone else, a missing
    case, or a clock of another case: the same 404."""
    if not actor.is_authenticated or not actor.is_support_staff:
        raise Http404("No such deadline.")
    case = case_get_for(actor=actor, reference=reference)
    try:
        deadline = case.deadlines.select_related("contact__body").get(pk=deadline_id)
    except Deadline.DoesNotExist:
        raise Http404("No such deadline.") from None
    deadline.case = case
    return deadline


def calendar_for_clocks(clocks: list[Deadline], *, now: datetime) -> Calendar:
    """The working-day calendar a page's countdowns count on, with the staff's overrides for
    this year up to the last year a running working-day clock reaches: one query, also when
    there is no clock, so a page's query count does not depend on its clocks."""
    zone = region_zone()
    first = now.astimezone(zone).year
    last = max(
        [
            d.due_at.astimezone(zone).year
            for d in clocks
            if d.state == DeadlineState.RUNNING
            and (d.rule_snapshot or {}).get("unit") == DeadlineUnit.WORKING_DAYS
        ],
        default=first,
    )
    last = max(first, last)
    cal = Calendar()
    by_year: dict[int, dict[date, bool]] = {year: {} for year in range(first, last + 1)}
    rows = CalendarOverride.objects.filter(
        region=cal.region, date__gte=date(first, 1, 1), date__lte=date(last, 12, 31)
    ).values_list("date", "is_working_day")
    for day, working in rows:
        by_year[day.year][day] = working
    # The years read here are not read again; any other year is read as Calendar does.
    cal._overrides.update(by_year)
    return cal
