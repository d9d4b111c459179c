from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases import clock


class SavedView(models.Model):
    """A staff member's named set of queue filters (the queue's query string)."""

    # CASCADE: a saved view is a pure child of its owner, useless to anyone else.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="desk_savedview_one_name"),
        ]
        # The queue's list of views: WHERE owner_id = ? ORDER BY name (the unique index).

    def __str__(self) -> str:
        return self.name
