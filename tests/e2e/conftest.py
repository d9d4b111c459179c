"""Browser tests: a live server over plain HTTP on localhost."""

import os

import pytest
from django.test import override_settings
from pytest_django import live_server_helper


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but reachable over plain HTTP.

    Tests run with the production setting SECURE_SSL_REDIRECT on. SecurityMiddleware reads it
    once, when the server's handler is built, so it is switched off only while starting: the
    rest of the session keeps the production value."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = live_server_helper.LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _cookies_over_http(settings):
    # Read on every response, so a per-test override is enough.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
