"""Keyset ("cursor") pagination over any stable ordering.

DRF's CursorPagination keeps only the first ordering field in its cursor and steps over ties
with an offset it caps at 1,000, so ordering by `status` or `priority` over many cases would
skip or repeat rows. Here the cursor holds the last row's value for every ordering field,
ending with the primary key, and the next page is the rows strictly after that tuple: no
offsets, no duplicates, and each page is one indexed query whatever its depth.
"""

import base64
import binascii
import datetime
import json
import uuid
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

Term = tuple[str, bool]  # (field name, descending)


def _terms(queryset: QuerySet) -> list[Term]:
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    terms = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    if not terms or terms[-1][0] not in ("id", "pk"):
        # Without a unique last key, rows that tie on every key could be skipped.
        raise AssertionError("Keyset pagination needs an ordering that ends with the id.")
    return terms


def _encode_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _decode_value(model: type[Model], name: str, raw):
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(raw, str | int) or (isinstance(raw, str) and "\x00" in raw):
        raise ValueError(name)  # a NUL: no row has one, and PostgreSQL refuses it (a 500)
    value = field.to_python(raw)
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is None:
            raise ValueError(name)
        # PostgreSQL refuses offsets beyond ±15:59, which Python accepts.
        value = value.astimezone(datetime.UTC)
    return value


def _after(terms: list[Term], values: list, *, reverse: bool) -> Q:
    """Rows strictly after `values` in the ordering (before them when `reverse`):
    (a > x) OR (a = x AND b > y) OR ... with each comparison turned by the key's direction."""
    alternatives = []
    equal = Q()
    for (name, descending), value in zip(terms, values, strict=True):
        lookup = "lt" if descending != reverse else "gt"
        alternatives.append(equal & Q(**{f"{name}__{lookup}": value}))
        equal &= Q(**{name: value})
    first_name, first_descending = terms[0]
    # Redundant with the alternatives, but a plain range on the leading key lets the database
    # walk its index instead of evaluating the OR for every row.
    bound = "lte" if first_descending != reverse else "gte"
    return Q(**{f"{first_name}__{bound}": values[0]}) & reduce(or_, alternatives)


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = 25
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.base_url = request.build_absolute_uri()
        self.page_size = self._page_size(request)
        self.terms = _terms(queryset)
        reverse, values = self._decode(request, queryset.model)
        ordering = [("-" if descending != reverse else "") + n for n, descending in self.terms]
        rows = queryset.order_by(*ordering)
        if values is not None:
            rows = rows.filter(_after(self.terms, values, reverse=reverse))
        # One row more than the page says whether another page follows.
        rows = list(rows[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if reverse:
            self.page.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = values is not None, more
        self.reverse = reverse
        return self.page

    def _page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def _decode(self, request, model) -> tuple[bool, list | None]:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            # Absent or empty (`?cursor=`, as a client that blanks the parameter sends it):
            # the first page.
            return False, None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            keys, reverse, values = payload["o"], payload["r"], payload["v"]
            if keys != self._keys() or not isinstance(reverse, bool):
                raise ValueError("cursor for another ordering")
            if not isinstance(values, list) or len(values) != len(self.terms):
                raise ValueError("cursor values")
            values = [
                _decode_value(model, name, value)
                for (name, _desc), value in zip(self.terms, values, strict=True)
            ]
        except (
            ValueError,
            TypeError,
            KeyError,
            OverflowError,
            UnicodeError,
            binascii.Error,
            ValidationError,
            FieldDoesNotExist,
        ):
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        _(
                            "This cursor is not valid for this list and ordering. Follow the "
                            "“next” and “previous” links exactly as returned."
                        )
                    ]
                }
            ) from None
        return reverse, values

    def _keys(self) -> list[str]:
        return [("-" if descending else "") + name for name, descending in self.terms]

    def _link(self, row, *, reverse: bool) -> str:
        values = [_encode_value(getattr(row, name)) for name, _desc in self.terms]
        payload = json.dumps({"o": self._keys(), "r": reverse, "v": values}, separators=(",", ":"))
        cursor = base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if not self.page:
            # Nothing before the cursor's row, so the first page starts with it.
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self._link(self.page[0], reverse=True)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last page."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    gettext_lazy("Opaque position; take it from the “next” or “previous” link.")
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(gettext_lazy("Results per page (default 25).")),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]


class WholeListPagination(KeysetPagination):
    """For short tables (the directory, the rules, a case's clocks): one page holds them all,
    in the same envelope as every other list, so clients page through it the same way."""

    page_size = 100

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(gettext_lazy("Results per page (default 100)."))
        return parameters
