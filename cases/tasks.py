from celery import shared_task

from cases.sweep import sweep_deadlines


@shared_task
def sweep_deadlines_task() -> dict:
    """Beat's minute tick: warn and breach what is due (safe to run on several workers)."""
    result = sweep_deadlines()
    return {"warned": result.warned, "breached": result.breached}


@shared_task
def deliver_notifications(ids: list[int] | None = None) -> int:
    """Send the pending e-mails among `ids` (all pending ones when None); safe to run twice."""
    from cases.notifications import deliver_pending

    return deliver_pending(ids=ids)
