"""Deadline API: a case's clocks, the rules that start them, and support staff's pause,
resume and extend.

Thin like the other case APIs: the case is found through `case_get_for` (404 alike for missing
and not yours), the clocks are read, rendered. Clocks are started, paused and settled by the
case's moves and contacts (`deadlines.services`); by hand, only support staff pause, resume and
extend them, with a reason, through the same services as the web pages.
"""

from datetime import timedelta

from django.utils.duration import duration_iso_string
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.response import Response

from cases.api.pagination import WholeListPagination
from cases.api.serializers import ChoiceField, OptionalChoiceField, StrictInputSerializer
from cases.api.views import ERRORS, REFERENCE, CaseAPIView, _errors
from cases.choices import CaseKind, FilingType, Platform, Priority, Status
from cases.selectors import case_get_for
from deadlines.choices import BreachAction, DeadlineState, DeadlineUnit, Trigger, WaitingOn
from deadlines.models import Deadline, DeadlineRule
from deadlines.selectors import deadline_get_for_staff
from deadlines.staff import (
    EXTEND_MAX_HOURS,
    EXTEND_MAX_WORKING_DAYS,
    REASON_MAX_LENGTH,
    deadline_extend,
    deadline_staff_pause,
    deadline_staff_resume,
)

ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy("zh-hans (the default) or en: the language of the names."),
)


def _localized_name(name: str, name_zh: str) -> str:
    """The Chinese name when the request's language is Chinese (and it has one), else English."""
    chinese = (get_language() or "").startswith("zh")
    return (name_zh if chinese else "") or name


# --- Output ------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.DURATION)
class ISODurationField(serializers.Field):
    """A duration as ISO 8601 (e.g. P3DT4H0M0S), or null. In whole seconds: RFC 3339's
    duration, which the schema's `format: duration` means, has no fractions of a second."""

    def to_representation(self, value):
        if value is None:
            return None
        return duration_iso_string(value - timedelta(microseconds=value.microseconds))


class DeadlineSerializer(serializers.ModelSerializer):
    """Deadline JSON (DESIGN.md's operations contract), with the clock's name and, while
    paused, its remaining time. Name and source come from the rule as it was when the clock
    started: editing a rule does not rewrite clocks."""

    rule = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Key of the rule, e.g. samr.accept_decision (docs/deadline-rules.md)."
        )
    )
    name = serializers.SerializerMethodField(
        help_text=gettext_lazy("What the clock is, in the language of Accept-Language.")
    )
    state = ChoiceField(choices=DeadlineState.choices, read_only=True)
    waiting_on = ChoiceField(
        choices=WaitingOn.choices,
        read_only=True,
        help_text=gettext_lazy("Who has to act before the clock runs out."),
    )
    warn_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The next warning moment; null once every warning went out."),
    )
    provisional = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "The due moment lies beyond the last published holiday calendar and may move."
        ),
    )
    source = serializers.SerializerMethodField(
        help_text=gettext_lazy("The law or platform rule the clock comes from.")
    )
    remaining = ISODurationField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "Only while paused: the time left when the clock was paused, as an ISO 8601 "
            "duration. A clock counted in days keeps whole days (working days for working-day "
            "rules, e.g. P2DT0H0M0S) and, resumed, ends at 24:00 that many days after; an hour "
            "clock keeps its exact time (e.g. PT3H0M0S). Null in every other state."
        ),
    )

    rolled_from = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy(
            "The period's own last day when a rest day or statutory holiday moved the due date "
            "to the next working day (民法典 第二百零三条); null otherwise."
        ),
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "rule",
            "name",
            "state",
            "started_at",
            "due_at",
            "warn_at",
            "provisional",
            "rolled_from",
            "waiting_on",
            "source",
            "remaining",
        ]
        read_only_fields = fields

    def get_rule(self, deadline: Deadline) -> str:
        return deadline.rule_snapshot.get("key") or deadline.rule.key

    def get_name(self, deadline: Deadline) -> str:
        snapshot = deadline.rule_snapshot
        return _localized_name(
            snapshot.get("name") or deadline.rule.name, snapshot.get("name_zh", "")
        )

    def get_source(self, deadline: Deadline) -> str:
        return deadline.rule_snapshot.get("source", "")

    def to_representation(self, deadline):
        data = super().to_representation(deadline)
        if deadline.state != DeadlineState.PAUSED:
            data["remaining"] = None
        return data


class DeadlineRuleSerializer(serializers.ModelSerializer):
    """A rule that starts clocks (docs/deadline-rules.md). Lists left empty mean any."""

    roll_over_reason = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Why the rule rolls over a rest day or does not, in the language of Accept-Language."
        )
    )
    name = serializers.SerializerMethodField(
        help_text=gettext_lazy("The rule's name, in the language of Accept-Language.")
    )
    trigger = ChoiceField(choices=Trigger.choices, read_only=True)
    trigger_statuses = serializers.ListField(
        child=ChoiceField(choices=Status.choices),
        read_only=True,
        help_text=gettext_lazy("status_entered: the statuses whose entry starts the clock."),
    )
    trigger_filing_type = OptionalChoiceField(
        choices=FilingType.choices,
        read_only=True,
        help_text=gettext_lazy("contact_logged: the filing type that starts the clock, or null."),
    )
    trigger_bodies = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=gettext_lazy("contact_logged: slugs of the bodies (see /api/v1/bodies/)."),
    )
    trigger_detail = serializers.SerializerMethodField(
        help_text=gettext_lazy("detail_date: the date in the case details, or null.")
    )
    case_kinds = serializers.ListField(child=ChoiceField(choices=CaseKind.choices), read_only=True)
    platforms = serializers.ListField(child=ChoiceField(choices=Platform.choices), read_only=True)
    priority = OptionalChoiceField(
        choices=Priority.choices,
        read_only=True,
        help_text=gettext_lazy("Only cases of this priority, or null for any."),
    )
    unit = ChoiceField(choices=DeadlineUnit.choices, read_only=True)
    roll_over = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("A due day on a rest day moves to the next working day."),
    )
    warn_before = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=gettext_lazy("Warnings before the due moment: hours for hour rules, else days."),
    )
    on_breach = serializers.ListField(
        child=ChoiceField(choices=BreachAction.choices), read_only=True
    )
    waiting_on = ChoiceField(choices=WaitingOn.choices, read_only=True)
    source = serializers.CharField(read_only=True)
    secondary = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy("The source is a platform's figure still to verify."),
    )

    class Meta:
        model = DeadlineRule
        fields = [
            "key",
            "name",
            "trigger",
            "trigger_statuses",
            "trigger_filing_type",
            "trigger_bodies",
            "trigger_detail",
            "case_kinds",
            "platforms",
            "priority",
            "duration",
            "unit",
            "decision_results",
            "roll_over",
            "roll_over_reason",
            "warn_before",
            "on_breach",
            "waiting_on",
            "met_by_statuses",
            "met_by_filing_types",
            "source",
            "secondary",
        ]
        read_only_fields = fields

    def get_name(self, rule: DeadlineRule) -> str:
        return _localized_name(rule.name, rule.name_zh)

    @extend_schema_field(serializers.CharField())
    def get_roll_over_reason(self, rule: DeadlineRule) -> str:
        return _localized_name(rule.roll_over_reason, rule.roll_over_reason_zh)

    def get_trigger_detail(self, rule: DeadlineRule) -> str | None:
        return rule.trigger_detail or None


# --- Views -------------------------------------------------------------------------------


class DeadlineListView(CaseAPIView):
    serializer_class = DeadlineSerializer
    pagination_class = WholeListPagination

    def allowed_query_params(self) -> list[str]:
        return ["cursor", "page_size"]

    @extend_schema(
        operation_id="cases_deadlines_list",
        summary=gettext_lazy("A case's clocks"),
        description=gettext_lazy(
            "Every clock on the case — running, paused, met, breached or cancelled — soonest "
            "due first. Names in the language of Accept-Language."
        ),
        parameters=[REFERENCE, ACCEPT_LANGUAGE],
        responses={200: DeadlineSerializer(many=True), **_errors(400, 401, 404, 429)},
        tags=["deadlines"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        deadlines = case.deadlines.select_related("rule").order_by("due_at", "id")
        page = self.paginate_queryset(deadlines)
        return self.get_paginated_response(DeadlineSerializer(page, many=True).data)


class DeadlineRuleListView(CaseAPIView):
    serializer_class = DeadlineRuleSerializer
    pagination_class = WholeListPagination

    def allowed_query_params(self) -> list[str]:
        return ["cursor", "page_size"]

    @extend_schema(
        operation_id="deadline_rules_list",
        summary=gettext_lazy("The deadline rules"),
        description=gettext_lazy(
            "The active rules that start clocks on cases: what starts each, how long it runs, "
            "who it waits on, what happens when it runs out, and its source. A clock keeps the "
            "rule as it was when it started."
        ),
        parameters=[ACCEPT_LANGUAGE],
        responses={200: DeadlineRuleSerializer(many=True), **_errors(400, 401, 429)},
        tags=["deadlines"],
    )
    def get(self, request):
        rules = DeadlineRule.objects.filter(active=True).order_by("key", "id")
        page = self.paginate_queryset(rules)
        return self.get_paginated_response(DeadlineRuleSerializer(page, many=True).data)


# --- Staff: pause, resume, extend ----------------------------------------------------------

DEADLINE_ID = OpenApiParameter(
    "deadline_id",
    int,
    OpenApiParameter.PATH,
    description=gettext_lazy("The clock's id, as in the case's clocks list."),
)


class DeadlineReasonSerializer(StrictInputSerializer):
    """Why: saved on the case's timeline, where the seller reads it."""

    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        help_text=gettext_lazy("Why; the seller reads it on the case's timeline."),
    )

    def unexpected_field_message(self, name: str) -> str:
        return _("Unknown field. Fields you can set: %(fields)s.") % {
            "fields": ", ".join(self.fields)
        }


class DeadlineExtendSerializer(DeadlineReasonSerializer):
    """Give exactly one of working_days, hours or due_at (deadline_extend checks it)."""

    working_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=EXTEND_MAX_WORKING_DAYS,
        help_text=gettext_lazy(
            "Working days more, counted from the current due moment (China's calendar). "
            "On a paused clock: added to the time it keeps (working-day clocks only)."
        ),
    )
    hours = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=EXTEND_MAX_HOURS,
        help_text=gettext_lazy("Hours more, of wall time (or of working time, paused)."),
    )
    due_at = serializers.DateTimeField(
        required=False,
        help_text=gettext_lazy(
            "A new due moment, later than the current one and still ahead; running clocks "
            "only. ISO 8601 with its offset, e.g. 2026-03-20T24:00 is 2026-03-21T00:00:00+08:00."
        ),
    )

    # "Exactly one of them" and the moment's range are the service's (deadline_extend), the
    # same for the web form.


class DeadlineConflictSerializer(serializers.Serializer):
    """409 body: the clock's state does not allow it."""

    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField(required=False)
    state = ChoiceField(choices=DeadlineState.choices, help_text=gettext_lazy("The clock's state."))


def _staff_schema(operation_id, summary, description, request, examples):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        parameters=[REFERENCE, DEADLINE_ID, ACCEPT_LANGUAGE],
        request=request,
        examples=examples,
        responses={
            200: DeadlineSerializer,
            404: OpenApiResponse(
                ERRORS[404].response,
                description="No such case or clock, or you are not support staff.",
            ),
            409: OpenApiResponse(
                DeadlineConflictSerializer,
                description="The clock's state does not allow it (e.g. resume a running clock).",
            ),
            **_errors(400, 401, 429),
        },
        tags=["deadlines"],
    )


class _DeadlineActionView(CaseAPIView):
    input_serializer = DeadlineReasonSerializer
    service = None

    def post(self, request, reference, deadline_id):
        # Found (or 404) before the input is read: a seller learns nothing from a 400.
        deadline = deadline_get_for_staff(
            actor=request.user, reference=reference, deadline_id=deadline_id
        )
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        deadline = type(self).service(actor=request.user, deadline=deadline, **data.validated_data)
        return Response(DeadlineSerializer(deadline).data)


class DeadlinePauseView(_DeadlineActionView):
    serializer_class = DeadlineReasonSerializer
    service = staticmethod(deadline_staff_pause)

    @_staff_schema(
        "cases_deadlines_pause",
        gettext_lazy("Pause a clock (support staff)"),
        gettext_lazy(
            "Stops a running clock, keeping the time it has left exactly (working time for "
            "working-day rules). A clock paused because information was requested becomes a "
            "staff pause: the case leaving info_requested no longer resumes it. The reason "
            "goes on the timeline and the seller is told."
        ),
        DeadlineReasonSerializer,
        [OpenApiExample("Platform on holiday", request_only=True, value={"reason": "春节放假"})],
    )
    def post(self, request, reference, deadline_id):
        return super().post(request, reference, deadline_id)


class DeadlineResumeView(_DeadlineActionView):
    serializer_class = DeadlineReasonSerializer
    service = staticmethod(deadline_staff_resume)

    @_staff_schema(
        "cases_deadlines_resume",
        gettext_lazy("Resume a clock (support staff)"),
        gettext_lazy(
            "Restarts a paused clock from the time it had left, on today's calendar; the "
            "response has its new due moment."
        ),
        DeadlineReasonSerializer,
        [OpenApiExample("Platform back", request_only=True, value={"reason": "平台已恢复处理"})],
    )
    def post(self, request, reference, deadline_id):
        return super().post(request, reference, deadline_id)


class DeadlineExtendView(_DeadlineActionView):
    serializer_class = DeadlineExtendSerializer
    input_serializer = DeadlineExtendSerializer
    service = staticmethod(deadline_extend)

    @_staff_schema(
        "cases_deadlines_extend",
        gettext_lazy("Extend a clock (support staff)"),
        gettext_lazy(
            "Gives a running or paused clock more time: working days or hours more, or a new "
            "due moment (running clocks). Never less: an earlier or past moment is refused. "
            "The next warning and the provisional mark are recomputed."
        ),
        DeadlineExtendSerializer,
        [
            OpenApiExample(
                "Two working days more",
                request_only=True,
                value={"reason": "平台书面同意延期两个工作日", "working_days": 2},
            ),
            OpenApiExample(
                "To the end of a day",
                request_only=True,
                value={"reason": "12315 延长受理期限", "due_at": "2026-03-21T00:00:00+08:00"},
            ),
        ],
    )
    def post(self, request, reference, deadline_id):
        return super().post(request, reference, deadline_id)
