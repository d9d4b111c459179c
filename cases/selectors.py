"""Reads with access rules. Every way to reach a case goes through `cases_visible_to`."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases.models import Case, CaseEvent


def cases_visible_to(actor: User) -> QuerySet[Case]:
    """Staff see every case; a seller their own and their organisation's."""
    cases = Case.objects.select_related("owner", "assignee")
    if not actor.is_authenticated:
        return cases.none()
    if actor.is_support_staff:
        return cases
    mine = Q(owner=actor)
    if actor.organisation_id:
        mine |= Q(organisation_id=actor.organisation_id)
    return cases.filter(mine)


def case_get_for(*, actor: User, reference: str, for_update: bool = False) -> Case:
    """The case with this reference if the actor may see it; 404 alike for missing and not yours."""
    cases = cases_visible_to(actor)
    if for_update:
        # of=("self",) so the lock does not extend to the joined users.
        cases = cases.select_for_update(of=("self",))
    try:
        return cases.get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


def dashboard_cases(*, actor: User) -> QuerySet[Case]:
    """Urgent first, then newest — the order both dashboards use."""
    return cases_visible_to(actor).order_by("-priority", "-created_at", "-id")
