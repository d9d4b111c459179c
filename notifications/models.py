"""The outbox: one row per person told of a change, shown in the app and e-mailed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import clock
from notifications.choices import NotificationKind


class Notification(models.Model):
    """In-app notification and e-mail outbox row, written in the transaction of the change
    it reports; e-mail is sent after commit and re-sent by the sweep until it goes."""

    # CASCADE: a notification is a pure child of its recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notifications")
    deadline = models.ForeignKey(
        "deadlines.Deadline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    # The change it reports, when a person made it (status moved, contact logged…).
    event = models.ForeignKey(
        "cases.CaseEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    # Backoff after a failed attempt: the re-send sweep leaves the row alone until then.
    email_next_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)
    email_error = models.CharField(_("last e-mail error"), max_length=500, blank=True)
    email_wanted = models.BooleanField(_("e-mail wanted"), default=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Notifications page: WHERE recipient_id = ? ORDER BY created_at DESC, id DESC, the
            # whole order (a sweep writes many rows with one created_at), so PostgreSQL reads
            # the first 30 and joins only those.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_page"),
            # Unread badge: WHERE recipient_id = ? AND read_at IS NULL.
            models.Index(
                fields=["recipient"], name="notifications_unread", condition=Q(read_at__isnull=True)
            ),
            # Outbox: WHERE email_wanted AND email_sent_at IS NULL ORDER BY created_at.
            models.Index(
                fields=["created_at"],
                name="notifications_outbox",
                condition=Q(email_wanted=True, email_sent_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="notifications_notification_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
