from celery import shared_task

from cases.sweep import sweep_deadlines


@shared_task
def sweep_deadlines_task() -> dict:
    """Beat's minute tick: warn and breach what is due (safe to run on several workers)."""
    result = sweep_deadlines()
    return {"warned": result.warned, "breached": result.breached}
