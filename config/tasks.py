"""Enqueueing Celery tasks: only after the transaction that made the work commits."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` once the current transaction commits. A broker that is down must not fail
    the request that already succeeded: the periodic sweeps pick up what was not sent."""

    def send():
        try:
            task.delay(*args, **kwargs)
        except OperationalError:
            logger.warning("Broker unreachable; %s will be picked up by its sweep", task.name)

    transaction.on_commit(send)
