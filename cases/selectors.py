"""Reads with access rules. Every way to reach a case goes through `cases_visible_to` (or, for
reads that start from a case's rows, the same rule from `_visible`)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases.calendar import Calendar
from cases.choices import DeadlineState, DeadlineUnit, EventKind
from cases.lifecycle import CLOSED
from cases.models import CalendarOverride, Case, CaseEvent, Deadline
from desk.selectors import status_counts


def _visible(actor: User, prefix: str = "") -> Q | None:
    """Which cases the actor may see, as a filter on `prefix` (e.g. "case__"); None for
    every case (staff)."""
    if actor.is_support_staff:
        return None
    mine = Q(**{f"{prefix}owner": actor})
    if actor.organisation_id:
        mine |= Q(**{f"{prefix}organisation_id": actor.organisation_id})
    return mine


def cases_visible_to(actor: User) -> QuerySet[Case]:
    """Staff see every case; a seller their own and their organisation's."""
    cases = Case.objects.select_related("owner", "assignee")
    if not actor.is_authenticated:
        return cases.none()
    rule = _visible(actor)
    return cases if rule is None else cases.filter(rule)


def case_counts_by_status(*, actor: User) -> dict[str, int]:
    """Cases per status the actor sees. Staff see every case: the desk's counts table, kept
    by `case_create` and `case_transition`, answers without grouping a million rows (166 ms).
    A seller's own cases are grouped on their owner index."""
    if actor.is_authenticated and actor.is_support_staff:
        return {row["status"]: row["count"] for row in status_counts() if row["count"]}
    rows = cases_visible_to(actor).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def case_get_for(*, actor: User, reference: str, for_update: bool = False) -> Case:
    """The case with this reference if the actor may see it; 404 alike for missing and not yours."""
    if "\x00" in reference:  # no reference has one, and PostgreSQL refuses it (a 500)
        raise Http404("No such case.")
    cases = cases_visible_to(actor)
    if for_update:
        # of=("self",) so the lock does not extend to the joined users.
        cases = cases.select_for_update(of=("self",))
    try:
        return cases.get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def sees_internal_notes(viewer: User | None) -> bool:
    """Support staff's internal notes are for support staff: the one rule every reader of a
    case's messages and timeline asks."""
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_support_staff)


def case_timeline(*, case: Case, viewer: User | None = None) -> QuerySet[CaseEvent]:
    """The case's events, oldest first. Staff's internal notes only when the viewer is staff:
    without a viewer (a bundle for a third party, say) they stay out too."""
    events = case.events.select_related("actor").order_by("created_at", "id")
    if not sees_internal_notes(viewer):
        events = events.exclude(kind=EventKind.INTERNAL_NOTE)
    return events


def dashboard_cases(*, actor: User) -> QuerySet[Case]:
    """Urgent first, then newest — the order both dashboards use."""
    return cases_visible_to(actor).order_by("-priority", "-created_at", "-id")


# --- Clocks -------------------------------------------------------------------------------


def case_clocks(*, case: Case) -> list[Deadline]:
    """Every clock of the case, with the contact (and its body) that started it: one query.
    Served by the index cases_deadline_case."""
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
    swept included). Served by the partial index cases_deadline_due_running."""
    return list(
        _deadlines_visible_to(actor)
        .filter(state=DeadlineState.RUNNING, due_at__lte=now + within)
        .order_by("due_at", "id")[:limit]
    )


def deadlines_breached(*, actor: User, limit: int = 10) -> list[Deadline]:
    """Clocks that ran out on cases still open, most recent first.

    Staff walk the partial index cases_deadline_breached, newest first, and stop after
    `limit` (recent breaches are mostly on open cases). A seller's query starts instead from
    their few cases flagged `breached_open` (the queue's indexed flag, true exactly when an
    open case has a breached clock), not from every breached clock ever recorded. Each
    filter is the other's slow path: with the flag, staff joined all 7,000 flagged cases
    before sorting (41 ms at a million cases)."""
    clocks = _deadlines_visible_to(actor).filter(state=DeadlineState.BREACHED)
    if not actor.is_support_staff:
        clocks = clocks.filter(case__breached_open=True)
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
    zone = ZoneInfo(settings.TIME_ZONE)
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
