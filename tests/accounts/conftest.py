import pytest
from django.test import Client


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on)."""

    def generic(self, method, path, data="", content_type="application/octet-stream", **extra):
        extra["secure"] = True
        return super().generic(method, path, data, content_type, **extra)


@pytest.fixture
def client():
    return HttpsClient()
