from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 with each dependency's state; 503 only when the database is unreachable. A cache or
    broker outage is reported but is not the web's fault: restarting it would not help, and it
    keeps serving (config.cache, config.tasks)."""
    from config.health import broker_status, cache_status, database_status

    body = {
        "database": database_status(connection),
        "cache": cache_status(),
        "broker": broker_status(),
    }
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)
