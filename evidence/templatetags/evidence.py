"""How evidence reads on the page: a file-type label and colour, and evidence events."""

from pathlib import PurePosixPath

from django import template
from django.utils.translation import gettext_lazy as _

from evidence.choices import EvidenceKind

register = template.Library()

_FAMILIES = (
    ("image/", "image"),
    ("video/", "video"),
    ("application/pdf", "pdf"),
    ("message/", "mail"),
    ("text/", "text"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", "sheet"),
    ("application/vnd.openxmlformats-officedocument", "doc"),
)


@register.filter
def file_label(item) -> str:
    """What a seller calls the file: its extension, "PDF", "MP4", "JPG" (the extension always
    agrees with the sniffed type, or the file was refused)."""
    suffix = PurePosixPath(item.original_name).suffix[1:5]
    return suffix.upper() or str(_("File"))


@register.filter
def file_family(item) -> str:
    """A colour family for the file-type tile."""
    for prefix, family in _FAMILIES:
        if item.content_type.startswith(prefix):
            return family
    return "other"


def _kind_label(value) -> str:
    if value in EvidenceKind.values:
        return str(EvidenceKind(value).label)
    return str(value or "—")


@register.filter
def evidence_kind_label(value) -> str:
    return _kind_label(value)


@register.filter
def evidence_event(event) -> dict:
    """An evidence event's file (name, kind) and, for an edit, what changed, old → new."""
    changes = event.changes or {}
    summary = changes.get("evidence") or {}
    rows = []
    if "kind" in changes:
        rows.append(
            {
                "label": _("Kind"),
                "old": _kind_label(changes["kind"].get("old")),
                "new": _kind_label(changes["kind"].get("new")),
                "long": False,
            }
        )
    if "description" in changes:
        rows.append(
            {
                "label": _("Description"),
                "old": changes["description"].get("old") or "—",
                "new": changes["description"].get("new") or "—",
                "long": len(changes["description"].get("old") or "") > 60
                or len(changes["description"].get("new") or "") > 60,
            }
        )
    return {
        "name": summary.get("name", ""),
        "kind": _kind_label(summary.get("kind")),
        "size": summary.get("size"),
        "sha256": summary.get("sha256", ""),
        "changes": rows,
    }


@register.filter
def kind_labels(kinds) -> list[str]:
    """A checklist entry's kinds as labels, in the kinds' own order."""
    return [str(label) for value, label in EvidenceKind.choices if value in kinds]


@register.filter
def done_count(checklist) -> int:
    return sum(1 for entry in checklist if entry["done"])


@register.filter
def current_count(items) -> int:
    return sum(1 for item in items if not item.is_removed)
