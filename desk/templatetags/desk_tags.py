"""What the staff desk's partials need from the database."""

from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.choices import CaseKind, DecisionResult, Platform, Priority, Status
from desk.assignment import staff_members as _staff_members
from desk.selectors import QueueRow

register = template.Library()


@register.simple_tag
def staff_members() -> list:
    """Active support staff, by username, for the assignment selects: one query."""
    return list(_staff_members().only("id", "username", "first_name", "last_name", "display_name"))


@register.simple_tag
def bulk_choices() -> dict:
    """The values a bulk action can set: priorities, and the statuses a selection can be moved
    to (not resolved: each resolved case needs its own outcome)."""
    return {
        "priorities": Priority.choices,
        "statuses": [(value, label) for value, label in Status.choices if value != Status.RESOLVED],
        "decisions": DecisionResult.choices,
    }


def _when(value, tz) -> tuple[str, str]:
    """A moment as the `date:'c'` and `date:'Y-m-d H:i'` filters write it, in the reader's
    time zone."""
    local = value.astimezone(tz)
    return local.isoformat(), local.strftime("%Y-%m-%d %H:%M")


@register.simple_tag
def queue_rows(cases: list[QueueRow], *, now, select: bool) -> str:
    """The staff queue's rows. Written here rather than as a template loop because staff
    reload this page all day: fifty rows of ten cells cost ~15 ms of CPU through the
    template engine and ~1 ms here (bench/triage.py), and the page must stay under 100 ms
    with eight people on it. Labels are translated once per page, not once per row, and
    cells are escaped by the standard library's `html.escape`, which Django's `escape` wraps
    (the same output, without its lazy-string check for each of ~600 cells)."""
    tz = timezone.get_current_timezone()
    labels = {
        "ref": _("Reference"),
        "title": _("Title"),
        "seller": _("Seller"),
        "platform": _("Platform"),
        "kind": _("Kind"),
        "status": _("Status"),
        "priority": _("Priority"),
        "assignee": _("Assignee"),
        "due": _("Next due"),
        "updated": _("Updated"),
    }
    labels = {key: escape(label) for key, label in labels.items()}
    unassigned, urgent = escape(_("Unassigned")), escape(_("Urgent"))
    awaiting, awaiting_since = escape(_("Awaiting reply")), _("The seller wrote on %(when)s.")
    breached, overdue = escape(_("Breached")), escape(_("Overdue"))
    displays = {
        field: {value: escape(str(label)) for value, label in choices}
        for field, choices in (
            ("platform", Platform.choices),
            ("kind", CaseKind.choices),
            ("status", Status.choices),
            ("priority", Priority.choices),
        )
    }
    select_label = _("Select %(ref)s")
    detail = reverse("cases:detail", kwargs={"reference": "__reference__"})
    html = []
    for case in cases:
        ref = escape(case.reference)
        url = escape(detail.replace("__reference__", quote(case.reference)))
        status = escape(case.status)
        cells = []
        if select:
            aria = escape(select_label % {"ref": case.reference})
            cells.append(
                f'<td class="select-cell"><input type="checkbox" name="case" value="{ref}"'
                f' id="select-{ref}" aria-label="{aria}"></td>'
            )
        if case.priority == Priority.URGENT:
            priority = f'<span class="badge urgent">{urgent}</span>'
        else:
            priority = displays["priority"].get(case.priority) or escape(case.priority)
        if case.assignee_username is not None:
            assignee = escape(case.assignee_username)
        else:
            assignee = f'<span class="muted">{unassigned}</span>'
        due = f'<span class="badge breached">{breached}</span> ' if case.breached_open else ""
        if case.next_due_at:
            iso, shown = _when(case.next_due_at, tz)
            if case.next_due_at <= now:
                due += (
                    f'<time datetime="{iso}" class="overdue">{shown}</time>'
                    f' <span class="badge overdue">{overdue}</span>'
                )
            else:
                due += f'<time datetime="{iso}">{shown}</time>'
        elif not case.breached_open:
            due = '<span class="muted">—</span>'
        waiting = ""
        if case.awaiting_reply_since:
            since = escape(awaiting_since % {"when": _when(case.awaiting_reply_since, tz)[1]})
            waiting = f' <span class="badge awaiting" title="{since}">{awaiting}</span>'
        updated_iso, updated = _when(case.updated_at, tz)
        cells += [
            f'<td data-label="{labels["ref"]}"><a class="ref" href="{url}">{ref}</a></td>',
            f'<td data-label="{labels["title"]}" class="case-cell"><a class="case-title"'
            f' href="{url}" tabindex="-1">{escape(case.title)}</a>{waiting}</td>',
            f'<td data-label="{labels["seller"]}">{escape(case.owner_username)}</td>',
            f'<td data-label="{labels["platform"]}">'
            f"{displays['platform'].get(case.platform) or escape(case.platform)}</td>",
            f'<td data-label="{labels["kind"]}">'
            f"{displays['kind'].get(case.kind) or escape(case.kind)}</td>",
            f'<td data-label="{labels["status"]}"><span class="badge status status-{status}">'
            f"{displays['status'].get(case.status) or status}</span></td>",
            f'<td data-label="{labels["priority"]}">{priority}</td>',
            f'<td data-label="{labels["assignee"]}">{assignee}</td>',
            f'<td data-label="{labels["due"]}" class="due-cell">{due}</td>',
            f'<td data-label="{labels["updated"]}"><time datetime="{updated_iso}">'
            f"{updated}</time></td>",
        ]
        row_class = "queue-row is-breached" if case.breached_open else "queue-row"
        html.append(f'<tr class="{row_class}">{"".join(cells)}</tr>')
    return mark_safe("\n".join(html))
