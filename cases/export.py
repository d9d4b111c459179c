"""CSV export of a list of cases, streamed: staff get every column, a seller only their own
cases and seller-safe columns (never internal notes, assignee or staff-only fields)."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Case

# Spreadsheet programs run a cell starting with these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Rows per database round trip while streaming (a server-side cursor on PostgreSQL).
CHUNK = 2000


def neutralise(value) -> str:
    """The cell as text; one that a spreadsheet would run as a formula gets a leading
    apostrophe, which shows it as text."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _columns(*, staff: bool) -> list[tuple[str, object]]:
    yes = _("yes")
    columns = [
        (_("Reference"), lambda c: c.reference),
        (_("Title"), lambda c: c.title),
        (_("Kind"), lambda c: c.get_kind_display()),
        (_("Platform"), lambda c: c.get_platform_display()),
        (_("Platform reference"), lambda c: c.platform_reference),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Priority"), lambda c: c.get_priority_display()),
        (_("Outcome"), lambda c: c.get_outcome_display() if c.outcome else ""),
        (_("Amount claimed"), lambda c: c.amount_claimed if c.amount_claimed is not None else ""),
        (
            _("Amount recovered"),
            lambda c: c.amount_recovered if c.amount_recovered is not None else "",
        ),
        (_("Currency"), lambda c: c.currency),
        (_("Next due"), lambda c: _when(c.next_due_at)),
        (_("Opened"), lambda c: _when(c.created_at)),
        (_("Updated"), lambda c: _when(c.updated_at)),
        (_("Closed"), lambda c: _when(c.closed_at)),
    ]
    if staff:
        columns[1:1] = [(_("Seller"), lambda c: c.owner.display)]
        columns += [
            (_("Seller's role"), lambda c: c.get_party_role_display()),
            (_("Account or store ID"), lambda c: c.platform_account),
            (_("Assignee"), lambda c: c.assignee.display if c.assignee_id else ""),
            (_("Breached clock"), lambda c: yes if c.breached_open else ""),
            (_("Description"), lambda c: c.description),
        ]
    else:
        columns += [(_("Description"), lambda c: c.description)]
    return columns


def _rows(cases: Iterable[Case], columns) -> Iterator[list[str]]:
    yield [neutralise(title) for title, _get in columns]
    for case in cases:
        yield [neutralise(get(case)) for _title, get in columns]


def cases_csv_response(cases, *, staff: bool, filename: str) -> StreamingHttpResponse:
    """Stream `cases` (a queryset, read in chunks) as UTF-8 CSV with a byte order mark, so
    Excel opens Chinese correctly."""
    columns = _columns(staff=staff)
    writer = csv.writer(_Echo())
    rows = cases.iterator(chunk_size=CHUNK)
    # The body is written after the view returns: keep the request's language and zone.
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def stream():
        with translation.override(language), timezone.override(zone):
            yield "\ufeff"
            for row in _rows(rows, columns):
                yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
