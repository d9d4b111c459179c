"""Messages in the admin: read-only. They are written through `conversations.services`,
which writes the timeline event and the notifications with them."""

from django.contrib import admin

from cases.admin import ReadOnlyAdmin
from conversations.models import Message


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["case", "author", "internal", "created_at"]
    list_filter = ["internal"]
    list_select_related = ["case", "author"]
    search_fields = ["case__reference", "author__username"]
    readonly_fields = ["case", "author", "body", "internal", "created_at"]
    # Newest first by id (the primary key's index): sorting by created_at read every message.
    ordering = ["-id"]
    show_full_result_count = False
