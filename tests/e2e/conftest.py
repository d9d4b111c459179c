"""Browser tests: session and CSRF cookies over the live server's plain HTTP."""

import pytest


@pytest.fixture(autouse=True)
def _cookies_over_http(settings):
    # Read on every response, so a per-test override is enough.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
