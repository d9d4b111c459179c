"""POST /api/v1/auth/token/ — the operations contract: 201 {"token": "…"}."""

import pytest

from accounts.models import ApiToken
from tests.conftest import PASSWORD

URL = "/api/v1/auth/token/"


def test_valid_credentials_get_a_working_token(api_client, alice):
    response = api_client.post(
        URL, {"username": "alice", "password": PASSWORD, "name": "ERP"}, format="json"
    )
    assert response.status_code == 201
    assert set(response.json()) == {"token"}
    assert response["Cache-Control"] == "no-store"
    key = response.json()["token"]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "ERP"
    assert key not in (token.digest, token.prefix)  # only the hash is stored

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/cases/").status_code == 200


def test_name_is_optional_and_form_encoding_works(api_client, alice):
    response = api_client.post(URL, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 201
    assert ApiToken.objects.get(user=alice).name


def test_getting_a_token_records_the_sign_in(api_client, alice):
    assert alice.last_login is None
    api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    alice.refresh_from_db()
    assert alice.last_login is not None


@pytest.mark.parametrize(
    "body",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_bad_credentials_are_a_400_with_a_message(api_client, alice, body):
    response = api_client.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert "password" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named(api_client, db):
    response = api_client.post(URL, {"username": "alice"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"password"}


def test_inactive_user_gets_no_token(api_client, alice):
    alice.is_active = False
    alice.save()
    response = api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_stale_token_header_does_not_block_getting_a_new_token(api_client, alice):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 201


def test_token_endpoint_is_throttled(api_client, alice, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    # DRF copies the rates from settings once, at import.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "token", "3/min")
    body = {"username": "alice", "password": PASSWORD}
    codes = [api_client.post(URL, body, format="json").status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    assert ApiToken.objects.count() == 3


def test_password_guessing_locks_the_username_out(api_client, alice, settings):
    """django-axes counts API failures like web ones; once locked, even the right password
    is refused, with JSON (not axes' HTML page)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        response = api_client.post(URL, {"username": "alice", "password": "guess"}, format="json")
        assert response.status_code == 400
    response = api_client.post(URL, {"username": "alice", "password": "guess"}, format="json")
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0

    response = api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert not ApiToken.objects.exists()


def test_success_resets_the_failure_count(api_client, alice, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        api_client.post(URL, {"username": "alice", "password": "guess"}, format="json")
    assert (
        api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="json").status_code
        == 201
    )
    for _ in range(2):
        response = api_client.post(URL, {"username": "alice", "password": "guess"}, format="json")
        assert response.status_code == 400


# --- Throttles that a client cannot step around (issue 14) ----------------------------------


def _attempts(client, count, *, username="alice", addresses=None, forwarded=None):
    """`username` may be a function of the attempt's number: then each tries another name, so
    only the per-address limit can answer 429."""
    statuses = []
    for n in range(count):
        extra = {}
        if addresses:
            extra["REMOTE_ADDR"] = addresses(n)
        if forwarded:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded(n)
        name = username(n) if callable(username) else username
        response = client.post(URL, {"username": name, "password": "wrong"}, format="json", **extra)
        statuses.append(response.status_code)
    return statuses


def test_a_forged_forwarded_address_does_not_reset_the_throttle(api_client, alice):
    # No proxy of ours in front (the default): X-Forwarded-For is the client's own writing.
    statuses = _attempts(
        api_client, 15, username=lambda n: f"user{n}", forwarded=lambda n: f"203.0.113.{n + 1}"
    )

    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429] * 5


def test_behind_our_proxy_only_the_address_it_appended_counts(api_client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The client forges a first address; the proxy appends the one it saw, always the same.
    statuses = _attempts(
        api_client,
        12,
        username=lambda n: f"user{n}",
        forwarded=lambda n: f"203.0.113.{n + 1}, 198.51.100.7",
    )

    assert statuses[10:] == [429, 429]


def test_one_username_is_throttled_from_many_addresses(api_client, alice):
    statuses = _attempts(api_client, 12, addresses=lambda n: f"192.0.2.{n + 1}")

    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429, 429]
    # Another account from the same addresses is not held back by alice's limit.
    assert _attempts(api_client, 1, username="bob", addresses=lambda n: "192.0.2.200") == [400]


def test_a_token_request_creates_no_session(api_client, alice, settings):
    from django.contrib.sessions.models import Session

    # The lockout on, as in production: its sign-in record used to create a session.
    settings.AXES_ENABLED = True
    response = api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 201
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
