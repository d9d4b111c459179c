"""How contacts read on the page: a channel icon, and a correction's old → new values."""

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from cases.choices import FilingType
from channels.choices import Channel, Direction
from channels.models import ChannelEntry

register = template.Library()

EMPTY = "—"

# Hand-drawn 24x24 stroke icons, one per channel (no icon font: the CSP allows no inline styles,
# and emoji fonts are missing on many machines).
_ICONS = {
    Channel.IN_APP: '<rect x="7" y="2.5" width="10" height="19" rx="2"/><path d="M11 18h2"/>',
    Channel.WEB_TICKET: (
        '<path d="M4 7a2 2 0 0 0 0 4v6h16v-6a2 2 0 0 1 0-4V5H4z"/><path d="M9 9h6M9 13h4"/>'
    ),
    Channel.PHONE: (
        '<path d="M5 3.5h3.5l1.8 4.5-2.3 1.5a12 12 0 0 0 6.5 6.5l1.5-2.3 4.5 1.8V19a2 2 0 0 1-2 '
        '2A17 17 0 0 1 3 5.5a2 2 0 0 1 2-2z"/>'
    ),
    Channel.EMAIL: (
        '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="m3.5 6 8.5 7 8.5-7"/>'
    ),
    Channel.SOCIAL: (
        '<path d="M4 5h16v11H10l-4 3.5V16H4z"/><circle cx="9" cy="10.5" r=".6"/>'
        '<circle cx="12" cy="10.5" r=".6"/><circle cx="15" cy="10.5" r=".6"/>'
    ),
    Channel.REGULATOR: '<path d="M3 9.5 12 4l9 5.5M5 10v8M9.5 10v8M14.5 10v8M19 10v8M3 20.5h18"/>',
    Channel.ARBITRATION: (
        '<path d="M12 4v16M7 20h10M5 7h14M5 7l-2.5 6h5zM19 7l-2.5 6h5z"/>'
        '<path d="M2.5 13a2.5 2 0 0 0 5 0M16.5 13a2.5 2 0 0 0 5 0"/>'
    ),
    Channel.COURT: (
        '<path d="m13.5 4.5 6 6M10.5 7.5l6 6M12 6l4.5 4.5M11.5 12 4 19.5"/><path d="M3 21h9"/>'
    ),
    Channel.LEGAL_AID: (
        '<path d="M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z"/><path d="m9 12 2 2 4-4"/>'
    ),
    Channel.OTHER: (
        '<circle cx="6" cy="12" r="1.2"/><circle cx="12" cy="12" r="1.2"/>'
        '<circle cx="18" cy="12" r="1.2"/>'
    ),
}


@register.simple_tag
def channel_icon(channel: str):
    paths = _ICONS.get(channel, _ICONS[Channel.OTHER])
    return format_html(
        '<svg class="channel-icon" viewBox="0 0 24 24" width="20" height="20" fill="none" '
        'stroke="currentColor" stroke-width="1.7" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">{}</svg>',
        mark_safe(paths),  # the constant paths above: no user input
    )


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value not in (None, "") else EMPTY


def _field_label(name: str) -> str:
    return capfirst(str(ChannelEntry._meta.get_field(name).verbose_name))


def _when(value) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return str(value or EMPTY)
    return date_format(timezone.localtime(parsed), "Y-m-d H:i")


def _day(value) -> str:
    parsed = parse_date(value) if isinstance(value, str) else None
    return date_format(parsed, "Y-m-d") if parsed else EMPTY


def _body(value, bodies) -> str:
    if not value:
        return EMPTY
    body = bodies.get(value)
    return body.display_name if body else str(value)


def _evidence(value, evidence) -> str:
    """The linked files by name; one the viewer cannot see (removed) is counted, not named."""
    ids = value or []
    if not ids:
        return EMPTY
    names = [evidence[i].original_name for i in ids if i in evidence]
    hidden = len(ids) - len(names)
    if hidden:
        names.append(
            ngettext("%(count)d other file", "%(count)d other files", hidden) % {"count": hidden}
        )
    return pgettext("list separator", ", ").join(names)


_ORDER = (
    "occurred_at",
    "channel",
    "direction",
    "body",
    "counterpart",
    "filing_type",
    "external_reference",
    "follow_up_on",
    "summary",
    "evidence",
)


@register.simple_tag
def contact_changes(event, bodies, evidence) -> list[dict]:
    """A correction's rows of label, old and new, in the form's order. `bodies` maps slugs to
    bodies, `evidence` ids (as text) to the case's items the viewer may see."""
    changes = event.changes or {}
    rows = []
    for name in _ORDER:
        change = changes.get(name)
        if not isinstance(change, dict):
            continue
        old, new = change.get("old"), change.get("new")
        if name == "occurred_at":
            old, new = _when(old), _when(new)
        elif name == "follow_up_on":
            old, new = _day(old), _day(new)
        elif name == "channel":
            old, new = _label(Channel.choices, old), _label(Channel.choices, new)
        elif name == "direction":
            old, new = _label(Direction.choices, old), _label(Direction.choices, new)
        elif name == "filing_type":
            old, new = _label(FilingType.choices, old), _label(FilingType.choices, new)
        elif name == "body":
            old, new = _body(old, bodies), _body(new, bodies)
        elif name == "evidence":
            old, new = _evidence(old, evidence), _evidence(new, evidence)
        else:
            old, new = old or EMPTY, new or EMPTY
        rows.append(
            {
                "label": _("Linked evidence") if name == "evidence" else _field_label(name),
                "old": old,
                "new": new,
                "long": name == "summary",
            }
        )
    return rows


@register.simple_tag
def contact_of(event, contacts) -> ChannelEntry | None:
    """The contact a correction event is about, if it is on the page."""
    contact_id = ((event.changes or {}).get("contact") or {}).get("id")
    return contacts.get(contact_id)
