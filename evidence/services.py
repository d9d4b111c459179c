"""Every change to evidence goes through here, and each writes its `CaseEvent`.

Storage I/O (writing, reading back, deleting files) happens outside database transactions;
the transactions only lock the case, check its limits and write the rows."""

import logging
import uuid
import warnings
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.models import User
from cases import clock
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from config.errors import ConflictError, DomainError, TooLargeError, UnsupportedMediaError
from config.tasks import enqueue_on_commit
from evidence.choices import EvidenceKind
from evidence.files import ACCEPTED, HashingFile, check_type, clean_name, read_head
from evidence.images import pixel_budget
from evidence.models import EvidenceItem, evidence_storage
from notifications.services import notify_case_change

logger = logging.getLogger(__name__)

DESCRIPTION_MAX_LENGTH = 500


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _check_kind_and_description(kind: Any, description: Any) -> str:
    if kind not in EvidenceKind.values:
        raise DomainError(_("Choose what kind of evidence this is."), field="kind")
    description = " ".join(str(description or "").split())
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(
            _("A description has at most %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    return description


def _check_case_room(case: Case, *, adding: int) -> None:
    current = EvidenceItem.objects.filter(case=case, removed_at__isnull=True).aggregate(
        files=Count("id"), size=Sum("size")
    )
    if current["files"] + 1 > settings.EVIDENCE_MAX_FILES_PER_CASE:
        raise ConflictError(
            _("This case already holds %(max)d files. Remove some before adding more.")
            % {"max": settings.EVIDENCE_MAX_FILES_PER_CASE},
            code="case_file_limit",
            field="file",
        )
    if (current["size"] or 0) + adding > settings.EVIDENCE_MAX_BYTES_PER_CASE:
        raise TooLargeError(
            _("This file would take the case's evidence over %(max)s in all.")
            % {"max": _mb(settings.EVIDENCE_MAX_BYTES_PER_CASE)},
            code="case_size_limit",
            field="file",
        )


def _check_image(name: str) -> None:
    """Refuse images Pillow cannot read, and images beyond the pixel budget (evidence.images):
    their thumbnail would take a worker past its memory."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with evidence_storage().open(name) as stored, Image.open(stored) as image:
                width, height = image.size
                budget = pixel_budget(image.format)
                if width * height > budget:
                    raise TooLargeError(
                        _(
                            "This image is %(width)s by %(height)s pixels, more than the "
                            "%(budget)s million pixels an image may have. Please make it "
                            "smaller (screenshots and ordinary phone photos are within it) "
                            "and upload it again."
                        )
                        % {"width": width, "height": height, "budget": budget // 1_000_000},
                        code="image_too_large",
                        field="file",
                    )
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UnsupportedMediaError(
                _("This image has too many pixels to be opened safely."),
                code="image_too_large",
                field="file",
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise UnsupportedMediaError(
                _("This image is damaged and cannot be opened."), code="image_damaged", field="file"
            ) from None


def evidence_attach(
    *,
    actor: User,
    case: Case,
    upload,
    kind: str,
    description: str = "",
    captured_on=None,
) -> EvidenceItem:
    """Keep an uploaded file as evidence on a case.

    1. Check kind, description, size and the content type (sniffed from the bytes).
    2. Stream the file into storage under a generated name, hashing it on the way.
    3. Images: refuse what Pillow cannot open safely.
    4. Lock the case, check its limits, write the item and its event; thumbnail after commit.
    Any refusal after step 2 deletes the stored file: nothing half-written is left.
    """
    description = _check_kind_and_description(kind, description)
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("This file is empty."), code="empty_file", field="file")
    if size > settings.EVIDENCE_MAX_FILE_SIZE:
        raise TooLargeError(
            _("This file is %(size)s; a file may be at most %(max)s.")
            % {"size": _mb(size), "max": _mb(settings.EVIDENCE_MAX_FILE_SIZE)},
            code="file_too_large",
            field="file",
        )
    name = clean_name(upload.name)
    content_type = check_type(head=read_head(upload), name=name, open_file=upload)
    _check_case_room(case, adding=size)

    hashing = HashingFile(upload)
    stored = evidence_storage().save(f"{case.reference}/{uuid.uuid4().hex}", hashing)
    try:
        if hashing.bytes_read != size:
            raise DomainError(_("The upload was cut short. Please try again."), field="file")
        if ACCEPTED[content_type].is_image:
            _check_image(stored)
        item = _record_upload(
            actor=actor,
            case=case,
            kind=kind,
            description=description,
            captured_on=captured_on,
            original_name=name,
            content_type=content_type,
            size=size,
            sha256=hashing.sha256.hexdigest(),
            stored=stored,
        )
    except BaseException:
        evidence_storage().delete(stored)
        raise
    return item


@transaction.atomic
def _record_upload(*, actor, case, stored, **fields) -> EvidenceItem:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_case_room(case, adding=fields["size"])
    now = clock.now()
    item = EvidenceItem.objects.create(
        case=case, stored_name=stored, uploaded_by=actor, uploaded_at=now, **fields
    )
    Case.objects.filter(pk=case.pk).update(updated_at=now)
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.EVIDENCE_ADDED,
        actor=actor,
        created_at=now,
        note=item.description,
        changes={"evidence": _summary(item)},
    )
    notify_case_change(event=event)
    if item.is_image:
        from evidence.tasks import make_thumbnail

        enqueue_on_commit(make_thumbnail, str(item.pk))
    return item


def _summary(item: EvidenceItem) -> dict:
    return {
        "id": str(item.pk),
        "name": item.original_name,
        "kind": item.kind,
        "size": item.size,
        "sha256": item.sha256,
    }


@transaction.atomic
def evidence_update(
    *, actor: User, item: EvidenceItem, kind: str | None = None, description: str | None = None
) -> EvidenceItem:
    """Change what an item is said to be. The file itself never changes."""
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    if item.is_removed:
        raise ConflictError(_("This evidence was removed and can no longer be edited."))
    new_kind = item.kind if kind is None else kind
    new_description = _check_kind_and_description(
        new_kind, item.description if description is None else description
    )
    diff = {}
    for name, new in (("kind", new_kind), ("description", new_description)):
        old = getattr(item, name)
        if old != new:
            diff[name] = {"old": old, "new": new}
            setattr(item, name, new)
    if not diff:
        return item
    now = clock.now()
    item.save(update_fields=list(diff))
    Case.objects.filter(pk=item.case_id).update(updated_at=now)
    event = CaseEvent.objects.create(
        case_id=item.case_id,
        kind=EventKind.EVIDENCE_EDITED,
        actor=actor,
        created_at=now,
        changes={"evidence": _summary(item), **diff},
    )
    notify_case_change(event=event)
    return item


@transaction.atomic
def evidence_remove(*, actor: User, item: EvidenceItem, reason: str = "") -> EvidenceItem:
    """Take an item off the case. Its file stays stored and staff still see it."""
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk)
    if item.is_removed:
        raise ConflictError(_("This evidence was already removed."), code="already_removed")
    reason = " ".join((reason or "").split())
    if len(reason) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(
            _("A reason has at most %(max)d characters.") % {"max": DESCRIPTION_MAX_LENGTH},
            field="reason",
        )
    now = clock.now()
    item.removed_at, item.removed_by = now, actor
    item.save(update_fields=["removed_at", "removed_by"])
    Case.objects.filter(pk=item.case_id).update(updated_at=now)
    event = CaseEvent.objects.create(
        case_id=item.case_id,
        kind=EventKind.EVIDENCE_REMOVED,
        actor=actor,
        created_at=now,
        note=reason,
        changes={"evidence": _summary(item)},
    )
    notify_case_change(event=event)
    return item
