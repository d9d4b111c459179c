"""Notifications API: the caller's own notifications, newest first, and marking them read.

Thin like the other APIs: the selectors find the caller's own rows (another user's id answers
404, as a missing one does), the services mark them, the text comes from the same function as
the web page and the e-mail subject, in the request's language and the caller's time zone.
"""

import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.response import Response

from accounts.api import ErrorSerializer
from cases.api.filters import AwareDateTimeField
from cases.api.pagination import KeysetPagination
from cases.api.serializers import ChoiceField
from cases.api.views import CaseAPIView, _errors
from config.errors import DomainError
from notifications.choices import NotificationKind
from notifications.delivery import notification_text
from notifications.models import Notification
from notifications.selectors import notification_get_for, notifications_for
from notifications.services import notification_mark_read, notifications_mark_all_read

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such notification, or not yours.")
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    OpenApiParameter.HEADER,
    description=gettext_lazy("zh-hans (the default) or en: the language of `text`."),
)
NOTIFICATION_ID = OpenApiParameter(
    "notification_id",
    int,
    OpenApiParameter.PATH,
    description=gettext_lazy("The notification's id."),
)


class NotificationSerializer(serializers.ModelSerializer):
    kind = ChoiceField(choices=NotificationKind.choices, read_only=True)
    text = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "What happened, in one line, in the request's language and your time zone."
        )
    )
    case = serializers.CharField(
        source="case.reference", read_only=True, help_text=gettext_lazy("The case reference.")
    )
    deadline = serializers.IntegerField(
        source="deadline_id",
        read_only=True,
        allow_null=True,
        help_text=gettext_lazy("The deadline it is about (due soon, passed), or null."),
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "case", "deadline", "created_at", "read_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)


def _in_users_zone(user):
    """The caller's time zone for the times in `text` (token requests carry no session, so the
    web's time-zone middleware has not set it)."""
    try:
        return timezone.override(zoneinfo.ZoneInfo(user.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.override(zoneinfo.ZoneInfo(settings.TIME_ZONE))


EXAMPLE = OpenApiExample(
    "A deadline due soon",
    response_only=True,
    value={
        "id": 42,
        "kind": "deadline_warning",
        "text": "Due soon: Platform's first response, by 2026-11-04 24:00",
        "case": "RC-2026-000042",
        "deadline": 7,
        "created_at": "2026-11-03T10:00:00+08:00",
        "read_at": None,
    },
)


class NotificationListView(CaseAPIView):
    serializer_class = NotificationSerializer
    pagination_class = KeysetPagination

    def allowed_query_params(self) -> list[str]:
        return ["unread", "cursor", "page_size"]

    @extend_schema(
        operation_id="notifications_list",
        summary=gettext_lazy("Your notifications"),
        description=gettext_lazy(
            "Deadlines due soon or passed, and changes someone else made to your cases: your "
            "own, newest first. `unread=true` gives only the unread ones."
        ),
        parameters=[
            OpenApiParameter(
                "unread",
                str,
                OpenApiParameter.QUERY,
                enum=["true", "false"],
                description=gettext_lazy("true: only unread; false: only read."),
            ),
            ACCEPT_LANGUAGE,
        ],
        responses={200: NotificationSerializer(many=True), **_errors(400, 401, 429)},
        tags=["notifications"],
    )
    def get(self, request):
        notifications = notifications_for(user=request.user)
        unread = request.query_params.get("unread")
        if unread is not None:
            if unread not in ("true", "false"):
                raise DomainError(_("unread: enter true or false."), code="invalid", field="unread")
            notifications = notifications.filter(read_at__isnull=unread == "true")
        page = self.paginate_queryset(notifications)
        with _in_users_zone(request.user):
            data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)


class NotificationReadView(CaseAPIView):
    serializer_class = NotificationSerializer

    @extend_schema(
        operation_id="notifications_read",
        summary=gettext_lazy("Mark a notification read"),
        description=gettext_lazy(
            "Marks it read (once: marking it again keeps the first time) and returns it."
        ),
        request=None,
        parameters=[NOTIFICATION_ID, ACCEPT_LANGUAGE],
        examples=[EXAMPLE],
        responses={
            200: NotificationSerializer,
            404: NOT_FOUND,
            **_errors(401, 429),
        },
        tags=["notifications"],
    )
    def post(self, request, notification_id: int):
        notification = notification_get_for(user=request.user, notification_id=notification_id)
        notification_mark_read(actor=request.user, notification=notification)
        notification = notifications_for(user=request.user).get(pk=notification.pk)
        with _in_users_zone(request.user):
            return Response(self.get_serializer(notification).data)


class NotificationReadAllView(CaseAPIView):
    serializer_class = None

    def allowed_query_params(self) -> list[str]:
        return ["until"]

    @extend_schema(
        operation_id="notifications_read_all",
        summary=gettext_lazy("Mark all your notifications read"),
        description=gettext_lazy(
            "Every unread one, or with `until` those created up to that moment: send the time "
            "you fetched the list so that notifications that arrived since stay unread."
        ),
        request=None,
        parameters=[
            OpenApiParameter(
                "until",
                OpenApiTypes.DATETIME,
                OpenApiParameter.QUERY,
                description=gettext_lazy(
                    "ISO 8601 with its UTC offset (encode “+” as %2B), e.g. "
                    "2026-11-03T10:00:00%2B08:00."
                ),
            )
        ],
        responses={
            200: inline_serializer(
                "NotificationsMarkedRead",
                {
                    "marked": serializers.IntegerField(
                        help_text=gettext_lazy("How many were unread and are now read.")
                    )
                },
            ),
            **_errors(401, 429),
        },
        tags=["notifications"],
    )
    def post(self, request):
        until = None
        if "until" in request.query_params:
            try:
                until = AwareDateTimeField().clean(request.query_params["until"])
            except forms.ValidationError as error:
                raise DomainError(
                    f"until: {error.messages[0]}", code="invalid", field="until"
                ) from None
        return Response({"marked": notifications_mark_all_read(actor=request.user, until=until)})
