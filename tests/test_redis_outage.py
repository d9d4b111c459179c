"""A Redis outage (broker and cache on one server, as docker-compose.yml ships) does not take
the site down: a real redis-server that each test starts, stops and starts again.

While it is down a seller signs in, files a case, uploads evidence, logs a contact and reads the
API; sessions come from the database, throttles still count (per process), /healthz says what
is down and stays 200. When it returns, the work held back (a thumbnail, the e-mails) is done by
a real worker within beat's next tick, each e-mail once.
"""

import shutil
import signal
import socket
import subprocess
import time
from io import BytesIO

import pytest
import redis
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings as django_settings
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

import config.cache
import config.tasks
from cases.models import Case
from config.cache import redis_caches
from config.celery import app
from conversations.services import message_post
from evidence.models import EvidenceItem
from notifications.models import Notification
from outbox.models import PendingTask
from tests.api.contact_helpers import list_url as contacts_url
from tests.api.contact_helpers import payload as contact_payload
from tests.api.evidence_helpers import upload
from tests.api.test_case_create import body as case_body
from tests.conftest import PASSWORD
from tests.shipped import ship_rules
from tests.test_worker import _close_db_after_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Seconds a request may take with Redis gone: the refused connection, not a retry loop.
QUICK = 2.0


class ThrowawayRedis:
    """A redis-server of the test's own on a free port, which keeps nothing on disk."""

    def __init__(self):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (CI installs and runs it)"
        self.binary = binary
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        # Like the machine's own Redis: nothing kept on disk.
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), *options],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client(1).ping():
                    return
            except redis.exceptions.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start in 10 s"
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def pause(self) -> None:
        """Stopped, not killed: connections hang instead of being refused, data is kept."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def client(self, db: int) -> redis.Redis:
        return redis.Redis(port=self.port, db=db, socket_timeout=1)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def throwaway_redis(settings, monkeypatch):
    """The project pointed at a Redis of the test's own for its cache, sessions and broker,
    as docker-compose.yml does with one Redis; tasks published for real (not run inline)."""
    server = ThrowawayRedis()
    server.start()
    settings.CACHES = redis_caches(server.url(1))
    settings.SECURE_SSL_REDIRECT = False  # the API clients below speak plain HTTP
    # Retry Redis and the broker after a fraction of a second, not five: the test waits less.
    monkeypatch.setattr(config.cache, "RETRY_SECONDS", 0.3)
    monkeypatch.setattr(config.cache, "_servers", {})
    monkeypatch.setattr(config.tasks, "BROKER_RETRY_SECONDS", 0.3)
    monkeypatch.setitem(config.tasks._broker, "down_until", 0.0)
    conf = app.conf
    saved = {
        key: conf.get(key)
        for key in (
            "broker_url",
            "broker_transport_options",
            "task_always_eager",
            "worker_hijack_root_logger",
        )
    }
    # Celery's broker_url prefers CELERY_BROKER_URL from the environment (see test_health).
    monkeypatch.setenv("CELERY_BROKER_URL", server.url(0))
    conf.update(
        broker_url=server.url(0),
        broker_transport_options={},
        task_always_eager=False,
        worker_hijack_root_logger=False,
    )
    _drop_pooled_connections()
    yield server
    server.kill()
    conf.update(saved)
    _drop_pooled_connections()


def _drop_pooled_connections():
    app._pool = None
    app.amqp._producer_pool = None


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    assert time.monotonic() - started < QUICK, f"{args[0]} took over {QUICK} s"
    return response


def _wait_until(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.1)


@pytest.fixture
def held_back_work_beat(tmp_path):
    """Beat with the project's entries for held-back tasks and the e-mail outbox, ticking
    every half second instead of every minute."""
    saved = app.conf.beat_schedule
    app.conf.beat_schedule = {
        name: {**entry, "schedule": 0.5, "options": {}}
        for name, entry in django_settings.CELERY_BEAT_SCHEDULE.items()
        if name in ("send-held-back-tasks", "resend-notifications")
    }
    assert len(app.conf.beat_schedule) == 2
    beat = EmbeddedService(
        app, thread=True, max_interval=0.5, schedule_filename=str(tmp_path / "beat")
    )
    yield beat
    if beat.is_alive():
        beat.stop()
    app.conf.beat_schedule = saved


def test_a_seller_keeps_working_through_a_redis_outage(
    throwaway_redis,
    alice,
    carol,
    smtp_inbox,
    held_back_work_beat,
    caplog,
):
    ship_rules()
    web = Client()
    assert (
        web.post("/login/", {"username": "alice", "password": PASSWORD}, secure=True).status_code
        == 302
    )

    throwaway_redis.stop()

    # Signed in before: the session is in the database.
    assert _timed(web.get, "/", secure=True).status_code == 200
    # Signing in anew, on the web and for a token.
    fresh = Client()
    response = _timed(
        fresh.post, "/login/", {"username": "alice", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    assert _timed(fresh.get, "/", secure=True).status_code == 200
    api = APIClient()
    response = _timed(
        api.post, "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201, response.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")

    # Filing a case, uploading evidence, logging a contact, reading the API and the page.
    response = _timed(api.post, "/api/v1/cases/", case_body(), format="json")
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    started = time.monotonic()
    assert upload(api, case, _png(), name="退店截图.png").status_code == 201
    assert time.monotonic() - started < QUICK
    response = _timed(api.post, contacts_url(case), contact_payload(), format="json")
    assert response.status_code == 201, response.content
    response = _timed(api.get, "/api/v1/cases/")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [case.reference]
    page = _timed(web.get, f"/cases/{case.reference}/", secure=True)
    assert page.status_code == 200
    assert case.reference in page.content.decode()

    # Staff answer; the seller's e-mail waits for the broker.
    message_post(actor=carol, case=case, body="我们已联系平台，请补充退店截图。")
    assert Notification.objects.filter(recipient=alice, email_sent_at=None).exists()

    # The throttles still count, in this process's memory: the token endpoint's 10 a minute.
    statuses = [
        api.post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"}).status_code
        for _ in range(12)
    ]
    assert 429 in statuses

    health = _timed(Client().get, "/healthz")
    assert health.status_code == 200
    assert health.json() == {"database": "ok", "cache": "down", "broker": "down"}
    assert "Redis cache at" in caplog.text and "unreachable" in caplog.text
    assert "Broker unreachable" in caplog.text
    held_back = set(PendingTask.objects.values_list("task_name", flat=True))
    assert "evidence.tasks.make_thumbnail" in held_back
    assert "notifications.tasks.deliver_notifications" in held_back
    assert not smtp_inbox.messages

    throwaway_redis.start()

    # Back: healthz says so once the retry interval has passed.
    _wait_until(lambda: Client().get("/healthz").json()["cache"] == "ok", "cache back", 5)
    assert Client().get("/healthz").json() == {"database": "ok", "cache": "ok", "broker": "ok"}

    task_postrun.connect(_close_db_after_task, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False):
            held_back_work_beat.start()
            item = EvidenceItem.objects.get(case=case)
            _wait_until(
                lambda: EvidenceItem.objects.get(pk=item.pk).thumbnail_name, "the thumbnail"
            )
            _wait_until(
                lambda: (
                    not Notification.objects.filter(email_sent_at=None, email_wanted=True).exists()
                ),
                "every e-mail sent",
            )
            _wait_until(lambda: not PendingTask.objects.exists(), "held-back tasks sent")
            sent = len(smtp_inbox.messages)
            time.sleep(2)  # four more beat ticks: nothing goes out twice
    finally:
        task_postrun.disconnect(_close_db_after_task)

    assert len(smtp_inbox.messages) == sent
    assert sent == Notification.objects.filter(email_sent_at__isnull=False).count() > 0
    recipients = [to for to, _message in smtp_inbox.messages]
    assert ["alice@example.cn"] in recipients


def test_a_sign_out_during_an_outage_holds_when_redis_returns_with_its_old_data(
    throwaway_redis, alice
):
    """Redis paused (not restarted), so it keeps what it held: the sign-out made meanwhile
    holds when it answers again, in every process (sessions are in the database)."""
    web = Client()
    web.post("/login/", {"username": "alice", "password": PASSWORD}, secure=True)
    assert web.get("/", secure=True).status_code == 200
    stolen = web.cookies["sessionid"].value

    throwaway_redis.pause()
    try:
        assert web.post("/logout/", secure=True).status_code == 302
    finally:
        throwaway_redis.resume()
    time.sleep(config.cache.RETRY_SECONDS + 0.1)

    thief = Client()
    thief.cookies["sessionid"] = stolen
    response = thief.get("/", secure=True)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_cache_is_used_again_after_an_outage_without_stale_entries(throwaway_redis):
    from django.core.cache import cache

    cache.set("dashboard", "before")
    throwaway_redis.pause()
    try:
        cache.set("dashboard", "during")  # kept in memory, Redis still says "before"
        assert cache.get("dashboard") == "during"
    finally:
        throwaway_redis.resume()
    time.sleep(config.cache.RETRY_SECONDS + 0.1)

    # Back: the key written meanwhile was dropped there, not read back stale.
    assert cache.get("dashboard") is None
    cache.set("dashboard", "after")
    assert throwaway_redis.client(1).keys("*dashboard*")


def test_held_back_tasks_are_sent_within_a_minute_of_the_brokers_return():
    """Beat's entry that the outage test above runs faster: in production, once a minute."""
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-held-back-tasks"]
    assert entry["task"] == "outbox.tasks.send_pending"
    assert entry["schedule"] <= 60
    assert entry["options"]["expires"] <= 60  # ticks missed while no worker ran are not piled up


def test_redis_still_down_after_the_retry_interval_is_not_taken_for_back(throwaway_redis, caplog):
    """With nothing written during the outage, the retry used to declare Redis back without
    asking it, logging "answers again" and "unreachable" in turn every few seconds."""
    from django.core.cache import cache

    throwaway_redis.stop()
    assert cache.get("dashboard") is None  # finds it down
    time.sleep(config.cache.RETRY_SECONDS + 0.1)

    assert cache.get("dashboard") is None  # still down: asked, and found so
    assert "answers again; dropped" not in caplog.text  # the recovery line
    assert caplog.text.count("is unreachable") == 1
