from celery import shared_task

from outbox.services import send_pending as send_pending_rows


@shared_task
def send_pending() -> int:
    """Publish the tasks held back during a broker outage (beat runs this every minute)."""
    return send_pending_rows()
