"""A real Celery worker, on the configured broker, runs a real task against the database.

In CI `CELERY_BROKER_URL` points at Redis: a broker that is down fails this test (it is
checked first, so the worker cannot hang waiting for it). Without it, the worker uses the
filesystem transport that `make run` uses, in a folder of its own.
"""

import contextlib
import datetime
import time
import uuid

import pytest
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connections
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from config.celery import app
from deadlines.choices import DeadlineState
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import rule_snapshot
from notifications.models import Notification
from tests.conftest import DETAILS
from tests.shipped import ship_rules

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_queue(tmp_path):
    """A queue nobody else consumes: other test runs and a `make run` worker may share the
    broker. On the filesystem transport, a folder of its own too."""
    queue = f"test-{uuid.uuid4().hex}"
    saved = {
        key: app.conf.get(key)
        for key in ("broker_transport_options", "worker_hijack_root_logger", "task_default_queue")
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
    # Tasks that tasks enqueue (the sweep's e-mail delivery) must reach this worker too.
    app.conf.task_default_queue = queue
    _drop_pooled_connections()
    yield queue
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


def _broker_must_be_up():
    # Fails (not skips) when the configured broker is down.
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=5)


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

    _broker_must_be_up()

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


# --- Deadlines: worker and beat breach a clock, and the e-mail goes out over SMTP ----------


@pytest.fixture
def fast_beat(private_queue, tmp_path):
    """Beat with the project's deadline and outbox entries ticking every half second, sending
    to the private queue (everything else on the app goes there too, see private_queue)."""
    saved = app.conf.beat_schedule
    app.conf.beat_schedule = {
        name: {**entry, "schedule": 0.5, "options": {}}
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"].startswith(("deadlines.", "notifications."))
    }
    assert any("sweep" in e["task"] for e in app.conf.beat_schedule.values())
    beat = EmbeddedService(
        app, thread=True, max_interval=0.5, schedule_filename=str(tmp_path / "beat")
    )
    yield beat
    if beat.is_alive():  # stopping a beat that never started waits for ever
        beat.stop()
    app.conf.beat_schedule = saved


@pytest.fixture
def shipped_rules(transactional_db):
    """The deadline rules ship in a data migration, which each transactional test's flush
    empties: put them back."""

    ship_rules()


def _deadline_due_in(case, seconds):
    rule = DeadlineRule.objects.get(key="seller.reply")
    now = timezone.now()
    return Deadline.objects.create(
        case=case,
        rule=rule,
        rule_snapshot=rule_snapshot(rule),
        waiting_on=rule.waiting_on,
        started_at=now - datetime.timedelta(hours=24),
        due_at=now + datetime.timedelta(seconds=seconds),
    )


def test_worker_and_beat_breach_a_clock_and_the_owner_gets_the_mail(
    private_queue, fast_beat, smtp_inbox, shipped_rules, make_user, make_case
):
    seller = make_user("lina", email="lina@example.cn", language="zh-hans")
    case = make_case(seller, title="抖店保证金迟迟不退")
    deadline = _deadline_due_in(case, 2)
    _broker_must_be_up()

    task_postrun.connect(_close_db_after_task, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[private_queue]):
            fast_beat.start()
            [(to, message)] = smtp_inbox.wait_for(1)
    finally:
        task_postrun.disconnect(_close_db_after_task)

    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    assert deadline.settled_at >= deadline.due_at
    assert to == ["lina@example.cn"]
    assert case.reference in message["Subject"]
    notification = Notification.objects.get(deadline=deadline, recipient=seller)
    assert notification.email_sent_at is not None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE_BREACHED).count() == 1


@contextlib.contextmanager
def _broker_down():
    """Point the app at a port nothing listens on: publishing fails at once, as it does
    when Redis is down."""
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    _drop_pooled_connections()
    try:
        yield
    finally:
        app.conf.broker_url = saved
        _drop_pooled_connections()


def test_with_the_broker_down_work_succeeds_and_the_mail_goes_out_once_it_is_back(
    private_queue, fast_beat, smtp_inbox, shipped_rules, settings, make_user, api_as
):
    settings.SECURE_SSL_REDIRECT = False
    seller = make_user("lina", email="lina@example.cn", language="zh-hans")
    staff = make_user("wang", role="staff", email="wang@recourse.example")
    seller_api, staff_api = api_as(seller), api_as(staff)

    with _broker_down():
        filed = seller_api.post(
            "/api/v1/cases/",
            {
                "kind": "deposit_refund",
                "platform": "douyin_shop",
                "title": "抖店退店后保证金 2000 元未退",
                "details": dict(DETAILS["deposit_refund"]),
            },
            format="json",
        )
        assert filed.status_code == 201, filed.content
        reference = filed.json()["reference"]
        transitions = f"/api/v1/cases/{reference}/transitions/"
        assert seller_api.post(transitions, {"to": "filed"}, format="json").status_code == 200
        contact = staff_api.post(
            f"/api/v1/cases/{reference}/contacts/",
            {
                "channel": "phone",
                "direction": "outbound",
                "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
                "counterpart": "抖店客服",
                "filing_type": "inquiry",
                "summary": "客服称保证金退还已转财务审核。",
            },
            format="json",
        )
        assert contact.status_code == 201, contact.content
        moved = staff_api.post(transitions, {"to": "in_review"}, format="json")
        assert moved.status_code == 200, moved.content

    case = Case.objects.get(reference=reference)
    assert case.status == "in_review"
    assert case.deadlines.filter(state=DeadlineState.RUNNING).exists()
    # What staff did is waiting for the seller in the outbox, not lost.
    waiting = Notification.objects.filter(recipient=seller, email_sent_at__isnull=True)
    assert waiting.count() == 2
    _broker_must_be_up()

    task_postrun.connect(_close_db_after_task, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[private_queue]):
            fast_beat.start()
            messages = smtp_inbox.wait_for(2)
            _wait_until(lambda: not waiting.exists())
            # A few more outbox ticks: what was sent is not sent again.
            time.sleep(1.5)
    finally:
        task_postrun.disconnect(_close_db_after_task)

    assert [to for to, _ in smtp_inbox.messages] == [["lina@example.cn"]] * 2
    assert all(reference in message["Subject"] for _, message in messages)
    assert Notification.objects.filter(recipient=seller, email_sent_at__isnull=False).count() == 2


def _wait_until(condition, *, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not done in {seconds} s"
        time.sleep(0.1)
