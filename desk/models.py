from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.choices import Status


class CaseStatusCount(models.Model):
    """How many cases are in each status, for the counts at the top of the staff queue: nine
    rows read instead of a COUNT over every case on every request. Kept in step in the same
    transaction as the change by desk.services.status_count_move (called by case_create and
    case_transition); `manage.py desk_rebuild` recounts after bulk loads."""

    status = models.CharField(_("status"), max_length=32, choices=Status.choices, primary_key=True)
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("case count per status")
        verbose_name_plural = _("case counts per status")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="desk_casestatuscount_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.count}"


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
