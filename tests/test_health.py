"""/healthz: what a load balancer and `docker compose` ask before sending traffic."""

import os
import time
from unittest import mock

import pytest
from django.db import OperationalError, connections

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# In CI CELERY_BROKER_URL points at Redis, and a broker that is down must fail the run.
BROKER_REQUIRED = bool(os.environ.get("CELERY_BROKER_URL"))


def test_healthz_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "down"}
    assert body["cache"] == "ok"  # Redis in CI (a down one fails the run), else memory
    if BROKER_REQUIRED:
        assert body["broker"] == "ok", "CELERY_BROKER_URL is set but the broker is unreachable"


def test_healthz_answers_plain_http_even_when_https_is_enforced(client, settings):
    # Probes come over plain HTTP from inside the network, behind the TLS proxy.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200


def test_healthz_needs_no_login_and_sets_no_cookie(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies


def test_healthz_is_503_when_the_database_is_unreachable(client):
    # The edge: the database driver refusing to give a cursor.
    with mock.patch.object(
        type(connections["default"]), "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.fixture
def dead_broker(monkeypatch):
    """Point the Celery app at a Redis port where nothing listens (refused at once)."""
    dead = "redis://127.0.0.1:1/0"
    conf = celery_app.conf
    # Saved before the environment changes: Celery's broker_url prefers CELERY_BROKER_URL
    # from the environment, so reading it afterwards would "restore" the dead URL.
    saved = {
        "broker_url": conf.broker_url,
        "broker_transport_options": conf.get("broker_transport_options", {}),
    }
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    conf.update(broker_url=dead, broker_transport_options={})
    yield
    conf.update(saved)


def test_a_dead_broker_is_reported_as_down_quickly(client, dead_broker):
    started = time.monotonic()
    response = client.get("/healthz")

    assert response.status_code == 200  # the web still serves; tasks wait in the outbox
    assert response.json() == {"database": "ok", "cache": "ok", "broker": "down"}
    assert time.monotonic() - started < 5


def test_a_redis_broker_gives_up_on_a_silent_server():
    """kombu waits for ever on a Redis that accepts but never answers: a web request's publish
    would hang until gunicorn killed the worker. The settings bound it."""
    import subprocess
    import sys

    from django.conf import settings as django_settings

    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_TRANSPORT_OPTIONS, s.CELERY_BROKER_CONNECTION_TIMEOUT]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    options, connect = json.loads(out)
    assert 0 < options["socket_connect_timeout"] <= 5
    assert 0 < options["socket_timeout"] <= 30
    assert 0 < connect <= 5
