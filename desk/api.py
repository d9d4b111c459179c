"""Staff-only API: assign a case, act on a selection of cases.

Anyone but support staff gets the 404 of a missing page, before their input is read (a seller
learns nothing from a 400). Thin: parse, call the service, render.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.response import Response

from cases.api.serializers import CaseSerializer
from cases.api.views import ERRORS, REFERENCE, CaseAPIView, _case_response, _errors
from cases.selectors import case_get_for
from desk.assignment import case_assign, staff_member_get
from desk.bulk import bulk_apply
from desk.serializers import (
    AssignSerializer,
    BulkResultSerializer,
    BulkSerializer,
    bulk_result_data,
)
from desk.services import require_staff

STAFF_404 = OpenApiResponse(
    ERRORS[404].response, description="No such case, or you are not support staff."
)


class StaffAPIView(CaseAPIView):
    def check_audience(self, request) -> None:
        require_staff(request.user)


class CaseAssignView(StaffAPIView):
    serializer_class = AssignSerializer

    @extend_schema(
        operation_id="cases_assign",
        summary=gettext_lazy("Assign a case (support staff)"),
        description=gettext_lazy(
            "Sets who handles the case: an active support staff member, or null for nobody. "
            "The change goes on the timeline; the new assignee is notified (unless it is you), "
            "and so are the owner and the previous assignee. Assigning a case to whom it "
            "already is changes nothing."
        ),
        parameters=[REFERENCE],
        request=AssignSerializer,
        examples=[
            OpenApiExample("Assign to carol", request_only=True, value={"assignee": "carol"}),
            OpenApiExample("Unassign", request_only=True, value={"assignee": None}),
        ],
        responses={200: CaseSerializer, 404: STAFF_404, **_errors(400, 401, 429)},
        tags=["staff"],
    )
    def post(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data["assignee"]
        assignee = None if name is None else staff_member_get(name)
        case_assign(
            actor=request.user,
            case=case,
            assignee=assignee,
            note=data.validated_data.get("note", ""),
        )
        return _case_response(request, case_get_for(actor=request.user, reference=reference))


class CaseBulkView(StaffAPIView):
    serializer_class = BulkSerializer

    @extend_schema(
        operation_id="cases_bulk",
        summary=gettext_lazy("Act on a selection of cases (support staff)"),
        description=gettext_lazy(
            "Assigns, sets the priority of, or moves (where the lifecycle allows) up to 500 "
            "cases at once. Each case is changed on its own, through the same rules "
            "as a single change: a case that cannot take the change is skipped with the "
            "reason, and the others are still changed. 200 with a one-line summary and the "
            "result per case, in the order given; an unknown reference is skipped as not "
            "found. 400 (nothing changed) when the input is invalid."
        ),
        request=BulkSerializer,
        examples=[
            OpenApiExample(
                "Move to in review",
                request_only=True,
                value={
                    "action": "status",
                    "references": ["RC-2026-000041", "RC-2026-000042"],
                    "status": "in_review",
                    "note": "平台已受理",
                },
            ),
            OpenApiExample(
                "Assign to carol",
                request_only=True,
                value={"action": "assign", "references": ["RC-2026-000041"], "assignee": "carol"},
            ),
            OpenApiExample(
                "Mixed result",
                response_only=True,
                value={
                    "summary": "1 moved, 1 skipped: already resolved",
                    "results": [
                        {"reference": "RC-2026-000041", "result": "done", "reason": None},
                        {
                            "reference": "RC-2026-000042",
                            "result": "skipped",
                            "reason": "already resolved",
                        },
                    ],
                },
            ),
        ],
        responses={200: BulkResultSerializer, 404: STAFF_404, **_errors(400, 401, 429)},
        tags=["staff"],
    )
    def post(self, request):
        data = BulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        name = fields.pop("assignee", None)
        assignee = None if name is None else staff_member_get(name)
        result = bulk_apply(actor=request.user, assignee=assignee, **fields)
        return Response(bulk_result_data(result))
