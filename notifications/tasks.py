from celery import shared_task

from notifications.delivery import deliver_pending


@shared_task
def deliver_notifications(ids: list[int] | None = None) -> int:
    """Send the pending e-mails among `ids` (all pending ones when None); safe to run twice."""
    return deliver_pending(ids=ids)
