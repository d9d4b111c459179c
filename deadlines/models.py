"""The clocks: China's calendar overrides, the rules that start clocks, and the clocks."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from deadlines.choices import DeadlineState, DeadlineUnit, Trigger, WaitingOn


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
                fields=["date", "region"], name="deadlines_calendaroverride_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.region} {'work' if self.is_working_day else 'off'}"


class PublishedYear(models.Model):
    """A year whose official holiday schedule is final for a region, entered by staff once its
    holidays and make-up days (调休) are in the overrides, before a library release carries it.
    A year the bundled calendar data covers is final without a row; every date of a year that
    is neither is provisional (deadlines.calendar)."""

    region = models.CharField(_("region"), max_length=8, default="CN")
    # Bounded: a year like 0 or 40000 would make no calendar dates to recompute (a 500).
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=300)
    published_on = models.DateField(_("published on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("published year")
        verbose_name_plural = _("published years")
        ordering = ["region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"], name="deadlines_publishedyear_one_per_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class CalendarLibraryState(models.Model):
    """The calendar libraries the running clocks were last computed with, per region: when a
    deploy brings a newer `holidays` or `chinesecalendar`, `manage.py calendar_refresh`
    (run after migrate) sees the difference and recomputes the running clocks once."""

    region = models.CharField(_("region"), max_length=8, unique=True)
    libraries = models.CharField(_("libraries"), max_length=200)
    published_years = models.JSONField(_("years the libraries publish"), default=list)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("calendar library state")
        verbose_name_plural = _("calendar library states")

    def __str__(self) -> str:
        return f"{self.region}: {self.libraries}"


class DeadlineRule(models.Model):
    """A default that starts clocks (docs/deadline-rules.md), shipped as data, edited by staff.
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
    # What meets a clock besides the trigger's own answer: the seller appealing (the case
    # enters one of these statuses, or a contact of one of these filing types is logged).
    met_by_statuses = models.JSONField(_("met when the case enters"), default=list, blank=True)
    met_by_filing_types = models.JSONField(_("met by a filing"), default=list, blank=True)
    # Further conditions: empty lists mean any.
    case_kinds = models.JSONField(_("case kinds"), default=list, blank=True)
    platforms = models.JSONField(_("platforms"), default=list, blank=True)
    priority = models.CharField(_("priority"), max_length=16, blank=True)
    # For rules started by entering "decided": the decision results it runs against (the
    # appeal window against a rejection, a refund's arrival against a grant).
    decision_results = models.JSONField(_("decision results"), default=list, blank=True)
    duration = models.PositiveIntegerField(_("duration"))
    unit = models.CharField(_("unit"), max_length=16, choices=DeadlineUnit.choices)
    roll_over = models.BooleanField(_("rolls over a rest day"), default=False)
    # Why the rule rolls over or not (民法典 第二百零三、二百零四条; a platform's own period does
    # not), shown with the clock and in docs/deadline-rules.md.
    roll_over_reason = models.CharField(_("why (English)"), max_length=500, blank=True)
    roll_over_reason_zh = models.CharField(_("why (Chinese)"), max_length=500, blank=True)
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
            models.Index(fields=["trigger", "active"], name="deadlines_rule_trigger"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__in=DeadlineUnit.values), name="deadlines_deadlinerule_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=Trigger.values), name="deadlines_deadlinerule_trigger_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Deadline(models.Model):
    """One running clock on a case. `due_at` is computed when it starts (and on resume), so
    finding what is due is one indexed query."""

    # PROTECT: clocks are part of the case's record.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="deadlines")
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
    # The period's own last day when a roll-over (民法典 第二百零三条) moved the due date.
    rolled_from = models.DateField(_("originally due on"), null=True, blank=True)
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
                name="deadlines_due_running",
                condition=Q(state=DeadlineState.RUNNING),
            ),
            # The sweep's warnings: WHERE state = 'running' AND warn_at <= now.
            models.Index(
                fields=["warn_at"],
                name="deadlines_warn_running",
                condition=Q(state=DeadlineState.RUNNING, warn_at__isnull=False),
            ),
            # A case's clocks: WHERE case_id = ? ORDER BY due_at.
            models.Index(fields=["case", "state", "due_at"], name="deadlines_case"),
            # Staff dashboard's breached list: WHERE state = 'breached' ORDER BY settled_at
            # DESC, id DESC, the whole order (a sweep settles a batch in one moment), so the
            # first ten are read without sorting every breach.
            models.Index(
                fields=["-settled_at", "-id"],
                name="deadlines_breached",
                condition=Q(state=DeadlineState.BREACHED),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeadlineState.values), name="deadlines_deadline_state_valid"
            ),
            # A paused clock knows how much time it has left.
            models.CheckConstraint(
                condition=~Q(state=DeadlineState.PAUSED) | Q(remaining__isnull=False),
                name="deadlines_deadline_paused_keeps_remaining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_snapshot.get('key', self.rule_id)} {self.state} {self.due_at}"
