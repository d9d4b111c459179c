"""The clocks' Celery tasks: beat's minute sweep and the recomputation after a calendar edit."""

from datetime import date

from celery import shared_task
from django.db import OperationalError

from deadlines.recompute import clocks_recompute
from deadlines.sweep import sweep_deadlines

# A clock a service or the sweep held is tried again after this long: long enough for
# their short transactions to end.
RETRY_BUSY_AFTER = 30  # seconds


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_clocks_task(
    region: str, dates: list[str], ids: list[int] | None = None, reason: dict | None = None
) -> dict:
    """Recompute the running clocks a calendar edit affects (safe to run twice). Clocks that
    were busy are retried in a task of their own."""
    days = [date.fromisoformat(day) for day in dates]
    result = clocks_recompute(region=region, dates=days, ids=ids, reason=reason)
    if result.skipped:
        recompute_clocks_task.apply_async(
            kwargs={"region": region, "dates": dates, "ids": result.skipped, "reason": reason},
            countdown=RETRY_BUSY_AFTER,
        )
    return result._asdict()


@shared_task
def sweep_deadlines_task() -> dict:
    """Beat's minute tick: warn and breach what is due (safe to run on several workers)."""
    result = sweep_deadlines()
    return {"warned": result.warned, "breached": result.breached}


# The names these tasks had before issue 12 moved them out of `cases`. A message the previous
# release queued (a recompute retried 30 s later, a sweep beat sent during the upgrade) would
# otherwise be dropped by the new workers as unknown; it is passed on under the new name.
# Remove once no message of that release can be waiting.
@shared_task(name="cases.recompute_tasks.recompute_clocks_task")
def recompute_clocks_task_old_name(region: str, dates: list[str], ids=None) -> None:
    recompute_clocks_task.delay(region=region, dates=dates, ids=ids)


@shared_task(name="cases.tasks.sweep_deadlines_task")
def sweep_deadlines_task_old_name() -> None:
    sweep_deadlines_task.delay()
