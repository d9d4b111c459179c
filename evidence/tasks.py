from celery import shared_task

from evidence.background import evidence_make_thumbnail, evidence_verify
from evidence.models import EvidenceItem

# Thumbnails the sweep makes per run, so a backlog cannot hold the worker for long.
THUMBNAIL_SWEEP_BATCH = 50


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def make_thumbnail(evidence_id: str) -> bool:
    item = EvidenceItem.objects.select_related("case").filter(pk=evidence_id).first()
    return item is not None and evidence_make_thumbnail(item=item)


@shared_task
def sweep_thumbnails() -> int:
    """Images whose thumbnail task was lost with a worker get one now (tasks the broker never
    took are the outbox's). Images that cannot have one are marked and not tried again, so
    they cannot hold up the batch."""
    pending = (
        EvidenceItem.objects.select_related("case")
        .filter(thumbnail_name="", thumbnail_error="", content_type__startswith="image/")
        .order_by("uploaded_at")[:THUMBNAIL_SWEEP_BATCH]
    )
    made = 0
    for item in pending:
        try:
            made += evidence_make_thumbnail(item=item)
        except OSError:
            continue
    return made


@shared_task
def verify_all_evidence() -> int:
    return evidence_verify().pk
