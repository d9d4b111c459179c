"""Query-string filters and ordering for the case list. Anything not listed here is refused."""

import datetime
import re

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from cases import clock
from cases.choices import CaseKind, PartyRole, Platform, Priority, Status
from cases.models import Case
from cases.search import (
    SEARCH_MAX_LENGTH,
    case_search,
    filter_assignee,
    filter_awaiting_reply,
    filter_due_within,
    filter_overdue,
)

# Sync clients ask for "changed since"; outside these bounds a value is a mistake, and
# PostgreSQL cannot even take some of them (offsets beyond ±15:59, years before 1).
UPDATED_SINCE_EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
UPDATED_SINCE_LATEST = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)

# Real time zones run from UTC-12:00 to UTC+14:00; Python takes up to ±23:59.
MAX_UTC_OFFSET = datetime.timedelta(hours=14)

# An unencoded "+" in a query string arrives as a space: "…T08:00:00 08:00".
_SPACE_FOR_PLUS = re.compile(r"(T[0-9:.,]+) ([0-9]{2}(:?[0-9]{2})?)$")


class AwareDateTimeField(forms.Field):
    """An ISO 8601 date and time with its UTC offset, returned in UTC."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter a date and time in ISO 8601 with its UTC offset, "
            "e.g. 2026-10-01T08:00:00+08:00 or 2026-10-01T00:00:00Z."
        ),
        "range": gettext_lazy("Enter a time from 2000-01-01 to 2100-01-01."),
        "offset": gettext_lazy("No time zone is more than 14 hours from UTC; check the offset."),
    }

    def to_python(self, value):
        if value == "":
            # Given but empty (?updated_since=): not a time, as the schema says; leave the
            # parameter out to filter nothing.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if value in self.empty_values:
            return None
        value = _SPACE_FOR_PLUS.sub(r"\1+\2", str(value).strip())
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        offset = parsed.utcoffset()
        if offset is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if abs(offset) > MAX_UTC_OFFSET:
            raise forms.ValidationError(self.error_messages["offset"], code="offset")
        try:
            # Normalised to UTC: PostgreSQL rejects offsets beyond ±15:59 (Python takes ±23:59).
            parsed = parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["range"], code="range") from None
        if not UPDATED_SINCE_EARLIEST <= parsed < UPDATED_SINCE_LATEST:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return parsed


class AwareDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = AwareDateTimeField


def _any_of(choices, help_text):
    # distinct=False: these filter columns of the case row itself, so no row can repeat; the
    # default DISTINCT would make PostgreSQL sort every match instead of walking an index.
    return django_filters.MultipleChoiceFilter(choices=choices, help_text=help_text, distinct=False)


class CaseFilter(django_filters.FilterSet):
    status = _any_of(Status.choices, gettext_lazy("One or more statuses (repeat the name)."))
    kind = _any_of(CaseKind.choices, gettext_lazy("One or more kinds (repeat the name)."))
    platform = _any_of(Platform.choices, gettext_lazy("One or more platforms (repeat the name)."))
    priority = _any_of(Priority.choices, gettext_lazy("normal or urgent (repeat for both)."))
    assignee = django_filters.CharFilter(
        field_name="assignee__username",
        max_length=150,
        help_text=gettext_lazy("Username of the staff member the case is assigned to."),
    )
    updated_since = AwareDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=gettext_lazy(
            "Cases changed at or after this time (ISO 8601 with offset; encode “+” as %2B)."
        ),
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_overdue",
        help_text=gettext_lazy(
            "true: cases with a clock that has run out (running past its due moment, or "
            "breached); false: cases with none."
        ),
    )
    awaiting_reply = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_awaiting_reply",
        help_text=gettext_lazy(
            "true: cases whose seller's latest message waits for support staff's answer; "
            "false: cases with none waiting."
        ),
    )
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=gettext_lazy(
            "Text in the reference, title, description, platform reference, a contact's "
            "reference number or the seller's username (substrings, Chinese included)."
        ),
    )
    party_role = _any_of(PartyRole.choices, gettext_lazy("merchant, creator or consumer."))
    assigned = django_filters.ChoiceFilter(
        choices=[("me", "me"), ("none", "none"), ("any", "any")],
        method="filter_assigned",
        help_text=gettext_lazy("me: assigned to you; none: unassigned; any: everything."),
    )
    due_within = django_filters.NumberFilter(
        method="filter_due_within",
        min_value=0,
        max_value=365,
        help_text=gettext_lazy("Cases with a running clock due within this many days (0 to 365)."),
    )
    created_after = AwareDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text=gettext_lazy("Cases opened at or after this time (ISO 8601 with offset)."),
    )
    created_before = AwareDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text=gettext_lazy("Cases opened before this time (ISO 8601 with offset)."),
    )
    updated_before = AwareDateTimeFilter(
        field_name="updated_at",
        lookup_expr="lt",
        help_text=gettext_lazy("Cases changed before this time (ISO 8601 with offset)."),
    )

    class Meta:
        model = Case
        fields = [
            "status",
            "kind",
            "platform",
            "priority",
            "assignee",
            "updated_since",
            "overdue",
            "awaiting_reply",
            "search",
            "party_role",
            "assigned",
            "due_within",
            "created_after",
            "created_before",
            "updated_before",
        ]

    def get_form_class(self):
        # The form depends only on the declared filters, never on the request, so it is built
        # once per class; django-filter would build a new form class on every request.
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = cls._form_class = super().get_form_class()
        return form_class

    def filter_overdue(self, queryset, name, value):
        # The staff queue's rule, on the same indexed columns: one meaning of "overdue".
        return filter_overdue(queryset, value == "true", now=clock.now())

    def filter_awaiting_reply(self, queryset, name, value):
        return filter_awaiting_reply(queryset, value == "true")

    def filter_search(self, queryset, name, value):
        return case_search(queryset, value)

    def filter_assigned(self, queryset, name, value):
        return filter_assignee(queryset, value, actor=self.request.user)

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        return filter_due_within(queryset, int(value), now=clock.now())


class CaseFilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the query string names none of the filters.

    Building a FilterSet deep-copies every filter and its form field on each request; with no
    filter named, every filter would be a no-op (an absent value filters nothing and cannot be
    invalid), so the queryset goes on unfiltered, as the FilterSet would pass it.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and filterset_class.base_filters.keys().isdisjoint(
            request.query_params.keys()
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class AllowListOrdering(BaseFilterBackend):
    """`?ordering=-priority,created_at` over the view's `ordering_fields` only.

    DRF's OrderingFilter silently drops unknown keys; a client that misspells one would get
    an order it did not ask for, so here it is a 400. The id is appended as the last key so
    the order is total, which keyset pagination needs.
    """

    ordering_param = "ordering"

    def get_ordering(self, request, queryset, view) -> list[str]:
        raw = request.query_params.get(self.ordering_param)
        # Given, it must be keys as the schema's pattern says: not empty, no blank key or space.
        keys = raw.split(",") if raw is not None else list(view.ordering)
        allowed = view.ordering_fields
        # One "-" at most: "--priority" is not a field (it reached order_by and failed, 500).
        names = [key.removeprefix("-") for key in keys]
        unknown = [name for name in names if name not in allowed]
        if unknown or len(set(names)) != len(names):
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _(
                            "Order by one or more of: %(allowed)s, each at most once, "
                            "with “-” for descending (e.g. -updated_at)."
                        )
                        % {"allowed": ", ".join(allowed)}
                    ]
                }
            )
        tie_break = "-id" if keys[-1].startswith("-") else "id"
        return [*keys, tie_break]

    def filter_queryset(self, request, queryset, view):
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_schema_operation_parameters(self, view):
        fields = "|".join(view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": _(
                    "Comma-separated keys from: %(allowed)s; “-” for descending. "
                    "Default: %(default)s."
                )
                % {"allowed": ", ".join(view.ordering_fields), "default": ",".join(view.ordering)},
                "schema": {"type": "string", "pattern": f"^-?({fields})(,-?({fields}))*$"},
            }
        ]
