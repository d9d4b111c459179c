"""Tasks held back while the broker was down, and sending them once it is back."""

import logging

from celery import current_app
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError

from outbox.models import PendingTask

logger = logging.getLogger(__name__)

# Rows one run sends; a larger backlog goes out over the next runs, a minute apart.
SEND_BATCH = 500


def keep_for_later(task_name: str, args, kwargs) -> None:
    """Store a task the broker did not take. Called after the request's transaction committed:
    if the database is gone too, the periodic sweeps (thumbnails, e-mail outbox) still find
    the work from its own rows, so this only logs."""
    try:
        PendingTask.objects.create(task_name=task_name, args=list(args), kwargs=dict(kwargs))
    except DatabaseError:
        logger.exception(
            "Could not keep %s for later: neither broker nor database answer", task_name
        )


def send_pending(*, batch: int = SEND_BATCH) -> int:
    """Publish held-back tasks, oldest first, each distinct call once; return how many rows were
    sent. Rows are deleted only after their task was published (a second run at the same time
    skips the rows this one holds)."""
    with transaction.atomic():
        rows = list(PendingTask.objects.select_for_update(skip_locked=True).order_by("id")[:batch])
        sent_ids, seen = [], set()
        for row in rows:
            call = (row.task_name, repr(row.args), repr(sorted(row.kwargs.items())))
            if call not in seen:
                try:
                    current_app.send_task(row.task_name, args=row.args, kwargs=row.kwargs)
                except OperationalError:
                    logger.warning("Broker still unreachable; %d held-back tasks wait", len(rows))
                    break
                seen.add(call)
            sent_ids.append(row.pk)
        PendingTask.objects.filter(pk__in=sent_ids).delete()
    return len(sent_ids)
