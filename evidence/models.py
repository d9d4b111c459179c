import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import clock
from evidence.choices import EvidenceKind


def evidence_storage():
    return storages["evidence"]


class EvidenceItem(models.Model):
    """One uploaded file. Its bytes never change; kind and description may be edited, and
    removal only marks it removed (staff still see it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # PROTECT: evidence outlives any attempt to delete its case.
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EvidenceKind.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Names in STORAGES["evidence"]; always opened through `evidence_storage()` so that the
    # configured storage is the one read, whatever it was when this module was imported.
    stored_name = models.CharField(_("stored as"), max_length=255, unique=True, editable=False)
    thumbnail_name = models.CharField(_("thumbnail"), max_length=255, blank=True, editable=False)
    # Why no thumbnail could be made (damaged, over the pixel budget): the sweep skips these.
    thumbnail_error = models.CharField(
        _("thumbnail error"), max_length=200, blank=True, editable=False
    )
    captured_on = models.DateField(_("captured on"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now, editable=False)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["uploaded_at", "id"]
        indexes = [
            # Evidence list of a case: WHERE case_id = ? [AND removed_at IS NULL] ORDER BY
            # uploaded_at; also the per-case count and size limits.
            models.Index(
                fields=["case", "removed_at", "uploaded_at"], name="evidence_case_current"
            ),
            # Thumbnail sweep: images still without a thumbnail that may yet get one.
            models.Index(
                fields=["uploaded_at"],
                name="evidence_thumbnail_pending",
                condition=Q(
                    thumbnail_name="", thumbnail_error="", content_type__startswith="image/"
                ),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_evidenceitem_kind_valid"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_evidenceitem_not_empty"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="evidence_evidenceitem_sha256_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def open_file(self):
        return evidence_storage().open(self.stored_name, "rb")

    def open_thumbnail(self):
        return evidence_storage().open(self.thumbnail_name, "rb")

    @property
    def is_image(self) -> bool:
        from evidence.files import ACCEPTED

        accepted = ACCEPTED.get(self.content_type)
        return bool(accepted and accepted.is_image)


class IntegrityCheck(models.Model):
    """One run of re-hashing stored evidence (the weekly task or `verify_evidence`)."""

    started_at = models.DateTimeField(_("started at"), default=clock.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=20, blank=True)  # a case reference, or all
    checked = models.PositiveIntegerField(_("files checked"), default=0)
    # [{"id", "case", "name", "expected", "actual"}] and [{"id", "case", "name"}]
    mismatches = models.JSONField(_("changed files"), default=list, blank=True)
    missing = models.JSONField(_("missing files"), default=list, blank=True)

    class Meta:
        verbose_name = _("integrity check")
        verbose_name_plural = _("integrity checks")
        ordering = ["-started_at"]
        indexes = [
            # Latest check on the staff dashboard: ORDER BY started_at DESC LIMIT 1.
            models.Index(fields=["-started_at"], name="evidence_check_latest"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.started_at).strftime("%Y-%m-%d %H:%M")
        scope = self.scope or _("all cases")
        return f"{when} · {scope}"

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.missing
