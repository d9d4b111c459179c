"""What the worker does with stored files (evidence.tasks): thumbnails of images and the
integrity check that re-hashes every file. Apart from the services, which enqueue the tasks."""

import contextlib
import logging

from django.core.files.base import ContentFile
from PIL import UnidentifiedImageError

from cases import clock
from cases.models import Case
from evidence.files import sha256_of
from evidence.images import OverBudget, thumbnail_jpeg
from evidence.models import EvidenceItem, IntegrityCheck, evidence_storage

logger = logging.getLogger(__name__)

# Errors reading the stored file, not decoding it: worth retrying, unlike a damaged image.
_STORAGE_TROUBLE = (FileNotFoundError, PermissionError, ConnectionError, TimeoutError)


def evidence_verify(*, case: Case | None = None) -> IntegrityCheck:
    """Re-hash every stored file (of one case, or all) and record what changed or is missing."""
    started = clock.now()
    items = EvidenceItem.objects.select_related("case").order_by("uploaded_at", "id")
    if case is not None:
        items = items.filter(case=case)
    checked, mismatches, missing = 0, [], []
    for item in items.iterator(chunk_size=500):
        checked += 1
        where = {"id": str(item.pk), "case": item.case.reference, "name": item.original_name}
        try:
            with item.open_file() as stored:
                actual = sha256_of(stored)
        except (FileNotFoundError, OSError):
            missing.append(where)
            continue
        if actual != item.sha256:
            mismatches.append({**where, "expected": item.sha256, "actual": actual})
    check = IntegrityCheck.objects.create(
        started_at=started,
        finished_at=clock.now(),
        scope=case.reference if case else "",
        checked=checked,
        mismatches=mismatches,
        missing=missing,
    )
    if not check.ok:
        logger.error(
            "Evidence integrity check: %d changed, %d missing", len(mismatches), len(missing)
        )
    return check


def evidence_make_thumbnail(*, item: EvidenceItem) -> bool:
    """Write a small JPEG of an image item; False when there is nothing to do or the image
    cannot be made into one (the reason is kept, and the sweep does not try it again)."""
    if not item.is_image or item.thumbnail_name or item.thumbnail_error:
        return False
    storage = evidence_storage()
    # Reading the stored file may fail for a moment (the task retries on OSError); what Pillow
    # makes of the bytes will not change on a retry.
    with item.open_file() as stored:
        try:
            data = thumbnail_jpeg(stored)
        except _STORAGE_TROUBLE:
            raise  # a moment's trouble reading: the task retries
        except (OverBudget, UnidentifiedImageError, SyntaxError, ValueError, OSError) as error:
            # Damaged, over the pixel budget, a format Pillow refuses: it will not change.
            reason = f"{type(error).__name__}: {error}"[:200]
            logger.warning("No thumbnail for evidence %s: %s", item.pk, reason)
            EvidenceItem.objects.filter(pk=item.pk).update(thumbnail_error=reason)
            return False
    name = storage.save(f"{item.case.reference}/thumbs/{item.pk.hex}.jpg", ContentFile(data))
    updated = EvidenceItem.objects.filter(pk=item.pk, thumbnail_name="").update(thumbnail_name=name)
    if not updated:  # another worker made one first
        with contextlib.suppress(OSError):
            storage.delete(name)
    return bool(updated)
