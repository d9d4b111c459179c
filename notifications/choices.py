from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DEADLINE_WARNING = "deadline_warning", _("Deadline due soon")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline breached")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CONTACT_LOGGED = "contact_logged", _("New contact")
    EVIDENCE_ADDED = "evidence_added", _("New evidence")
    CASE_CHANGED = "case_changed", _("Case changed")
    ASSIGNED = "assigned", _("Case assigned to you")
    MESSAGE = "message", _("New message")
