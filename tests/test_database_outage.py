"""The database unreachable: a 503 in the reader's language (JSON with Retry-After under /api/),
nothing written, and the next request after it returns is served without a restart.

The connection is really refused on PostgreSQL (CI): the test points the connection at a port
where nothing listens. SQLite's test database lives in memory and cannot be taken away, so there
the driver's cursor refuses instead.
"""

import contextlib
import socket
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client

from cases.models import Case
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def database_unreachable():
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        with socket.socket() as probe:  # a port the kernel just handed out: nothing listens
            probe.bind(("127.0.0.1", 0))
            dead_port = probe.getsockname()[1]
        connection.settings_dict.update(HOST="127.0.0.1", PORT=dead_port)
        refusing = contextlib.nullcontext()
    else:
        refusing = mock.patch.object(
            type(connections["default"]),
            "cursor",
            side_effect=OperationalError("unable to open database"),
        )
    try:
        with refusing:
            yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture
def signed_in(alice, settings):
    settings.SECURE_SSL_REDIRECT = False
    # Sessions in the database (the machine's default without Redis): the outage must be
    # answered even where the session itself cannot be read.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    web = Client(raise_request_exception=False)
    assert web.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    return web


@pytest.mark.parametrize(
    ("language", "text"),
    [("zh-hans", "服务暂时不可用，请稍后重试"), ("en", "Service temporarily unavailable")],
)
def test_pages_answer_503_in_the_readers_language(signed_in, language, text):
    with database_unreachable():
        response = signed_in.get("/cases/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("text/html")
    assert text in response.content.decode()
    assert "Server Error" not in response.content.decode()


def test_the_api_answers_json_503_with_retry_after(alice, token_for, settings):
    settings.SECURE_SSL_REDIRECT = False
    api = Client(raise_request_exception=False)
    headers = {"HTTP_AUTHORIZATION": f"Token {token_for(alice)}", "HTTP_ACCEPT_LANGUAGE": "en"}
    assert api.get("/api/v1/cases/", **headers).status_code == 200
    with database_unreachable():
        response = api.get("/api/v1/cases/", **headers)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json() == {
        "detail": "Service temporarily unavailable; please try again shortly.",
        "code": "service_unavailable",
    }


def test_a_case_filed_while_the_database_is_down_is_refused_and_nothing_is_written(
    alice, token_for, settings
):
    settings.SECURE_SSL_REDIRECT = False
    api = Client(raise_request_exception=False)
    body = {
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "退店后保证金未退",
        "details": {"store_id": "DS-1", "deposit_amount": "2000.00"},
    }
    token = token_for(alice)
    with database_unreachable():
        response = api.post(
            "/api/v1/cases/",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    assert response.status_code == 503
    assert not Case.objects.exists()
    # The same request with the database back is filed: it was the outage that refused it.
    response = api.post(
        "/api/v1/cases/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert response.status_code == 201, response.content


def test_service_resumes_without_a_restart_when_the_database_returns(signed_in):
    with database_unreachable():
        assert signed_in.get("/cases/").status_code == 503

    response = signed_in.get("/cases/")

    assert response.status_code == 200


def test_other_server_errors_stay_a_500_without_a_retry_hint(signed_in, monkeypatch):
    from cases import views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "cases_visible_to", broken, raising=True)
    response = signed_in.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong on our side" in response.content.decode()
