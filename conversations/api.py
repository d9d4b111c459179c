"""Messages API: a case's conversation, GET (oldest first, keyset pages) and POST.

Thin like the other case APIs: find the case through `case_get_for` (404 alike for missing and
not yours), read through `messages_for` (which keeps staff's internal notes from anyone else),
write through `message_post` (which refuses internal notes from sellers)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from cases.api.pagination import KeysetPagination
from cases.api.serializers import StrictInputSerializer
from cases.api.views import ERRORS, REFERENCE, CaseAPIView
from cases.selectors import case_get_for
from conversations.models import BODY_MAX_LENGTH, Message
from conversations.selectors import messages_for
from conversations.services import message_post


class MessageSerializer(serializers.ModelSerializer):
    """Message JSON (DESIGN.md's operations contract)."""

    author = serializers.CharField(
        source="author.username", read_only=True, help_text=gettext_lazy("Username.")
    )
    internal = serializers.BooleanField(
        read_only=True,
        help_text=gettext_lazy(
            "True for a staff-only internal note. Only support staff ever receive these."
        ),
    )

    class Meta:
        model = Message
        fields = ["id", "author", "body", "internal", "created_at"]
        read_only_fields = fields


class MessageInputSerializer(StrictInputSerializer):
    body = serializers.CharField(
        max_length=BODY_MAX_LENGTH,
        help_text=gettext_lazy("The message; leading and trailing spaces are dropped."),
        error_messages={
            "blank": gettext_lazy("Write a message first."),
            "required": gettext_lazy("Write a message first."),
        },
    )
    internal = serializers.BooleanField(
        required=False,
        default=False,
        help_text=gettext_lazy(
            "Support staff only: true keeps the message as an internal note the seller never "
            "sees. A seller sending true gets a 400 naming `internal`."
        ),
    )


MESSAGE_EXAMPLE = OpenApiExample(
    "Ask the seller for the refund record",
    request_only=True,
    value={"body": "请上传保证金退还申请的截图，我们会据此向平台催办。"},
)
NOTE_EXAMPLE = OpenApiExample(
    "Internal note (staff only)",
    request_only=True,
    value={"body": "平台客服承诺 3 个工作日内回复，周五再跟进。", "internal": True},
)


class MessageListView(CaseAPIView):
    serializer_class = MessageSerializer
    pagination_class = KeysetPagination

    def allowed_query_params(self) -> list[str]:
        return ["cursor", "page_size"] if self.request.method == "GET" else []

    @extend_schema(
        operation_id="messages_list",
        summary=gettext_lazy("A case's conversation"),
        description=gettext_lazy(
            "Messages between the seller and support staff, oldest first. Support staff also "
            "get their internal notes (`internal`: true); anyone else never does."
        ),
        parameters=[REFERENCE],
        responses={
            200: MessageSerializer(many=True),
            **{code: ERRORS[code] for code in (400, 401, 404, 429)},
        },
        tags=["messages"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        page = self.paginate_queryset(messages_for(actor=request.user, case=case))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(
        operation_id="messages_create",
        summary=gettext_lazy("Write to the case's conversation"),
        description=gettext_lazy(
            "A seller's message notifies the case's assignee; a staff member's message "
            "notifies the seller. With `internal`: true (support staff only) it is an internal "
            "note: the seller never sees it, in the API, on the page, in e-mail or in the "
            "evidence bundle."
        ),
        parameters=[REFERENCE],
        request=MessageInputSerializer,
        examples=[MESSAGE_EXAMPLE, NOTE_EXAMPLE],
        responses={
            201: MessageSerializer,
            **{code: ERRORS[code] for code in (400, 401, 404, 429)},
        },
        tags=["messages"],
    )
    def post(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = message_post(actor=request.user, case=case, **data.validated_data)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)
