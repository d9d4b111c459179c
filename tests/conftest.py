"""Shared fixtures: named personas and a case factory.

Alice and Bob are sellers who must never see each other's cases; Carol is support staff.
"""

import os
import shutil
import socket
import time
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

# Playwright's sync API keeps an event loop in the main thread; Django's ORM must still run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("RECOURSE_BROWSER_TESTS") == "1"
PASSWORD = "Tr1cky-Passw0rd!"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """1. Browser tests run when Chromium is here. CI sets RECOURSE_BROWSER_TESTS=1 so a
    missing browser fails the run instead of skipping it.
    2. Transactional tests last, as pytest-django orders them: each one ends by flushing the
    database, data migrations' rows included (the directory of external bodies). Plugins that
    regroup tests after pytest-django (pytest-playwright, by browser) would otherwise put them
    before ordinary tests that rely on that data."""
    has_browser = shutil.which(CHROMIUM) is not None
    for item in items:
        if "browser" in item.keywords and not has_browser and not BROWSER_REQUIRED:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} not installed"))
    items.sort(key=_flushes_the_database)


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # whitenoise's manifest storage needs collectstatic, which tests do not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_login_lockout_between_tests(settings):
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; personas only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    """Each test keeps its evidence files in a folder of its own."""
    folder = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    return folder


@pytest.fixture(autouse=True)
def _tasks_run_inline(request):
    """Tasks run in the test's own process; the worker tests start a real worker instead."""
    if "worker" in request.keywords:
        yield
        return
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _services_up_again():
    """A test that took the broker or Redis away must not leave this process believing it is
    still away (config.tasks and config.cache stop asking for a few seconds)."""
    import config.cache
    import config.tasks

    yield
    config.tasks._broker["down_until"] = 0.0
    config.cache._servers.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    from accounts.services import user_create

    def make(username, *, role="seller", **fields):
        user = user_create(
            username=username, password=PASSWORD, role=role, email=f"{username}@example.cn"
        )
        for name, value in fields.items():
            setattr(user, name, value)
        if fields:
            user.save()
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


@pytest.fixture
def carol(make_user):
    return make_user("carol", role="staff")


DETAILS = {
    "deposit_refund": {"store_id": "DS-88231", "deposit_amount": "2000.00"},
    "store_removal": {
        "store_id": "DS-1200",
        "violation_cited": "涉嫌售假",
        "notice_received_on": "2026-10-02",
    },
    "account_ban": {"account_id": "dy_4432", "ban_type": "permanent", "banned_on": "2026-09-30"},
    "content_takedown": {
        "content_url": "https://www.douyin.com/video/7301",
        "takedown_reason": "copyright",
        "taken_down_on": "2026-10-10",
    },
    "purchase_complaint": {
        "order_number": "TB2026101100012",
        "amount_paid": "399.00",
        "merchant_name": "某某旗舰店",
        "purchased_on": "2026-10-01",
        "issue": "not_as_described",
    },
}


@pytest.fixture
def make_case(db):
    from cases.services import case_create

    def make(owner, *, kind="deposit_refund", **fields):
        fields.setdefault("platform", "douyin_shop")
        fields.setdefault("title", "抖店保证金迟迟不退")
        fields.setdefault("details", dict(DETAILS[kind]))
        return case_create(actor=owner, kind=kind, **fields)

    return make


@pytest.fixture
def alice_case(alice, make_case):
    return make_case(alice)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def token_for(db):
    from accounts.services import token_create

    def make(user):
        return token_create(actor=user, name="tests")[1]

    return make


@pytest.fixture
def api_as(token_for):
    """An API client authenticated with a real token of that user."""
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
        return client

    return make


# --- Browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but reachable over plain HTTP.

    Tests run with the production setting SECURE_SSL_REDIRECT on. SecurityMiddleware reads it
    once, when the server's handler is built, so it is switched off only while starting: the
    rest of the session keeps the production value. Tests using it need `transactional_db`:
    the server thread opens its own database connection."""
    from django.test import override_settings
    from pytest_django import live_server_helper

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = live_server_helper.LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def base_url():
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


# --- A real SMTP server (worker tests) ------------------------------------------------


class _Inbox:
    """A real SMTP server on a free local port: the edge we do not own, stood in for by a
    server that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.original_content or envelope.content))
        )
        return "250 OK"

    def wait_for(self, count, *, seconds=30):
        deadline = time.monotonic() + seconds
        while len(self.messages) < count:
            assert time.monotonic() < deadline, (
                f"{len(self.messages)} of {count} e-mails in {seconds} s"
            )
            time.sleep(0.1)
        return self.messages


@pytest.fixture
def smtp_inbox(settings):
    inbox = _Inbox()
    # aiosmtpd needs a port number up front: take one the kernel hands out.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": controller.port,
                "use_tls": False,
                "timeout": 5,
            },
        }
    }
    yield inbox
    controller.stop()
