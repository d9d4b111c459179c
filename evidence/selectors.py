"""Reads of evidence, always through the case's access rule."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from cases.models import Case
from cases.selectors import case_get_for
from evidence.checklists import CHECKLISTS
from evidence.models import EvidenceItem


def evidence_for_case(*, actor: User, case: Case) -> QuerySet[EvidenceItem]:
    """The case's evidence, oldest first. Sellers see current items; staff also removed ones."""
    items = (
        EvidenceItem.objects.filter(case=case)
        .select_related("uploaded_by", "removed_by")
        .order_by("uploaded_at", "id")
    )
    if not actor.is_support_staff:
        items = items.filter(removed_at__isnull=True)
    return items


def evidence_get_for(*, actor: User, reference: str, evidence_id) -> EvidenceItem:
    """One item of a case the actor may see; 404 alike for missing, not yours and (for a
    seller) removed."""
    case = case_get_for(actor=actor, reference=reference)
    try:
        item = evidence_for_case(actor=actor, case=case).get(pk=evidence_id)
    except (EvidenceItem.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such evidence.") from None
    item.case = case
    return item


def evidence_checklist(*, case: Case, items) -> list[dict]:
    """The checklist for the case's kind, each entry marked done when a current item fits."""
    have = {item.kind for item in items if not item.is_removed}
    return [
        {
            "label": entry.label,
            "hint": entry.hint,
            "kinds": entry.kinds,
            "done": bool(have & entry.kinds),
        }
        for entry in CHECKLISTS.get(case.kind, ())
    ]


def latest_integrity_check():
    from evidence.models import IntegrityCheck

    return IntegrityCheck.objects.order_by("-started_at").first()
