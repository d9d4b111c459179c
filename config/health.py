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


def cache_status() -> str:
    """Whether the shared cache (Redis) answers. Its outage does not make the web unhealthy:
    config.cache serves from memory and the database meanwhile."""
    from django.core.cache import caches

    cache = caches["default"]
    ping = getattr(cache, "ping", None)
    if ping is None:  # this process's memory: always there
        return "ok"
    return "ok" if ping() else "down"


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


def probe(url: str = "http://127.0.0.1:8000/healthz") -> int:
    """Exit status for a container healthcheck: 0 when /healthz answers 200.

    Asks with the first ALLOWED_HOSTS name as Host, since Django refuses any other."""
    import os
    import urllib.error
    import urllib.request

    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h.lstrip(".") for h in hosts if h != "*"), "localhost")
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            print(response.read().decode())
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {error}")
        return 1


if __name__ == "__main__":
    # `python -m config.health [URL]`: the healthcheck of the web container.
    import sys

    sys.exit(probe(*sys.argv[1:2]))
