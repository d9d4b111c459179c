"""Contacts and external bodies API: log, list, read and correct a case's contacts; read the
directory of external bodies.

Thin like the case and evidence APIs: find the case or contact through the access selectors
(404 alike for missing and not yours), call one service, render. Every rule about what a contact
may say (no future times, known bodies, the routes open to the case's party) lives in
`channels.services`; the serializers here check only types and sizes.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.api import ErrorSerializer
from cases.api.pagination import KeysetPagination, WholeListPagination
from cases.api.serializers import ChoiceField, OptionalChoiceField, StrictInputSerializer
from cases.api.views import ERRORS, REFERENCE, CaseAPIView
from cases.choices import FilingType, Platform, Status
from cases.selectors import case_get_for
from channels.choices import BodyKind, Channel, Direction
from channels.models import ChannelEntry, ExternalBody
from channels.selectors import bodies, body_get, contact_get_for, contacts_for_case
from channels.services import (
    COUNTERPART_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    contact_correct,
    contact_log,
)
from config.errors import DomainError

# The offsets in use anywhere in the world run from UTC-12:00 to UTC+14:00. Python accepts up
# to ±23:59 and PostgreSQL refuses beyond ±15:59, so anything outside is refused here, and
# what passes is turned into UTC before it reaches the service.
EARLIEST_OFFSET = datetime.timedelta(hours=-12)
LATEST_OFFSET = datetime.timedelta(hours=14)
# A case holds at most 200 current evidence items; a contact cannot link more.
EVIDENCE_MAX_LINKS = 200

# --- Output ------------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    """Contact JSON (DESIGN.md's operations contract), with who logged it and when."""

    channel = ChoiceField(choices=Channel.choices, read_only=True)
    direction = ChoiceField(
        choices=Direction.choices,
        read_only=True,
        help_text=gettext_lazy("outbound: you contacted them; inbound: they contacted you."),
    )
    body = serializers.CharField(
        source="body.slug",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Slug of the external body (see /api/v1/bodies/), or null."),
    )
    filing_type = ChoiceField(choices=FilingType.choices, read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "Ids of the case's evidence items linked to this contact. An item removed from "
            "the case since stays listed; only staff can still open it."
        ),
    )
    logged_by = serializers.CharField(
        source="logged_by.username", read_only=True, help_text=gettext_lazy("Username.")
    )
    corrected_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "When the contact was last corrected, or null. The case's events keep the old and "
            "new values."
        ),
    )

    class Meta:
        model = ChannelEntry
        fields = [
            "id",
            "channel",
            "direction",
            "occurred_at",
            "counterpart",
            "body",
            "filing_type",
            "external_reference",
            "summary",
            "follow_up_on",
            "evidence",
            "logged_by",
            "logged_at",
            "corrected_at",
        ]
        read_only_fields = fields


class LoggedContactSerializer(ContactSerializer):
    """The contact just logged, with the status it suggests for the case."""

    suggested_status = OptionalChoiceField(
        choices=Status.choices,
        read_only=True,
        help_text=gettext_lazy(
            "The status this contact suggests for the case (e.g. decided after a "
            "decision_received), or null. The case's status is not changed: if you agree, "
            "POST it to /api/v1/cases/{reference}/transitions/."
        ),
    )

    class Meta(ContactSerializer.Meta):
        fields = [*ContactSerializer.Meta.fields, "suggested_status"]
        read_only_fields = fields


class BlankAsNullURLField(serializers.URLField):
    def to_representation(self, value):
        return value or None


class BlankAsNullCharField(serializers.CharField):
    def to_representation(self, value):
        return value or None


class BodySerializer(serializers.ModelSerializer):
    """An entry of the directory. The texts follow the request's language (Accept-Language:
    zh-hans by default, or en); the name comes in both as well."""

    kind = ChoiceField(choices=BodyKind.choices, read_only=True)
    platform = OptionalChoiceField(
        choices=Platform.choices,
        read_only=True,
        help_text=gettext_lazy("The platform whose own desk this is, or null."),
    )
    name = serializers.CharField(source="display_name", read_only=True)
    name_en = serializers.CharField(source="name", read_only=True)
    name_zh = serializers.CharField(read_only=True)
    how_to_file = serializers.CharField(source="display_how_to_file", read_only=True)
    reference_hint = serializers.CharField(
        source="display_reference_hint",
        read_only=True,
        help_text=gettext_lazy("The reference number filing here gives back."),
    )
    clock = serializers.CharField(
        source="display_clock",
        read_only=True,
        help_text=gettext_lazy("The statutory clock that filing here starts."),
    )
    rule_keys = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=gettext_lazy(
            "Deadline rules filing here starts, e.g. samr.accept_decision (docs/deadline-rules.md)."
        ),
    )
    consumer_only_filings = serializers.ListField(
        child=ChoiceField(choices=FilingType.choices),
        read_only=True,
        help_text=gettext_lazy(
            "Filing types only a consumer may use here: on a merchant's or creator's case a "
            "contact of such a type with this body is refused."
        ),
    )
    url = BlankAsNullURLField(read_only=True, allow_null=True)
    phone = BlankAsNullCharField(read_only=True, allow_null=True)
    source = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Where the procedure and its clock come from.")
    )

    class Meta:
        model = ExternalBody
        fields = [
            "slug",
            "kind",
            "platform",
            "name",
            "name_en",
            "name_zh",
            "how_to_file",
            "reference_hint",
            "clock",
            "rule_keys",
            "consumer_only_filings",
            "url",
            "phone",
            "source",
        ]
        read_only_fields = fields


# --- Input -------------------------------------------------------------------------------


class InstantField(serializers.DateTimeField):
    """An ISO 8601 date and time with its UTC offset, handed on in UTC."""

    default_error_messages = {
        "naive": gettext_lazy(
            "Include the UTC offset, e.g. 2026-10-22T14:30:00+08:00 for Beijing time."
        ),
        "offset": gettext_lazy("Enter a UTC offset between -12:00 and +14:00, e.g. +08:00."),
    }

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        if not EARLIEST_OFFSET <= value.utcoffset() <= LATEST_OFFSET:
            self.fail("offset")
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            self.fail("overflow")


class EvidenceIdsField(serializers.ListField):
    """A list of evidence ids, with one readable message for a malformed one (a ListField
    would nest its errors by position)."""

    child = serializers.UUIDField()

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError:
            raise serializers.ValidationError(
                _("Give evidence items by their ids (UUIDs) from the case's evidence list."),
                code="invalid",
            ) from None


class ContactInputSerializer(StrictInputSerializer):
    """A contact as a client sends it. POST needs channel, direction, occurred_at,
    filing_type and summary; PATCH takes any of the fields, and only those it changes."""

    channel = ChoiceField(choices=Channel.choices)
    direction = ChoiceField(
        choices=Direction.choices,
        help_text=gettext_lazy("outbound: you contacted them; inbound: they contacted you."),
    )
    occurred_at = InstantField(
        help_text=gettext_lazy(
            "When it happened, ISO 8601 with the UTC offset (e.g. 2026-10-22T14:30:00+08:00). "
            "May be in the past, not in the future. Required when logging: the API does not "
            "assume now."
        )
    )
    counterpart = serializers.CharField(
        max_length=COUNTERPART_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "Who you dealt with, e.g. “抖店客服”; defaults to the body's name when a body is given."
        ),
    )
    body = serializers.CharField(
        max_length=ExternalBody._meta.get_field("slug").max_length,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=gettext_lazy("Slug of the external body from /api/v1/bodies/, e.g. 12315."),
    )
    filing_type = ChoiceField(choices=FilingType.choices)
    external_reference = serializers.CharField(
        max_length=REFERENCE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The ticket, complaint or case number the contact produced."),
    )
    summary = serializers.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        help_text=gettext_lazy("What was said or agreed."),
        error_messages={
            "blank": gettext_lazy("Write what was said or agreed."),
            "required": gettext_lazy("Write what was said or agreed."),
        },
    )
    follow_up_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("When to chase if nothing comes back (YYYY-MM-DD), or null."),
    )
    evidence = EvidenceIdsField(
        required=False,
        max_length=EVIDENCE_MAX_LINKS,
        help_text=gettext_lazy(
            "Ids of evidence items on this case to link; on a correction, the whole new list."
        ),
    )

    def unexpected_field_message(self, name: str) -> str:
        fields = ", ".join(self.fields)
        if name in ("status", "suggested_status"):
            return _(
                "Logging a contact never changes the case's status. To move the case, POST "
                "to /api/v1/cases/{reference}/transitions/."
            )
        if name in LoggedContactSerializer.Meta.fields:
            return _("Recourse sets this field. Fields you can send: %(fields)s.") % {
                "fields": fields
            }
        return _("Unknown field. Fields you can send: %(fields)s.") % {"fields": fields}


# --- Schema pieces -----------------------------------------------------------------------

CONTACT_ID = OpenApiParameter(
    "contact_id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=gettext_lazy("The contact's id, from the list."),
)
BODY_SLUG = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("The body's slug, e.g. 12315."),
    pattern=r"^[-a-zA-Z0-9_]+$",
)
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy("zh-hans (the default) or en: the language of the texts."),
)
CHANNEL_FILTER = OpenApiParameter(
    "channel",
    str,
    OpenApiParameter.QUERY,
    enum=Channel.values,
    many=True,
    explode=True,
    description=gettext_lazy("Only contacts through this channel; repeat it to match any."),
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such case or contact, or not yours.")
LOG_EXAMPLE = OpenApiExample(
    "Phone call to Douyin shop customer service",
    request_only=True,
    value={
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": "2026-10-22T14:30:00+08:00",
        "counterpart": "抖店客服",
        "body": "douyin_shop",
        "filing_type": "inquiry",
        "external_reference": "GD2026102200117",
        "summary": "客服称保证金退还已转财务审核，3 个工作日内回复。",
        "follow_up_on": "2026-10-27",
    },
)
DECISION_EXAMPLE = OpenApiExample(
    "Decision received",
    request_only=True,
    value={
        "channel": "in_app",
        "direction": "inbound",
        "occurred_at": "2026-11-03T09:12:00+08:00",
        "filing_type": "decision_received",
        "summary": "平台驳回申诉，称违规成立。",
    },
)
CORRECT_EXAMPLE = OpenApiExample(
    "Fix a reference number",
    request_only=True,
    value={"external_reference": "GD2026102200118"},
)


def _errors(*codes: int) -> dict:
    return {code: NOT_FOUND if code == 404 else ERRORS[code] for code in codes}


class NeverDeletedError(DomainError):
    status = status.HTTP_405_METHOD_NOT_ALLOWED


def _contact_url(request, reference: str, entry: ChannelEntry) -> str:
    path = reverse(
        "channels-api:contact-detail", kwargs={"reference": reference, "contact_id": entry.pk}
    )
    return request.build_absolute_uri(path)


def _channels(request) -> list[str]:
    """The `channel` filter's values; empty values mean no filter."""
    values = [value for value in request.query_params.getlist("channel") if value]
    for value in values:
        if value not in Channel.values:
            raise DomainError(
                _("“%(input)s” is not a valid channel. Choose one of: %(allowed)s.")
                % {"input": value[:100], "allowed": ", ".join(Channel.values)},
                field="channel",
            )
    return values


# --- Contacts ----------------------------------------------------------------------------


class ContactListView(CaseAPIView):
    serializer_class = ContactSerializer
    pagination_class = KeysetPagination

    def allowed_query_params(self) -> list[str]:
        return ["channel", "cursor", "page_size"] if self.request.method == "GET" else []

    @extend_schema(
        operation_id="contacts_list",
        summary=gettext_lazy("List a case's contacts"),
        description=gettext_lazy(
            "Every contact with a platform or external body, newest first (by when it "
            "happened). Corrected contacts show their current values and `corrected_at`."
        ),
        parameters=[REFERENCE, CHANNEL_FILTER],
        responses={200: ContactSerializer(many=True), **_errors(400, 401, 404, 429)},
        tags=["contacts"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        contacts = contacts_for_case(case=case)
        channels = _channels(request)
        if channels:
            contacts = contacts.filter(channel__in=channels)
        page = self.paginate_queryset(contacts)
        return self.get_paginated_response(ContactSerializer(page, many=True).data)

    @extend_schema(
        operation_id="contacts_create",
        summary=gettext_lazy("Log a contact"),
        description=gettext_lazy(
            "Records one contact on the case and its timeline. `occurred_at` is required and "
            "may be in the past but not in the future. A filing that only a consumer may make "
            "(e.g. a complaint to 12315) is refused on a merchant's or creator's case with "
            "code `route_not_open` and what to do instead. Logging never changes the case's "
            "status: when the contact suggests one (a decision received → decided), "
            "`suggested_status` says so, and you POST the transition yourself if you agree."
        ),
        parameters=[REFERENCE],
        request=ContactInputSerializer,
        examples=[LOG_EXAMPLE, DECISION_EXAMPLE],
        responses={201: LoggedContactSerializer, **_errors(400, 401, 404, 429)},
        tags=["contacts"],
    )
    def post(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        data = ContactInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        logged = contact_log(actor=request.user, case=case, **data.validated_data)
        entry = contacts_for_case(case=case).get(pk=logged.entry.pk)
        entry.suggested_status = logged.suggested_status
        return Response(
            LoggedContactSerializer(entry).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": _contact_url(request, reference, entry)},
        )


class ContactDetailView(CaseAPIView):
    serializer_class = ContactSerializer

    def _entry(self, reference, contact_id) -> ChannelEntry:
        return contact_get_for(actor=self.request.user, reference=reference, contact_id=contact_id)

    def http_method_not_allowed(self, request, *args, **kwargs):
        if request.method == "DELETE":
            raise NeverDeletedError(
                _(
                    "Contacts are never deleted: they are part of the case's record. To fix "
                    "a mistake, correct the contact with PATCH; the timeline keeps the old "
                    "and new values."
                ),
                code="method_not_allowed",
            )
        return super().http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(
        operation_id="contacts_retrieve",
        summary=gettext_lazy("Read a contact"),
        description=gettext_lazy(
            "Contacts are never deleted; a DELETE answers 405. Correct one with PATCH."
        ),
        parameters=[REFERENCE, CONTACT_ID],
        responses={200: ContactSerializer, **_errors(401, 404, 429)},
        tags=["contacts"],
    )
    def get(self, request, reference, contact_id):
        return Response(ContactSerializer(self._entry(reference, contact_id)).data)

    @extend_schema(
        operation_id="contacts_partial_update",
        summary=gettext_lazy("Correct a contact"),
        description=gettext_lazy(
            "Changes the fields you send, under the same rules as logging, and records one "
            "event with the old and new values; `corrected_at` is set. A correction that "
            "changes nothing records nothing. `evidence` replaces the whole list of links."
        ),
        parameters=[REFERENCE, CONTACT_ID],
        request=ContactInputSerializer,
        examples=[CORRECT_EXAMPLE],
        responses={200: ContactSerializer, **_errors(400, 401, 404, 429)},
        tags=["contacts"],
    )
    def patch(self, request, reference, contact_id):
        entry = self._entry(reference, contact_id)
        data = ContactInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contact_correct(actor=request.user, entry=entry, **data.validated_data)
        return Response(ContactSerializer(self._entry(reference, contact_id)).data)


# --- Bodies ------------------------------------------------------------------------------


class BodyListView(CaseAPIView):
    serializer_class = BodySerializer
    pagination_class = WholeListPagination

    def allowed_query_params(self) -> list[str]:
        return ["cursor", "page_size"]

    @extend_schema(
        operation_id="bodies_list",
        summary=gettext_lazy("The directory of external bodies"),
        description=gettext_lazy(
            "Where a seller can file: platforms' own desks, 12315 and other regulators, "
            "hotlines, arbitration, the internet courts, legal aid — each with how to file, "
            "the reference it gives back and the clock filing starts. Texts in the language "
            "of Accept-Language. Use `slug` as a contact's `body`."
        ),
        parameters=[ACCEPT_LANGUAGE],
        responses={200: BodySerializer(many=True), **_errors(400, 401, 429)},
        tags=["bodies"],
    )
    def get(self, request):
        page = self.paginate_queryset(bodies().order_by("sort_order", "slug", "id"))
        return self.get_paginated_response(BodySerializer(page, many=True).data)


class BodyDetailView(CaseAPIView):
    serializer_class = BodySerializer

    @extend_schema(
        operation_id="bodies_retrieve",
        summary=gettext_lazy("One external body"),
        parameters=[BODY_SLUG, ACCEPT_LANGUAGE],
        responses={
            200: BodySerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such body."),
            **{code: ERRORS[code] for code in (401, 429)},
        },
        tags=["bodies"],
    )
    def get(self, request, slug):
        return Response(BodySerializer(body_get(slug=slug)).data)
