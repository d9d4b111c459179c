"""How web processes talk to PostgreSQL: a kept connection, no parallel workers, no JIT."""

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_sessions_plan_without_parallel_workers_or_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL settings; CI runs this on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_connections_are_kept_and_checked_unless_pooled():
    database = settings.DATABASES["default"]
    if database["OPTIONS"].get("pool"):
        assert database["CONN_MAX_AGE"] == 0
    else:
        assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
