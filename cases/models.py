from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.choices import (
    CaseKind,
    DecisionResult,
    EventKind,
    Outcome,
    PartyRole,
    Platform,
    Priority,
    Status,
)
from cases.lifecycle import CLOSED

# Every case reference is REFERENCE_PREFIX + "YYYY-NNNNNN" (cases.services._next_reference):
# the prefix appears nowhere else in one, which lets a search starting with it be a prefix
# search (cases.search.case_search).
REFERENCE_PREFIX = "RC-"


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=CaseKind.choices)
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices)
    platform_account = models.CharField(
        _("account or store ID on the platform"), max_length=200, blank=True
    )
    party_role = models.CharField(_("your role"), max_length=16, choices=PartyRole.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.DRAFT
    )
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    # The platform's (last) decision: set when the case enters "decided", kept afterwards as
    # history. "" for a case decided before results were recorded: its clocks run as they did.
    decision_result = models.CharField(
        _("platform's decision"), max_length=16, choices=DecisionResult.choices, blank=True
    )
    # When the seller was notified of it: the appeal window and the refund clock count from it.
    decision_notified_at = models.DateTimeField(_("decision notified at"), null=True, blank=True)
    amount_claimed = models.DecimalField(
        _("amount claimed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_recovered = models.DecimalField(
        _("amount recovered"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    platform_reference = models.CharField(
        _("platform's ticket or appeal number"), max_length=100, blank=True
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Denormalised for the staff queue's urgency order; written only by
    # deadlines.services.case_refresh_urgency whenever a clock (or the case's status) changes.
    next_due_at = models.DateTimeField(_("next clock due"), null=True, blank=True, editable=False)
    # The rule key of that clock (the first running one by due moment, then id): the API's
    # case list shows it with no subquery per row.
    next_due_rule = models.CharField(
        _("next clock's rule"), max_length=60, blank=True, default="", editable=False
    )
    breached_open = models.BooleanField(
        _("breached clock while open"), default=False, editable=False
    )
    # When the case was last reopened: clocks breached before then belong to its closed
    # chapter and no longer flag it as overdue (deadlines.services.case_refresh_urgency).
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True, editable=False)
    # Since when the seller's latest message waits for support staff to answer (a message from
    # staff clears it): the queue marks and filters these, so a message on a case nobody is
    # assigned to is not missed. Written only by conversations.services.message_post.
    awaiting_reply_since = models.DateTimeField(
        _("awaiting our reply since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CaseKind.values), name="cases_case_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(platform__in=Platform.values), name="cases_case_platform_valid"
            ),
            models.CheckConstraint(
                condition=Q(party_role__in=PartyRole.values), name="cases_case_party_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="cases_case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="cases_case_priority_valid"
            ),
            # An outcome exactly when the case is over.
            models.CheckConstraint(
                condition=(
                    Q(status__in=CLOSED, outcome__in=Outcome.values)
                    | (~Q(status__in=CLOSED) & Q(outcome=""))
                ),
                name="cases_case_outcome_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(decision_result="") | Q(decision_result__in=DecisionResult.values),
                name="cases_case_decision_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0),
                name="cases_case_amount_claimed_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_recovered__isnull=True) | Q(amount_recovered__gte=0),
                name="cases_case_amount_recovered_not_negative",
            ),
        ]
        indexes = [
            # Seller's dashboard and list: WHERE owner_id = ? ORDER BY updated_at DESC.
            models.Index(fields=["owner", "-updated_at"], name="cases_owner_updated"),
            # Staff dashboard: ORDER BY priority DESC, created_at DESC (urgent, then newest).
            models.Index(fields=["-priority", "-created_at"], name="cases_priority_created"),
            # Seller's dashboard: WHERE owner_id = ? ORDER BY priority DESC, created_at DESC.
            models.Index(
                fields=["owner", "-priority", "-created_at"], name="cases_owner_priority_created"
            ),
            # Case list filtered by status: WHERE status = ? ORDER BY updated_at DESC.
            models.Index(fields=["status", "-updated_at"], name="cases_status_updated"),
            # Case list filtered by kind: WHERE kind = ? ORDER BY updated_at DESC.
            models.Index(fields=["kind", "-updated_at"], name="cases_kind_updated"),
            # Case list filtered by platform: WHERE platform = ? ORDER BY updated_at DESC.
            models.Index(fields=["platform", "-updated_at"], name="cases_platform_updated"),
            # Case list filtered by priority: WHERE priority = ? ORDER BY updated_at DESC.
            models.Index(fields=["priority", "-updated_at"], name="cases_priority_updated"),
            # Organisation members' list: WHERE organisation_id = ? ORDER BY updated_at DESC.
            models.Index(fields=["organisation", "-updated_at"], name="cases_org_updated"),
            # API sync: WHERE updated_at >= ? ORDER BY updated_at (updated_since).
            models.Index(fields=["updated_at", "id"], name="cases_updated_id"),
            # Staff queue (desk.selectors.QUEUE_ORDER): ORDER BY breached_open DESC,
            # next_due_at ASC NULLS LAST, priority DESC, updated_at, id; walked in order and
            # stopped after a page, also under the queue's column filters.
            models.Index(
                fields=["-breached_open", "next_due_at", "-priority", "updated_at", "id"],
                name="cases_queue_urgency",
            ),
            # Staff queue, overdue / due within N days: WHERE next_due_at <= ?.
            models.Index(
                fields=["next_due_at"],
                name="cases_next_due",
                condition=Q(next_due_at__isnull=False),
            ),
            # Staff queue filtered by status (the usual filter): the same order per status.
            models.Index(
                fields=["status", "-breached_open", "next_due_at", "-priority", "updated_at", "id"],
                name="cases_queue_status",
            ),
            # Staff queue, "assigned to me": the same order per assignee.
            models.Index(
                fields=[
                    "assignee",
                    "-breached_open",
                    "next_due_at",
                    "-priority",
                    "updated_at",
                    "id",
                ],
                name="cases_queue_assignee",
            ),
            # Opened in a date range (queue and API filters, the dashboard's range and its
            # weekly "opened" counts): WHERE created_at >= ? AND created_at < ?.
            models.Index(fields=["created_at", "id"], name="cases_created_id"),
            # The dashboard's weekly "resolved" counts: resolved cases by closing moment.
            models.Index(
                fields=["closed_at"],
                name="cases_resolved_closed",
                condition=Q(status="resolved"),
            ),
            # Staff queue, "awaiting our reply": the same order over just those cases.
            models.Index(
                fields=["-breached_open", "next_due_at", "-priority", "updated_at", "id"],
                name="cases_queue_awaiting",
                condition=Q(awaiting_reply_since__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", kwargs={"reference": self.reference})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED


class ReferenceSequence(models.Model):
    """The last reference number handed out per year; its row lock serialises creation."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reference sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Case events are append-only.")

    def delete(self):
        raise TypeError("Case events are append-only.")


class CaseEvent(models.Model):
    """Append-only audit trail and timeline of a case. Never updated or deleted."""

    # PROTECT: the audit trail must outlive any attempt to delete its case.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=clock.now, editable=False)
    from_status = models.CharField(_("from"), max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=32, choices=Status.choices, blank=True)
    # {"field": {"old": ..., "new": ...}} for edits; JSON-safe values (strings for money).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [
            # Timeline: WHERE case_id = ? ORDER BY created_at, id.
            models.Index(fields=["case", "created_at", "id"], name="cases_event_case_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="cases_caseevent_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Case events are append-only.")


class CaseStatusCount(models.Model):
    """How many cases are in each status, for the counts at the top of the staff queue and the
    staff's case list: nine rows read instead of a COUNT over every case on every request. Kept
    in step in the same transaction as the change by cases.counts.status_count_move (called by
    case_create and case_transition); `manage.py desk_rebuild` recounts after bulk loads."""

    status = models.CharField(_("status"), max_length=32, choices=Status.choices, primary_key=True)
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("case count per status")
        verbose_name_plural = _("case counts per status")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="cases_casestatuscount_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.count}"
