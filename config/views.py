from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 with each dependency's state; 503 when the database is unreachable."""
    from config.health import broker_status, database_status

    body = {"database": database_status(connection), "broker": broker_status()}
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)
