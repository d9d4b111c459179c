"""Evidence API: list, upload (multipart), read, edit, remove and download a case's evidence.

Thin like the case API: find the case or item through the access selectors (404 alike for
missing, not yours and, for a seller, removed), call one service, render. Files leave only
through `evidence_file_response`, the same response the web pages use.
"""

import datetime

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.api import ErrorSerializer
from cases.api.pagination import KeysetPagination
from cases.api.serializers import ChoiceField, StrictInputSerializer
from cases.api.views import ERRORS, REFERENCE, CaseAPIView
from cases.selectors import case_get_for
from config.errors import TooLargeError, UnsupportedMediaError
from evidence.choices import EvidenceKind
from evidence.files import ACCEPTED_LABELS
from evidence.http import evidence_file_response
from evidence.models import EvidenceItem
from evidence.selectors import evidence_for_case, evidence_get_for
from evidence.services import (
    DESCRIPTION_MAX_LENGTH,
    evidence_attach,
    evidence_remove,
    evidence_update,
)

# --- Output ------------------------------------------------------------------------------


def _absolute(request, name: str, item: EvidenceItem, reference: str) -> str:
    path = reverse(f"evidence-api:{name}", kwargs={"reference": reference, "evidence_id": item.pk})
    return request.build_absolute_uri(path)


class EvidenceSerializer(serializers.ModelSerializer):
    """Evidence JSON (DESIGN.md's operations contract). Needs `request` and `reference` in its
    context: links are built from the case the view already holds, not a query per item."""

    kind = ChoiceField(choices=EvidenceKind.choices, read_only=True)
    original_name = serializers.CharField(
        read_only=True, help_text=gettext_lazy("The uploaded name, made safe; downloads use it.")
    )
    content_type = serializers.CharField(
        read_only=True, help_text=gettext_lazy("Sniffed from the bytes, never taken from the name.")
    )
    size = serializers.IntegerField(read_only=True, help_text=gettext_lazy("In bytes."))
    sha256 = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("Hex SHA-256 of the bytes as uploaded; every download matches it."),
    )
    uploaded_by = serializers.CharField(
        source="uploaded_by.username", read_only=True, help_text=gettext_lazy("Username.")
    )
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The original bytes, as an attachment under the original name.")
    )
    thumbnail_url = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "A small JPEG of an image, or null: not an image, or not made yet (thumbnails are "
            "made in the background just after upload)."
        )
    )
    removed_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "When the item was taken off the case, or null. Only staff see removed items, so "
            "a seller always gets null."
        ),
    )
    removed_by = serializers.CharField(
        source="removed_by.username",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("Username of who removed it, or null (see removed_at)."),
    )

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "kind",
            "description",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "captured_on",
            "uploaded_at",
            "uploaded_by",
            "download_url",
            "thumbnail_url",
            "removed_at",
            "removed_by",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, item: EvidenceItem) -> str:
        return _absolute(self.context["request"], "evidence-file", item, self.context["reference"])

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, item: EvidenceItem) -> str | None:
        if not item.thumbnail_name:
            return None
        return _absolute(
            self.context["request"], "evidence-thumbnail", item, self.context["reference"]
        )


class UnsupportedTypeSerializer(ErrorSerializer):
    """415 body: why the upload was refused and what would have been accepted."""

    accepted = serializers.ListField(
        child=serializers.CharField(),
        help_text=gettext_lazy("What is accepted, e.g. PNG, PDF; or multipart/form-data."),
    )


# --- Input -------------------------------------------------------------------------------


def _description() -> serializers.CharField:
    return serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("What the file shows, e.g. “退店申请页面截图”."),
    )


class EvidenceInputSerializer(StrictInputSerializer):
    def unexpected_field_message(self, name: str) -> str:
        if name in EvidenceSerializer.Meta.fields:
            return _(
                "This cannot be changed: a file and what was recorded about it stay as "
                "uploaded. Fields you can set: %(fields)s."
            ) % {"fields": ", ".join(self.fields)}
        return _("Unknown field. Fields you can set: %(fields)s.") % {
            "fields": ", ".join(self.fields)
        }


class EvidenceUploadSerializer(EvidenceInputSerializer):
    """One file with what it is. Send it as multipart/form-data."""

    file = serializers.FileField(
        # The service refuses an empty file with a message of its own.
        allow_empty_file=True,
        help_text=format_lazy(
            gettext_lazy(
                "The file. Its type is sniffed from its content and must agree with its name. "
                "Accepted: {types}."
            ),
            types=ACCEPTED_LABELS,
        ),
    )
    kind = ChoiceField(choices=EvidenceKind.choices)
    description = _description()
    # Leave it out when unknown: an empty value is refused like any other that is not a date,
    # as the schema says.
    captured_on = serializers.DateField(
        required=False,
        help_text=gettext_lazy(
            "When the screenshot, recording or document was made (YYYY-MM-DD); leave it out "
            "when unknown."
        ),
    )

    def to_internal_value(self, data):
        # A form field sent empty would be skipped as if left out; the schema says a date.
        if hasattr(data, "get") and data.get("captured_on") == "":
            raise serializers.ValidationError(
                {"captured_on": [_("Enter a date (YYYY-MM-DD), or leave the field out.")]}
            )
        return super().to_internal_value(data)

    def validate_captured_on(self, value: datetime.date | None) -> datetime.date | None:
        # A day of slack: the client's today may already be tomorrow in Shanghai, or not yet.
        latest = timezone.localdate() + datetime.timedelta(days=1)
        if value is not None and not datetime.date(1990, 1, 1) <= value <= latest:
            raise serializers.ValidationError(_("Enter a date between 1990 and today."))
        return value


class EvidenceUpdateSerializer(EvidenceInputSerializer):
    """What the item is said to be; send only what you change. The file never changes."""

    kind = ChoiceField(choices=EvidenceKind.choices, required=False)
    description = _description()


class EvidenceRemoveSerializer(EvidenceInputSerializer):
    reason = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Why it is removed; shown in the timeline."),
    )


# --- Schema pieces -----------------------------------------------------------------------

EVIDENCE_ID = OpenApiParameter(
    "evidence_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description=gettext_lazy("The evidence item's id, from the list."),
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such case or item, not yours, or (for a seller) removed.",
)
TOO_LARGE = OpenApiResponse(
    ErrorSerializer,
    description="The file is over the per-file limit, or the case's evidence over its total.",
)
UNSUPPORTED = OpenApiResponse(
    UnsupportedTypeSerializer,
    description=(
        "The file's content is not a type Recourse keeps, or does not agree with its name; "
        "or the request is not multipart/form-data. `accepted` says what is."
    ),
)
UPLOAD_EXAMPLE = OpenApiExample(
    "Screenshot of the exit application",
    request_only=True,
    media_type="multipart/form-data",
    value={"kind": "screenshot", "description": "退店申请页面截图", "captured_on": "2026-08-01"},
)


def _errors(*codes: int) -> dict:
    ours = {404: NOT_FOUND, 413: TOO_LARGE, 415: UNSUPPORTED}
    return {code: ours.get(code) or ERRORS[code] for code in codes}


def _binary(media_type: str, description: str) -> dict:
    return {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


DOWNLOAD_HEADERS = [
    OpenApiParameter(
        name,
        str,
        OpenApiParameter.HEADER,
        description=description,
        response=[200],
    )
    for name, description in (
        ("Content-Disposition", gettext_lazy("attachment, with the original name (RFC 5987).")),
        ("ETag", gettext_lazy("The SHA-256 in quotes.")),
        ("Repr-Digest", gettext_lazy("sha-256=:<base64>: (RFC 9530), to check the download.")),
    )
]

# Bytes up to this much over the file limit are the multipart envelope: the other fields
# (a description of at most 500 characters) and the part headers.
MULTIPART_ENVELOPE = 1024 * 1024


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


class EvidenceAPIView(CaseAPIView):
    def serializer_context(self, reference: str) -> dict:
        return {"request": self.request, "reference": reference}


class DownloadView(EvidenceAPIView):
    # A download is whatever type the file is. Errors still answer in JSON, whatever the
    # client's Accept header says (an `Accept: image/*` must not turn a 404 into a 406).

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


# --- Views -------------------------------------------------------------------------------


class EvidenceListView(EvidenceAPIView):
    # Uploads are multipart only: a file in JSON would have to be held in memory whole.
    parser_classes = [MultiPartParser]
    serializer_class = EvidenceSerializer
    pagination_class = KeysetPagination

    def allowed_query_params(self) -> list[str]:
        return ["cursor", "page_size"] if self.request.method == "GET" else []

    @extend_schema(
        operation_id="evidence_list",
        summary=gettext_lazy("List a case's evidence"),
        description=gettext_lazy(
            "Oldest first. Sellers see the current items; staff also see removed ones, with "
            "`removed_at` and `removed_by` set."
        ),
        parameters=[REFERENCE],
        responses={200: EvidenceSerializer(many=True), **_errors(400, 401, 404, 429)},
        tags=["evidence"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        page = self.paginate_queryset(evidence_for_case(actor=request.user, case=case))
        data = EvidenceSerializer(page, many=True, context=self.serializer_context(reference))
        return self.get_paginated_response(data.data)

    @extend_schema(
        operation_id="evidence_create",
        summary=gettext_lazy("Upload evidence"),
        description=gettext_lazy(
            "One file per request, as multipart/form-data. The bytes are kept exactly as sent "
            "and hashed (SHA-256). The type is decided by the content, not the name, and the "
            "name must agree with it. Per file at most EVIDENCE_MAX_FILE_SIZE (50 MB by "
            "default); per case at most 200 current files and 2 GB."
        ),
        parameters=[REFERENCE],
        request={"multipart/form-data": EvidenceUploadSerializer},
        examples=[UPLOAD_EXAMPLE],
        responses={
            201: EvidenceSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="The case holds as many files as it may; remove some first.",
            ),
            **_errors(400, 401, 404, 413, 415, 429),
        },
        tags=["evidence"],
    )
    def post(self, request, reference):
        """Steps:
        1. Find the case (404 before anything about the request is judged).
        2. Refuse what is not multipart/form-data, and a body surely over the file limit
           before reading it.
        3. Validate the fields; the service sniffs, checks, stores and hashes the file.
        """
        case = case_get_for(actor=request.user, reference=reference)
        if request.content_type.split(";")[0].strip().lower() != "multipart/form-data":
            raise UnsupportedMediaError(
                _(
                    "Upload evidence as multipart/form-data with the fields file, kind and "
                    "description."
                ),
                code="unsupported_media_type",
                accepted=["multipart/form-data"],
            )
        self._refuse_oversized_body(request)
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = evidence_attach(
            actor=request.user,
            case=case,
            upload=data.validated_data["file"],
            kind=data.validated_data["kind"],
            description=data.validated_data.get("description", ""),
            captured_on=data.validated_data.get("captured_on"),
        )
        body = EvidenceSerializer(item, context=self.serializer_context(reference)).data
        location = _absolute(request, "evidence-detail", item, reference)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @staticmethod
    def _refuse_oversized_body(request) -> None:
        # Django would stream the whole body to a temporary file before the service could
        # refuse it; a Content-Length already over the limit is answered without reading.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.EVIDENCE_MAX_FILE_SIZE
        if length > limit + MULTIPART_ENVELOPE:
            raise TooLargeError(
                _("This upload is %(size)s; a file may be at most %(max)s.")
                % {"size": _mb(length), "max": _mb(limit)},
                code="file_too_large",
                field="file",
            )


class EvidenceDetailView(EvidenceAPIView):
    serializer_class = EvidenceSerializer

    def allowed_query_params(self) -> list[str]:
        return ["reason"] if self.request.method == "DELETE" else []

    def _item(self, reference, evidence_id) -> EvidenceItem:
        return evidence_get_for(
            actor=self.request.user, reference=reference, evidence_id=evidence_id
        )

    def _render(self, item: EvidenceItem, reference: str) -> Response:
        return Response(EvidenceSerializer(item, context=self.serializer_context(reference)).data)

    @extend_schema(
        operation_id="evidence_retrieve",
        summary=gettext_lazy("Read an evidence item"),
        parameters=[REFERENCE, EVIDENCE_ID],
        responses={200: EvidenceSerializer, **_errors(401, 404, 429)},
        tags=["evidence"],
    )
    def get(self, request, reference, evidence_id):
        return self._render(self._item(reference, evidence_id), reference)

    @extend_schema(
        operation_id="evidence_partial_update",
        summary=gettext_lazy("Edit what an item is said to be"),
        description=gettext_lazy(
            "Changes the kind or description and records the old and new values in the "
            "timeline. The file, its name and its hash never change."
        ),
        parameters=[REFERENCE, EVIDENCE_ID],
        request=EvidenceUpdateSerializer,
        responses={
            200: EvidenceSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The item was removed."),
            **_errors(400, 401, 404, 429),
        },
        tags=["evidence"],
    )
    def patch(self, request, reference, evidence_id):
        item = self._item(reference, evidence_id)
        data = EvidenceUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._render(
            evidence_update(actor=request.user, item=item, **data.validated_data), reference
        )

    @extend_schema(
        operation_id="evidence_destroy",
        summary=gettext_lazy("Remove an evidence item"),
        description=gettext_lazy(
            "Takes the item off the case and records it in the timeline. The file is kept "
            "and staff still see it. Give a reason in the `reason` query parameter or a JSON "
            'body `{"reason": "..."}`.'
        ),
        parameters=[
            REFERENCE,
            EVIDENCE_ID,
            OpenApiParameter(
                "reason",
                str,
                OpenApiParameter.QUERY,
                description=gettext_lazy("Why it is removed; shown in the timeline."),
            ),
        ],
        request=EvidenceRemoveSerializer,
        responses={
            204: OpenApiResponse(description="Removed."),
            409: OpenApiResponse(
                ErrorSerializer, description="Already removed (only staff still see it)."
            ),
            **_errors(400, 401, 404, 429),
        },
        tags=["evidence"],
    )
    def delete(self, request, reference, evidence_id):
        item = self._item(reference, evidence_id)
        body = request.data
        if "reason" in request.query_params and isinstance(body, dict):
            body = {**body, "reason": request.query_params["reason"]}
        data = EvidenceRemoveSerializer(data=body)
        data.is_valid(raise_exception=True)
        evidence_remove(actor=request.user, item=item, reason=data.validated_data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceFileView(DownloadView):
    @extend_schema(
        operation_id="evidence_file",
        summary=gettext_lazy("Download the file"),
        description=gettext_lazy(
            "The original bytes as an attachment under the original (safe) name, with the "
            "sniffed content type, `ETag` the SHA-256 and `Repr-Digest` (RFC 9530) so the "
            "download can be checked."
        ),
        parameters=[REFERENCE, EVIDENCE_ID, *DOWNLOAD_HEADERS],
        responses={
            **_binary("*/*", "The file, in its own content type."),
            **_errors(401, 404, 429),
        },
        tags=["evidence"],
    )
    def get(self, request, reference, evidence_id):
        item = evidence_get_for(actor=request.user, reference=reference, evidence_id=evidence_id)
        return evidence_file_response(item)


class EvidenceThumbnailView(DownloadView):
    @extend_schema(
        operation_id="evidence_thumbnail",
        summary=gettext_lazy("Download an image's thumbnail"),
        description=gettext_lazy(
            "A small JPEG. 404 when the item is not an image or its thumbnail is not made yet."
        ),
        parameters=[REFERENCE, EVIDENCE_ID],
        responses={**_binary("image/jpeg", "The thumbnail."), **_errors(401, 404, 429)},
        tags=["evidence"],
    )
    def get(self, request, reference, evidence_id):
        item = evidence_get_for(actor=request.user, reference=reference, evidence_id=evidence_id)
        if not item.thumbnail_name:
            raise Http404("No thumbnail.")
        return evidence_file_response(item, thumbnail=True)


class EvidenceFileSlashView(EvidenceFileView):
    # DESIGN.md's path has no trailing slash; this one forgives it and stays out of the schema.
    schema = None


class EvidenceThumbnailSlashView(EvidenceThumbnailView):
    schema = None
