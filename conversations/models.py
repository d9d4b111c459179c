from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.models import Case

# Long enough for a detailed account, short enough to stay a message and not a document
# (documents go in as evidence).
BODY_MAX_LENGTH = 5000


class Message(models.Model):
    """One message in a case's conversation between the seller and support staff, or, when
    `internal`, a note staff write for each other that the seller never sees. Written only by
    `conversations.services.message_post`, which also writes its timeline event."""

    # PROTECT: the conversation is part of the case's record, like its events.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("message"))
    internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Staff only: the seller never sees internal notes."),
    )
    created_at = models.DateTimeField(_("at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            # The thread: WHERE case_id = ? ORDER BY created_at, id.
            models.Index(fields=["case", "created_at", "id"], name="conversations_msg_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""), name="conversations_message_body_not_empty"
            ),
        ]

    def __str__(self) -> str:
        kind = _("Internal note") if self.internal else _("Message")
        return f"{self.case.reference} · {kind} #{self.pk}"
