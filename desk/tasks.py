from celery import shared_task

from desk.dashboard import Filters, dashboard_refresh

# Longer than beat's one-minute tick, so the unfiltered page is always served from the cache
# while the worker runs; a tick that is late or lost leaves a page at most two minutes old.
WARM_SECONDS = 120


@shared_task
def refresh_dashboard() -> None:
    """Keep the unfiltered staff dashboard computed (its scans take seconds at a million
    cases). Needs a cache shared with the web processes (Redis) to help them."""
    dashboard_refresh(Filters(), seconds=WARM_SECONDS)
