from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A Celery task that could not be published because the broker was down; sent again by
    outbox.tasks.send_pending once it answers."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    created_at = models.DateTimeField(_("held back at"), auto_now_add=True)

    class Meta:
        verbose_name = _("background task held back")
        verbose_name_plural = _("background tasks held back")
        ordering = ["id"]

    def __str__(self):
        return self.task_name
