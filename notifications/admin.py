"""Admin for the outbox: read-only, filtered by where each e-mail stands."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.admin import ReadOnlyAdmin
from notifications.delivery import EMAIL_MAX_ATTEMPTS
from notifications.models import Notification


class EmailStateFilter(admin.SimpleListFilter):
    """Where a notification's e-mail stands, so failed deliveries are easy to find."""

    title = _("e-mail")
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [
            ("sent", _("Sent")),
            ("pending", _("Waiting to be sent")),
            ("failing", _("Failed, will retry")),
            ("given_up", _("Failed, given up")),
            ("not_wanted", _("Not wanted")),
        ]

    def queryset(self, request, queryset):
        unsent = queryset.filter(email_wanted=True, email_sent_at__isnull=True)
        return {
            "sent": queryset.filter(email_sent_at__isnull=False),
            "pending": unsent.filter(email_attempts=0),
            "failing": unsent.filter(email_attempts__gt=0, email_attempts__lt=EMAIL_MAX_ATTEMPTS),
            "given_up": unsent.filter(email_attempts__gte=EMAIL_MAX_ATTEMPTS),
            "not_wanted": queryset.filter(email_wanted=False),
        }.get(self.value(), queryset)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "recipient",
        "case",
        "kind",
        "read_at",
        "email_sent_at",
        "email_attempts",
        "email_next_at",
        "email_error",
    )
    list_filter = ("kind", EmailStateFilter)
    list_select_related = ("recipient", "case")
    search_fields = ("case__reference", "recipient__username")
    show_full_result_count = False
