import logging

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def database_status(connection) -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return "down"
    return "ok"


def broker_status() -> str:
    """Whether the Celery broker accepts a connection within about a second."""
    from config.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok"
    try:
        with app.connection_for_write() as conn:
            # One attempt, no retry: a probe must answer fast (a retry waits two seconds).
            conn.ensure_connection(max_retries=0, timeout=1)
    except Exception:  # any failure at all means the broker is not usable
        logger.warning("Health check: broker unreachable", exc_info=True)
        return "down"
    return "ok"
