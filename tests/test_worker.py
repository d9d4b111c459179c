"""A real Celery worker, on the configured broker, runs a real task against the database.

In CI `CELERY_BROKER_URL` points at Redis: a broker that is down fails this test (it is
checked first, so the worker cannot hang waiting for it). Without it, the worker uses the
filesystem transport that `make run` uses, in a folder of its own.
"""

import datetime
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connections
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from config.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_queue(tmp_path):
    """A queue nobody else consumes: other test runs and a `make run` worker may share the
    broker. On the filesystem transport, a folder of its own too."""
    saved = {
        key: app.conf.get(key) for key in ("broker_transport_options", "worker_hijack_root_logger")
    }
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        queue_dir = tmp_path / "queue"
        queue_dir.mkdir()
        app.conf.broker_transport_options = {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "store_processed": False,
            "control_folder": str(tmp_path / "control"),
            "polling_interval": 0.1,
        }
    app.conf.worker_hijack_root_logger = False  # leave pytest's log capture alone
    _drop_pooled_connections()
    yield f"test-{uuid.uuid4().hex}"
    app.conf.update(saved)
    _drop_pooled_connections()


def _drop_pooled_connections():
    """Connections pooled by earlier tests carry the old transport options; publishing through
    them would go where no worker listens. Celery resets the same two pools after a fork."""
    app._pool = None
    app.amqp._producer_pool = None


def _close_db_after_task(**kwargs):
    # The worker thread has its own database connection; close it so the test database can
    # be dropped at the end of the run.
    connections.close_all()


def test_a_real_worker_clears_expired_sessions(private_queue):
    expired = SessionStore()
    expired["seen"] = True
    expired.set_expiry(-60)
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(days=1)
    )
    live = SessionStore()
    live["seen"] = True
    live.create()

    # Fails (not skips) when the configured broker is down.
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=5)

    task_postrun.connect(_close_db_after_task, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[private_queue]):
            clear_expired_sessions.apply_async(queue=private_queue)
            deadline = timezone.now() + datetime.timedelta(seconds=30)
            while Session.objects.filter(session_key=expired.session_key).exists():
                assert timezone.now() < deadline, "the worker did not run the task in 30 s"
                time.sleep(0.2)
    finally:
        task_postrun.disconnect(_close_db_after_task)

    assert Session.objects.filter(session_key=live.session_key).exists()
