"""Case API views: parse, find the case through the access selector, call one service, render.

Another seller's case answers 404 on every URL (the selector raises the same 404 for missing
and not yours), so a case's existence never leaks.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.api import ErrorSerializer
from cases.api.filters import AllowListOrdering, CaseFilter, CaseFilterBackend
from cases.api.pagination import KeysetPagination
from cases.api.serializers import (
    CaseCreateSerializer,
    CaseEventSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    TransitionConflictSerializer,
    TransitionSerializer,
    case_url,
    for_case_list,
)
from cases.selectors import case_get_for, case_timeline, cases_visible_to
from cases.services import case_create, case_transition, case_update
from config.api_parsing import JSONParser
from config.errors import DomainError

# --- Shared pieces -----------------------------------------------------------------------


class CaseAPIView(GenericAPIView):
    # JSON in, JSON out: people read the API in Swagger UI at /api/docs/, so DRF's browsable
    # HTML pages are not offered. Unknown query parameters are a 400 naming the known ones: a
    # misspelt filter must not quietly return the unfiltered list.

    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    # Parameters every endpoint accepts: DRF's format override.
    always_allowed = frozenset({"format"})
    # Parameters whose empty value means something: no cursor is the first page; an empty
    # search or name matches as text does.
    may_be_empty = frozenset({"cursor", "search", "assignee", "reason"})

    def allowed_query_params(self) -> list[str]:
        return []

    def check_audience(self, request) -> None:
        """Who may use this endpoint at all, checked before its input is (a 404 for the wrong
        caller must not turn into a 400 that tells them more). A method the endpoint does not
        have is a 405 even so: which methods it has is in the public schema."""

    def initial(self, request, *args, **kwargs):
        # Authentication and permissions first: an anonymous caller gets 401, not this 400.
        super().initial(request, *args, **kwargs)
        # A method the endpoint does not have is a 405 for everyone, before the audience's
        # 404 (a seller asking TRACE of a staff endpoint learns only what the schema says).
        if not hasattr(self, request.method.lower()):
            self.http_method_not_allowed(request, *args, **kwargs)
        self.check_audience(request)
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - set(allowed) - self.always_allowed)
        # Given but empty (?status=, ?assigned=): not a value the schema allows; leave the
        # parameter out instead. A cursor and free text may be empty.
        empty = sorted(
            name
            for name, value in request.query_params.lists()
            if name in allowed and name not in self.may_be_empty and "" in value
        )
        if unknown:
            message = _("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)}
            if allowed:
                message += " " + _("Allowed: %(names)s.") % {"names": ", ".join(allowed)}
            else:
                message += " " + _("This endpoint takes none.")
            raise DomainError(message, code="unknown_parameter", field=unknown[0])
        if empty:
            raise DomainError(
                _("%(name)s is empty: give it a value, or leave it out.") % {"name": empty[0]},
                code="empty_parameter",
                field=empty[0],
            )


def _etag(body: dict) -> str:
    """A strong validator: the hash of the representation the client would receive."""
    payload = json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f'"{hashlib.sha256(payload.encode()).hexdigest()[:32]}"'


def _strip_weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def _case_response(request, case, *, status_code=status.HTTP_200_OK, headers=None) -> Response:
    body = CaseSerializer(case, context={"request": request}).data
    return Response(body, status=status_code, headers={"ETag": _etag(body), **(headers or {})})


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `errors` names the fields."),
    401: OpenApiResponse(ErrorSerializer, description="Not signed in, or the token is invalid."),
    404: OpenApiResponse(ErrorSerializer, description="No such case, or not yours."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
REFERENCE = OpenApiParameter(
    "reference",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("The case reference, e.g. RC-2026-000042."),
    pattern=r"^RC-[0-9]{4}-[0-9]{6,}$",
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy("Version of the case; send it back in If-None-Match or If-Match."),
    response=[200, 201, 304],
)


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


CREATE_EXAMPLE = OpenApiExample(
    "Deposit not refunded",
    request_only=True,
    value={
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "退店后保证金 2000 元 60 天未退",
        "details": {
            "store_id": "DS-88231",
            "deposit_amount": "2000.00",
            "exit_applied_on": "2026-08-01",
            "store_closed_on": "2026-08-20",
        },
        "platform_account": "抖店-8823",
        "amount_claimed": "2000.00",
        "priority": "urgent",
    },
)
UPDATE_EXAMPLE = OpenApiExample(
    "Ticket number and amount",
    request_only=True,
    value={"platform_reference": "TK-20261012-0042", "amount_claimed": "2000.00"},
)
TRANSITION_EXAMPLE = OpenApiExample(
    "Filed with the platform",
    request_only=True,
    value={"to": "filed", "note": "已在抖店后台提交保证金退还申请，工单号 TK-20261012-0042。"},
)
DECIDED_EXAMPLE = OpenApiExample(
    "Decided: the platform rejected the appeal",
    request_only=True,
    value={
        "to": "decided",
        "decision_result": "rejected",
        "decision_notified_at": "2026-10-20T09:30:00+08:00",
    },
)
RESOLVE_EXAMPLE = OpenApiExample(
    "Resolved, partly won",
    request_only=True,
    value={"to": "resolved", "outcome": "partly_won", "amount_recovered": "1500.00"},
)


# --- Cases -------------------------------------------------------------------------------


class CaseListView(CaseAPIView):
    serializer_class = CaseSerializer
    filter_backends = [CaseFilterBackend, AllowListOrdering]
    filterset_class = CaseFilter
    pagination_class = KeysetPagination
    ordering_fields = ("updated_at", "created_at", "priority", "status", "kind", "reference")
    ordering = ("-updated_at",)

    def get_queryset(self):
        return for_case_list(cases_visible_to(self.request.user))

    def allowed_query_params(self) -> list[str]:
        if self.request.method != "GET":
            return []
        return [*CaseFilter.base_filters, "ordering", "cursor", "page_size"]

    @extend_schema(
        operation_id="cases_list",
        summary=gettext_lazy("List cases"),
        description=gettext_lazy(
            "Cases you can see (staff: all), most recently changed first unless `ordering` "
            "says otherwise. Repeat a filter to match any of its values "
            "(`?status=filed&status=in_review`). Unknown parameters and ordering keys are "
            "refused with 400. To sync, ask for `updated_since` your last sync time with "
            "`ordering=updated_at` and follow the `next` links: a case changed while you page "
            "moves to the end, so it is seen again rather than missed."
        ),
        responses={200: CaseSerializer(many=True), **_errors(400, 401, 429)},
        tags=["cases"],
    )
    def get(self, request):
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary=gettext_lazy("File a case"),
        description=gettext_lazy(
            "Creates a draft case owned by you. `details` are checked against the kind."
        ),
        request=CaseCreateSerializer,
        examples=[CREATE_EXAMPLE],
        responses={201: CaseSerializer, **_errors(400, 401, 429)},
        parameters=[ETAG_HEADER],
        tags=["cases"],
    )
    def post(self, request):
        data = CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_create(actor=request.user, **data.validated_data)
        return _case_response(
            request,
            case,
            status_code=status.HTTP_201_CREATED,
            headers={"Location": case_url(request, case)},
        )


class CaseDetailView(CaseAPIView):
    serializer_class = CaseSerializer

    @extend_schema(
        operation_id="cases_retrieve",
        summary=gettext_lazy("Read a case"),
        description=gettext_lazy(
            "The case with its ETag. Send the ETag back in If-None-Match to get 304 when "
            "nothing changed."
        ),
        parameters=[
            REFERENCE,
            ETAG_HEADER,
            OpenApiParameter(
                "If-None-Match",
                str,
                OpenApiParameter.HEADER,
                description=gettext_lazy("An ETag you hold; 304 when the case is unchanged."),
            ),
        ],
        responses={
            200: CaseSerializer,
            304: OpenApiResponse(description="Unchanged since the ETag you sent; no body."),
            **_errors(401, 404, 429),
        },
        tags=["cases"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        response = _case_response(request, case)
        tags = parse_etags(request.headers.get("If-None-Match", ""))
        # If-None-Match uses the weak comparison (RFC 9110 13.1.2).
        if "*" in tags or response["ETag"] in map(_strip_weak, tags):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": response["ETag"]})
        return response

    @extend_schema(
        operation_id="cases_partial_update",
        summary=gettext_lazy("Edit a case"),
        description=gettext_lazy(
            "Changes the fields you send and records one event with the old and new values. "
            "The status changes only through transitions."
        ),
        parameters=[
            REFERENCE,
            ETAG_HEADER,
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                description=gettext_lazy(
                    "The ETag you read; 412 if the case changed since, so no edit is lost."
                ),
            ),
        ],
        request=CaseUpdateSerializer,
        examples=[UPDATE_EXAMPLE],
        responses={
            200: CaseSerializer,
            412: OpenApiResponse(ErrorSerializer, description="The case changed since your read."),
            **_errors(400, 401, 404, 429),
        },
        tags=["cases"],
    )
    def patch(self, request, reference):
        with transaction.atomic():
            # Locked, so the If-Match comparison still holds when the edit is written.
            case = case_get_for(actor=request.user, reference=reference, for_update=True)
            data = CaseUpdateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            expected = request.headers.get("If-Match")
            if expected is not None:
                current = _case_response(request, case)["ETag"]
                tags = parse_etags(expected)
                # If-Match uses the strong comparison: a weak tag never matches.
                if "*" not in tags and current not in tags:
                    return Response(
                        {
                            "detail": _(
                                "The case changed since you read it. Read it again and "
                                "reapply your edit."
                            ),
                            "code": "precondition_failed",
                        },
                        status=status.HTTP_412_PRECONDITION_FAILED,
                        headers={"ETag": current},
                    )
            case_update(actor=request.user, case=case, **data.validated_data)
        return _case_response(request, case_get_for(actor=request.user, reference=reference))


class CaseTransitionView(CaseAPIView):
    serializer_class = TransitionSerializer

    @extend_schema(
        operation_id="cases_transition",
        summary=gettext_lazy("Move a case to another status"),
        description=gettext_lazy(
            "Follows the lifecycle table. A move the table does not allow answers 409 with "
            "the statuses the case can move to in `allowed`. Moving to `decided` records the "
            "platform's decision (`decision_result`) and when you were notified of it: the "
            "appeal window runs against a rejection or partial grant, the refund clock "
            "against a grant, both from the notification."
        ),
        parameters=[REFERENCE, ETAG_HEADER],
        request=TransitionSerializer,
        examples=[TRANSITION_EXAMPLE, DECIDED_EXAMPLE, RESOLVE_EXAMPLE],
        responses={
            200: CaseSerializer,
            409: OpenApiResponse(
                TransitionConflictSerializer,
                description="Not allowed from this status; `allowed` lists the possible moves.",
            ),
            **_errors(400, 401, 404, 429),
        },
        tags=["cases"],
    )
    def post(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case_transition(actor=request.user, case=case, **data.validated_data)
        return _case_response(request, case_get_for(actor=request.user, reference=reference))


class CaseEventListView(CaseAPIView):
    serializer_class = CaseEventSerializer
    pagination_class = KeysetPagination

    def allowed_query_params(self) -> list[str]:
        return ["cursor", "page_size"]

    @extend_schema(
        operation_id="cases_events_list",
        summary=gettext_lazy("A case's timeline"),
        description=gettext_lazy(
            "Every event on the case, oldest first. Staff's internal notes are listed only "
            "to support staff."
        ),
        parameters=[REFERENCE],
        responses={200: CaseEventSerializer(many=True), **_errors(400, 401, 404, 429)},
        tags=["cases"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        page = self.paginate_queryset(case_timeline(case=case, viewer=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
