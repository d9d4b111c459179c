"""Reads with access rules. Every way to reach a case goes through `cases_visible_to` (or, for
reads that start from a case's rows, the same rule from `_visible`)."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases.choices import EventKind
from cases.counts import status_counts
from cases.models import Case, CaseEvent


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
