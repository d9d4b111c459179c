"""Case JSON (DESIGN.md's operations contract) and the shapes of what clients send.

Input serializers check types and sizes and name the allowed values; the services apply the
business rules (kind details, the lifecycle) and save. Nothing here saves a model.
"""

import functools
from decimal import Decimal

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from cases.choices import (
    CaseKind,
    DecisionResult,
    EventKind,
    Outcome,
    PartyRole,
    Platform,
    Priority,
    Status,
)
from cases.kinds import KINDS
from cases.models import Case, CaseEvent
from cases.services import NOTE_MAX_LENGTH


class ChoiceField(serializers.ChoiceField):
    """A choice whose error names the values that would have been accepted."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(
                _("“%(input)s” is not a valid choice. Choose one of: %(allowed)s.")
                % {"input": str(data)[:100], "allowed": ", ".join(map(str, self.choices))},
                code="invalid_choice",
            ) from None


class OptionalChoiceField(ChoiceField):
    """Stored as "" when unset (outcome, an event's statuses); shown as null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) if value else None


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        allow_null=True,
        required=False,
        help_text=gettext_lazy("Decimal string, e.g. “1999.00”."),
        **kwargs,
    )


def _currency() -> serializers.RegexField:
    return serializers.RegexField(
        r"^[A-Za-z]{3}\Z",
        required=False,
        help_text=gettext_lazy("ISO 4217 code; CNY by default."),
        error_messages={"invalid": gettext_lazy("Enter a three-letter currency code, e.g. CNY.")},
    )


# --- Kind-specific details ---------------------------------------------------------------
# Documented from the same forms that validate them (cases.kinds), so the schema cannot drift.


def _details_field(field: forms.Field) -> serializers.Field:
    common = {"required": field.required, "help_text": field.label}
    if isinstance(field, forms.URLField):
        return serializers.URLField(max_length=field.max_length, **common)
    if isinstance(field, forms.CharField):
        return serializers.CharField(max_length=field.max_length, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **common
        )
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=field.choices, **common)
    raise TypeError(f"No API field for {type(field).__name__}")


def _details_serializer(kind: str) -> type[serializers.Serializer]:
    form = KINDS[kind].details_form
    name = "".join(part.title() for part in kind.split("_")) + "Details"
    attrs = {n: _details_field(f) for n, f in form.base_fields.items()}
    return type(name, (serializers.Serializer,), attrs)


DETAILS_SERIALIZERS = [_details_serializer(kind) for kind in KINDS]
# Details that are a date, an amount or a choice: an empty string is none of these (the web
# form's empty box means "not given"; over the API, leave the key out).
_TYPED_DETAILS = frozenset(
    name
    for kind in KINDS
    for name, field in KINDS[kind].details_form.base_fields.items()
    if not isinstance(field, forms.CharField)
)


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="CaseDetails",
        serializers=DETAILS_SERIALIZERS,
        resource_type_field_name=None,
    )
)
class DetailsField(serializers.JSONField):
    # The kind's details: dates as YYYY-MM-DD, money as decimal strings. Only the shape is
    # checked here; `validate_details` (through the services) checks them against the kind.

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                _("Details must be an object of named values."), code="invalid"
            )
        # Every detail is text in JSON: names and numbers as typed, dates as YYYY-MM-DD,
        # amounts as "2000.00", choices by their key.
        errors = {}
        for name, value in sorted(data.items()):
            if value is None or (value == "" and name in _TYPED_DETAILS):
                errors[name] = [_("Leave this out instead of sending it empty.")]
            elif not isinstance(value, str):
                errors[name] = [_("Must be text (a JSON string), not a number or true/false.")]
        if errors:
            raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


# --- Output ------------------------------------------------------------------------------


class NextDeadlineSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text=gettext_lazy(
            "Key of the clock's rule, e.g. platform.first_response (see /api/v1/deadline-rules/)."
        )
    )
    due_at = serializers.DateTimeField()
    state = ChoiceField(
        # Only "running" (a clock's state, deadlines.choices.DeadlineState): paused and
        # settled clocks are never the next one.
        choices=[("running", gettext_lazy("Running"))],
        help_text=gettext_lazy("Always running: paused and settled clocks are not next."),
    )


@functools.cache
def _case_columns() -> tuple[str, ...]:
    return tuple(field.name for field in Case._meta.concrete_fields)


def for_case_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the list writes: every case column, and of its owner and assignee only the
    username (not the password hash and a dozen other columns, 26 times a page)."""
    return cases.only(*_case_columns(), "owner__username", "assignee__username")


_AMOUNT = serializers.DecimalField(max_digits=14, decimal_places=2)


def _datetime(value, tz):
    """DRF's DateTimeField output (ISO 8601 in the active time zone, "Z" for UTC) with the
    time zone looked up once per list rather than once per value."""
    if not value:
        return None
    try:
        text = value.astimezone(tz).isoformat()
    except OverflowError:
        return serializers.DateTimeField().to_representation(value)  # raises as DRF does
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _username(user) -> str | None:
    return None if user is None else str(user.username)


class CaseListSerializer(serializers.ListSerializer):
    """The case list's rows, written out field by field.

    The same JSON as `CaseSerializer` gives for each case (the contract tests pin it), without
    DRF's per-field machinery: the list is the API's busiest read, and walking twenty fields
    through `get_attribute` and `to_representation` for every row cost more than the queries.
    Keep `_row` in step with `CaseSerializer.Meta.fields`.
    """

    def to_representation(self, data):
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        tz = timezone.get_current_timezone()
        return [self._row(case, tz) for case in rows]

    def _row(self, case: Case, tz) -> dict:
        amount_claimed, amount_recovered = case.amount_claimed, case.amount_recovered
        # The case's own copy of its next running clock (kept by case_refresh_urgency in the
        # transaction of every clock change): no subquery per row.
        next_deadline = (
            None
            if case.next_due_at is None
            else {
                "kind": case.next_due_rule or None,
                "due_at": _datetime(case.next_due_at, tz),
                "state": "running",
            }
        )
        return {
            "reference": case.reference,
            "kind": case.kind,
            "platform": case.platform,
            "platform_account": case.platform_account,
            "party_role": case.party_role,
            "title": case.title,
            "description": case.description,
            "status": case.status,
            "priority": case.priority,
            "outcome": case.outcome or None,
            "decision_result": case.decision_result or None,
            "decision_notified_at": _datetime(case.decision_notified_at, tz),
            "amount_claimed": (
                None if amount_claimed is None else _AMOUNT.to_representation(amount_claimed)
            ),
            "amount_recovered": (
                None if amount_recovered is None else _AMOUNT.to_representation(amount_recovered)
            ),
            "currency": case.currency,
            "platform_reference": case.platform_reference,
            "details": case.details,
            "owner": _username(case.owner),
            "assignee": _username(case.assignee),
            "next_deadline": next_deadline,
            "awaiting_reply_since": _datetime(case.awaiting_reply_since, tz),
            "created_at": _datetime(case.created_at, tz),
            "updated_at": _datetime(case.updated_at, tz),
        }


class CaseSerializer(serializers.ModelSerializer):
    kind = ChoiceField(choices=CaseKind.choices, read_only=True)
    platform = ChoiceField(choices=Platform.choices, read_only=True)
    party_role = ChoiceField(choices=PartyRole.choices, read_only=True)
    status = ChoiceField(choices=Status.choices, read_only=True)
    priority = ChoiceField(choices=Priority.choices, read_only=True)
    outcome = OptionalChoiceField(
        choices=Outcome.choices,
        read_only=True,
        help_text=gettext_lazy("How the case ended; null while open."),
    )
    decision_result = OptionalChoiceField(
        choices=DecisionResult.choices,
        read_only=True,
        help_text=gettext_lazy(
            "The platform's latest decision: granted, partly_granted or rejected; null before "
            "a decision, or for a case decided before results were recorded."
        ),
    )
    decision_notified_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "When the seller was notified of that decision: the appeal window and the refund "
            "clock count from it."
        ),
    )
    details = DetailsField(read_only=True)
    owner = serializers.CharField(
        source="owner.username", read_only=True, help_text=gettext_lazy("Username.")
    )
    assignee = serializers.CharField(
        source="assignee.username",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Username of the staff member handling the case, or null."),
    )
    next_deadline = serializers.SerializerMethodField(
        help_text=gettext_lazy("The next running deadline, or null when none is running.")
    )
    awaiting_reply_since = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "When the seller's oldest unanswered message was written; null once support staff "
            "have answered it."
        ),
    )

    class Meta:
        model = Case
        fields = [
            "reference",
            "kind",
            "platform",
            "platform_account",
            "party_role",
            "title",
            "description",
            "status",
            "priority",
            "outcome",
            "decision_result",
            "decision_notified_at",
            "amount_claimed",
            "amount_recovered",
            "currency",
            "platform_reference",
            "details",
            "owner",
            "assignee",
            "next_deadline",
            "awaiting_reply_since",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        list_serializer_class = CaseListSerializer

    @extend_schema_field(NextDeadlineSerializer(allow_null=True))
    def get_next_deadline(self, case: Case) -> dict | None:
        # One case read on its own asks the clocks (one query) rather than trusting the copy
        # on the case: after a change in this request, the instance in hand predates the
        # refresh. The list reads the copy (CaseListSerializer).
        # (The clocks are case.deadlines, the deadlines app's rows: read through the relation,
        # as the layer below them, without importing that app.)
        deadline = (
            case.deadlines.filter(state="running")
            .order_by("due_at", "id")
            .only("due_at", "rule_snapshot")
            .first()
        )
        if deadline is None:
            return None
        return NextDeadlineSerializer(
            {
                "kind": deadline.rule_snapshot.get("key"),
                "due_at": deadline.due_at,
                "state": "running",
            },
            context=self.context,
        ).data


class ChangeSerializer(serializers.Serializer):
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class CaseEventSerializer(serializers.ModelSerializer):
    kind = ChoiceField(choices=EventKind.choices, read_only=True)
    actor = serializers.CharField(
        source="actor.username",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Username, or null for the system."),
    )
    from_status = OptionalChoiceField(choices=Status.choices, read_only=True)
    to_status = OptionalChoiceField(choices=Status.choices, read_only=True)
    changes = serializers.DictField(
        child=ChangeSerializer(),
        read_only=True,
        help_text=gettext_lazy("Edited fields with their old and new values."),
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "actor",
            "created_at",
            "from_status",
            "to_status",
            "changes",
            "note",
        ]
        read_only_fields = fields


class TransitionConflictSerializer(serializers.Serializer):
    """409 body: why the move is not allowed and where the case can go instead."""

    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField(required=False)
    status = ChoiceField(choices=Status.choices, help_text=gettext_lazy("The current status."))
    allowed = serializers.ListField(child=ChoiceField(choices=Status.choices))


# --- Input -------------------------------------------------------------------------------


def case_url(request, case: Case) -> str:
    return request.build_absolute_uri(
        reverse("cases-api:case-detail", kwargs={"reference": case.reference})
    )


def _not_text(field, value) -> bool:
    """A value of the wrong JSON type for a text field (or a list of them). Amounts are text
    too ("2000.00"): a JSON number may arrive as a binary fraction, and the schema says text."""
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return any(_not_text(field.child, item) for item in value)
    return (
        isinstance(field, serializers.CharField | serializers.DecimalField)
        and value is not None
        and not isinstance(value, str)
    )


def _not_boolean(field, value) -> bool:
    # DRF's BooleanField takes 0, 1, "yes", "on"…; a JSON client sends true or false.
    return isinstance(field, serializers.BooleanField) and not isinstance(value, bool)


class StrictInputSerializer(serializers.Serializer):
    # Refuses fields it does not know instead of silently ignoring them: a client that sends
    # "status" in an edit must learn that it did nothing.

    # And refuses a number or true/false where the schema says text: DRF's CharField turns
    # `"platform_reference": 0` into "0", so a client's wrong type went unnoticed.

    def to_internal_value(self, data):
        if isinstance(data, dict):
            extra = sorted(set(data) - set(self.fields))
            if extra:
                raise serializers.ValidationError(
                    {name: [self.unexpected_field_message(name)] for name in extra}
                )
            wrong = {
                name: [_("Must be text (a JSON string), not a number or true/false.")]
                for name, value in data.items()
                if _not_text(self.fields[name], value)
            }
            # JSON only: a form (multipart) sends every value as text.
            if not hasattr(data, "getlist"):
                wrong |= {
                    name: [_("Must be true or false.")]
                    for name, value in data.items()
                    if _not_boolean(self.fields[name], value)
                }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def unexpected_field_message(self, name: str) -> str:
        if name in ("status", "outcome"):
            return _("The status changes only through POST /api/v1/cases/{reference}/transitions/.")
        if name in CaseSerializer.Meta.fields:
            return _("This field cannot be set here. Fields you can set: %(fields)s.") % {
                "fields": ", ".join(self.fields)
            }
        return _("Unknown field. Fields you can set: %(fields)s.") % {
            "fields": ", ".join(self.fields)
        }


class CaseCreateSerializer(StrictInputSerializer):
    """A new case; it starts as a draft owned by you."""

    kind = ChoiceField(choices=CaseKind.choices)
    platform = ChoiceField(choices=Platform.choices)
    title = serializers.CharField(max_length=200)
    details = DetailsField()
    party_role = ChoiceField(
        choices=PartyRole.choices,
        required=False,
        help_text=gettext_lazy(
            "Defaults by kind: merchant for deposit_refund and store_removal, creator for "
            "account_ban and content_takedown, consumer for purchase_complaint."
        ),
    )
    platform_account = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    priority = ChoiceField(choices=Priority.choices, required=False)
    amount_claimed = _money()
    currency = _currency()
    platform_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CaseUpdateSerializer(StrictInputSerializer):
    """The fields you can edit; send only those you change."""

    platform = ChoiceField(choices=Platform.choices, required=False)
    platform_account = serializers.CharField(max_length=200, required=False, allow_blank=True)
    party_role = ChoiceField(choices=PartyRole.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    priority = ChoiceField(choices=Priority.choices, required=False)
    amount_claimed = _money()
    amount_recovered = _money()
    currency = _currency()
    platform_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    details = DetailsField(
        required=False,
        help_text=gettext_lazy("Replaces all the details; send every value you want to keep."),
    )


class TransitionSerializer(StrictInputSerializer):
    """A move to another status, with an optional note for the timeline."""

    to = ChoiceField(choices=Status.choices, help_text=gettext_lazy("The status to move to."))
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True)
    outcome = ChoiceField(
        choices=Outcome.choices,
        required=False,
        help_text=gettext_lazy("Required when moving to resolved; not allowed otherwise."),
    )
    amount_recovered = _money()
    decision_result = ChoiceField(
        choices=DecisionResult.choices,
        required=False,
        help_text=gettext_lazy(
            "What the platform decided. Required when moving to decided; not allowed otherwise."
        ),
    )
    decision_notified_at = serializers.DateTimeField(
        required=False,
        help_text=gettext_lazy(
            "When you were notified of the decision (moving to decided only). Default: when "
            "the decision received from the platform was logged as a contact, else now."
        ),
    )

    def unexpected_field_message(self, name: str) -> str:
        return _("Unknown field. Fields you can set: %(fields)s.") % {
            "fields": ", ".join(self.fields)
        }
