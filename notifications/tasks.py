from celery import shared_task

from notifications.delivery import deliver_pending


@shared_task
def deliver_notifications(ids: list[int] | None = None) -> int:
    """Send the pending e-mails among `ids` (all pending ones when None); safe to run twice."""
    return deliver_pending(ids=ids)


# Its name before issue 12 moved it out of `cases`: a message the previous release queued is
# passed on under the new name instead of being dropped as unknown (see deadlines.tasks).
@shared_task(name="cases.tasks.deliver_notifications")
def deliver_notifications_old_name(ids: list[int] | None = None) -> None:
    deliver_notifications.delay(ids=ids)
