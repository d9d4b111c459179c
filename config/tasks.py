"""Enqueueing Celery tasks: only after the transaction that made the work commits, and never
failing or holding up the request that made it when the broker is down."""

import logging
import threading
import time

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# After a failed publish, this process does not try the broker again for this long: a refused
# connection costs ~0.7 s of kombu's retries, which every upload and reply would otherwise pay.
BROKER_RETRY_SECONDS = 5.0
_broker = {"down_until": 0.0}
_lock = threading.Lock()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` once the current transaction commits. A broker that is down must not fail
    the request that already succeeded: the task is kept in the database (outbox.PendingTask)
    and sent within a minute of the broker's return."""
    transaction.on_commit(lambda: enqueue_now(task, *args, **kwargs))


def enqueue_now(task, *args, **kwargs) -> bool:
    """Publish `task`; True when the broker took it, False when it was kept for later."""
    from outbox.services import keep_for_later

    if time.monotonic() < _broker["down_until"]:
        keep_for_later(task.name, args, kwargs)
        return False
    try:
        task.delay(*args, **kwargs)
    except OperationalError as error:
        with _lock:
            first = not _broker["down_until"]
            _broker["down_until"] = time.monotonic() + BROKER_RETRY_SECONDS
        if first:
            logger.warning(
                "Broker unreachable (%s): tasks are kept in the database and sent when it "
                "returns; retrying every %s s",
                error,
                BROKER_RETRY_SECONDS,
            )
        keep_for_later(task.name, args, kwargs)
        return False
    if _broker["down_until"]:
        with _lock:
            _broker["down_until"] = 0.0
        logger.warning("Broker answers again")
    return True
