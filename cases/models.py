from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.choices import (
    CaseKind,
    DeadlineState,
    DeadlineUnit,
    EventKind,
    NotificationKind,
    Outcome,
    PartyRole,
    Platform,
    Priority,
    Status,
    Trigger,
    WaitingOn,
)
from cases.lifecycle import CLOSED

# Every case reference is REFERENCE_PREFIX + "YYYY-NNNNNN" (cases.services._next_reference):
# the prefix appears nowhere else in one, which lets a search starting with it be a prefix
# search (desk.selectors.case_search).
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
    # cases.deadlines.case_refresh_urgency whenever a clock (or the case's status) changes.
    next_due_at = models.DateTimeField(_("next clock due"), null=True, blank=True, editable=False)
    # The rule key of that clock (the first running one by due moment, then id): the API's
    # case list shows it with no subquery per row.
    next_due_rule = models.CharField(
        _("next clock's rule"), max_length=60, blank=True, default="", editable=False
    )
    breached_open = models.BooleanField(
        _("breached clock while open"), default=False, editable=False
    )
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


class CalendarOverride(models.Model):
    """A day the official calendar changed: entered by staff before a library release knows it
    (China publishes each year's 调休 schedule around November)."""

    date = models.DateField(_("date"))
    region = models.CharField(_("region"), max_length=8, default="CN")
    is_working_day = models.BooleanField(_("working day"))
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region"], name="cases_calendaroverride_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.region} {'work' if self.is_working_day else 'off'}"


class DeadlineRule(models.Model):
    """A default that starts clocks (DEADLINE-RULES.md), shipped as data, edited by staff.
    Editing a rule does not rewrite running clocks: each deadline keeps a snapshot."""

    key = models.CharField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    # What the trigger matches: a status entered; a filing type (+ bodies) logged; a detail date.
    trigger_statuses = models.JSONField(_("statuses entered"), default=list, blank=True)
    trigger_filing_type = models.CharField(_("filing type"), max_length=20, blank=True)
    trigger_bodies = models.JSONField(_("bodies"), default=list, blank=True)
    trigger_detail = models.CharField(_("detail date"), max_length=40, blank=True)
    # Further conditions: empty lists mean any.
    case_kinds = models.JSONField(_("case kinds"), default=list, blank=True)
    platforms = models.JSONField(_("platforms"), default=list, blank=True)
    priority = models.CharField(_("priority"), max_length=16, blank=True)
    duration = models.PositiveIntegerField(_("duration"))
    unit = models.CharField(_("unit"), max_length=16, choices=DeadlineUnit.choices)
    roll_over = models.BooleanField(_("rolls over a rest day"), default=False)
    # Warnings before the due moment, in the rule's unit (hours for hour rules, days otherwise).
    warn_before = models.JSONField(_("warn before"), default=list, blank=True)
    on_breach = models.JSONField(_("on breach"), default=list, blank=True)
    suggestion = models.CharField(_("suggested next step (English)"), max_length=300, blank=True)
    suggestion_zh = models.CharField(_("suggested next step (Chinese)"), max_length=300, blank=True)
    waiting_on = models.CharField(_("waiting on"), max_length=16, choices=WaitingOn.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    secondary = models.BooleanField(
        _("secondary source"), default=False, help_text=_("Platform figures to verify.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["key"]
        indexes = [
            # Triggers: WHERE active AND trigger = ? (then matched in Python; a few dozen rows).
            models.Index(fields=["trigger", "active"], name="cases_rule_trigger"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=DeadlineUnit.values), name="cases_deadlinerule_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="cases_deadlinerule_trigger_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Deadline(models.Model):
    """One running clock on a case. `due_at` is computed when it starts (and on resume), so
    finding what is due is one indexed query."""

    # PROTECT: clocks are part of the case's record.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    # The rule as it was when the clock started: later edits do not rewrite running clocks.
    rule_snapshot = models.JSONField(_("rule snapshot"), default=dict)
    state = models.CharField(
        _("state"), max_length=16, choices=DeadlineState.choices, default=DeadlineState.RUNNING
    )
    waiting_on = models.CharField(_("waiting on"), max_length=16, choices=WaitingOn.choices)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    # The next warning moment; null once every warning went out.
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    warnings_sent = models.PositiveSmallIntegerField(_("warnings sent"), default=0)
    provisional = models.BooleanField(_("provisional"), default=False)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    # Working (or wall) time left when paused; the clock resumes from it.
    remaining = models.DurationField(_("remaining when paused"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    # Paused by support staff: only staff resume it, leaving info_requested does not.
    paused_by_staff = models.BooleanField(_("paused by staff"), default=False)
    # The contact that started it (a 12315 complaint, a lawsuit…), when one did.
    contact = models.ForeignKey(
        "channels.ChannelEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "id"]
        indexes = [
            # The sweep: WHERE state = 'running' AND due_at <= now ORDER BY due_at.
            models.Index(
                fields=["due_at"],
                name="cases_deadline_due_running",
                condition=Q(state=DeadlineState.RUNNING),
            ),
            # The sweep's warnings: WHERE state = 'running' AND warn_at <= now.
            models.Index(
                fields=["warn_at"],
                name="cases_deadline_warn_running",
                condition=Q(state=DeadlineState.RUNNING, warn_at__isnull=False),
            ),
            # A case's clocks: WHERE case_id = ? ORDER BY due_at.
            models.Index(fields=["case", "state", "due_at"], name="cases_deadline_case"),
            # Staff dashboard's breached list: WHERE state = 'breached' ORDER BY settled_at
            # DESC, id DESC, the whole order (a sweep settles a batch in one moment), so the
            # first ten are read without sorting every breach.
            models.Index(
                fields=["-settled_at", "-id"],
                name="cases_deadline_breached",
                condition=Q(state=DeadlineState.BREACHED),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeadlineState.values), name="cases_deadline_state_valid"
            ),
            # A paused clock knows how much time it has left.
            models.CheckConstraint(
                condition=~Q(state=DeadlineState.PAUSED) | Q(remaining__isnull=False),
                name="cases_deadline_paused_keeps_remaining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_snapshot.get('key', self.rule_id)} {self.state} {self.due_at}"


class Notification(models.Model):
    """In-app notification and e-mail outbox row, written in the transaction of the change
    it reports; e-mail is sent after commit and re-sent by the sweep until it goes."""

    # CASCADE: a notification is a pure child of its recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notifications")
    deadline = models.ForeignKey(
        Deadline, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    # The change it reports, when a person made it (status moved, contact logged…).
    event = models.ForeignKey(
        CaseEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
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
            models.Index(fields=["recipient", "-created_at", "-id"], name="cases_notif_page"),
            # Unread badge: WHERE recipient_id = ? AND read_at IS NULL.
            models.Index(
                fields=["recipient"], name="cases_notif_unread", condition=Q(read_at__isnull=True)
            ),
            # Outbox: WHERE email_wanted AND email_sent_at IS NULL ORDER BY created_at.
            models.Index(
                fields=["created_at"],
                name="cases_notif_outbox",
                condition=Q(email_wanted=True, email_sent_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="cases_notification_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
