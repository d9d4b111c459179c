from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.choices import FilingType, Platform
from channels.choices import BodyKind, Channel, Direction


class ExternalBody(models.Model):
    """A place a seller can file: a platform's desk, a regulator, a court. Shipped as data,
    edited by staff in the admin. Texts come in English and Chinese."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=BodyKind.choices)
    platform = models.CharField(_("platform"), max_length=32, choices=Platform.choices, blank=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    how_to_file = models.TextField(_("how to file (English)"), blank=True)
    how_to_file_zh = models.TextField(_("how to file (Chinese)"), blank=True)
    reference_hint = models.CharField(_("reference it gives (English)"), max_length=300, blank=True)
    reference_hint_zh = models.CharField(
        _("reference it gives (Chinese)"), max_length=300, blank=True
    )
    clock = models.TextField(_("statutory clock (English)"), blank=True)
    clock_zh = models.TextField(_("statutory clock (Chinese)"), blank=True)
    # Keys of docs/deadline-rules.md's rules that filing here starts, e.g. ["samr.accept_decision"].
    rule_keys = models.JSONField(_("deadline rules"), default=list, blank=True)
    # Filing types only a consumer may use here (12315 takes a merchant's matter as a report).
    consumer_only_filings = models.JSONField(_("consumer-only filings"), default=list, blank=True)
    url = models.URLField(_("web address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("external body")
        verbose_name_plural = _("external bodies")
        ordering = ["sort_order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BodyKind.values), name="channels_externalbody_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def _localized(self, field: str) -> str:
        chinese = (get_language() or "").startswith("zh")
        value = getattr(self, f"{field}_zh") if chinese else ""
        return value or getattr(self, field)

    @property
    def display_name(self) -> str:
        return self._localized("name")

    @property
    def display_how_to_file(self) -> str:
        return self._localized("how_to_file")

    @property
    def display_reference_hint(self) -> str:
        return self._localized("reference_hint")

    @property
    def display_clock(self) -> str:
        return self._localized("clock")


class ChannelEntry(models.Model):
    """One contact with a platform or external body ("contact" in the UI and API). Never
    deleted; a correction is an edit with its own audit event."""

    # PROTECT: the contact log is part of the case's record.
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="contacts"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    occurred_at = models.DateTimeField(_("when"))
    counterpart = models.CharField(_("who"), max_length=120, blank=True)
    body = models.ForeignKey(
        ExternalBody,
        verbose_name=_("external body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    filing_type = models.CharField(_("type of filing"), max_length=20, choices=FilingType.choices)
    external_reference = models.CharField(_("reference number"), max_length=100, blank=True)
    summary = models.TextField(_("summary"), max_length=2000)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    evidence = models.ManyToManyField(
        "evidence.EvidenceItem", verbose_name=_("evidence"), blank=True, related_name="contacts"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("logged at"), default=clock.now, editable=False)
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The case's contacts, newest first (timeline, "waiting for a reply"):
            # WHERE case_id = ? [AND channel = ?] ORDER BY occurred_at DESC.
            models.Index(fields=["case", "-occurred_at"], name="channels_entry_case_when"),
            # Search by a platform's or regulator's reference number (staff desk).
            models.Index(fields=["external_reference"], name="channels_entry_reference"),
            # Follow-ups due (deadline engine): WHERE follow_up_on <= ?.
            models.Index(
                fields=["follow_up_on"],
                name="channels_entry_follow_up",
                condition=Q(follow_up_on__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="channels_channelentry_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values),
                name="channels_channelentry_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(filing_type__in=FilingType.values),
                name="channels_channelentry_filing_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d} {self.counterpart}"

    @property
    def is_corrected(self) -> bool:
        return self.corrected_at is not None
