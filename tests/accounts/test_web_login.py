import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")


def test_anonymous_sees_the_login_form(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert reverse("accounts:password_reset").encode() in response.content


def test_login_goes_to_the_dashboard(client, alice):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:dashboard")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_follows_a_safe_next_and_ignores_another_host(client, alice):
    tokens = reverse("accounts:tokens")
    response = client.post(f"{LOGIN}?next={tokens}", {"username": "alice", "password": PASSWORD})
    assert response["Location"] == tokens

    client.logout()
    response = client.post(
        f"{LOGIN}?next=https://evil.example/", {"username": "alice", "password": PASSWORD}
    )
    assert response["Location"] == reverse("cases:dashboard")


def test_a_wrong_password_redisplays_the_form(client, alice):
    response = client.post(
        LOGIN, {"username": "alice", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="alice"' in response.content
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_visiting_login_goes_to_the_dashboard(client, alice):
    client.force_login(alice)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:dashboard")


def test_logout_is_a_post_and_returns_to_login(client, alice):
    client.force_login(alice)

    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_five_bad_passwords_lock_the_login_even_for_the_right_one(client, alice, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": "alice", "password": "wrong"})
        assert response.status_code == 200

    # The fifth failure trips the lock ...
    response = client.post(LOGIN, {"username": "alice", "password": "wrong"})
    assert response.status_code == 429

    # ... and then even the right password is refused, with the page saying how long to wait.
    response = client.post(
        LOGIN, {"username": "alice", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert b"Please wait 15 minutes, then try again." in response.content


def test_the_lock_is_per_username(client, alice, bob, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "alice", "password": "wrong"})

    response = client.post(LOGIN, {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob.pk)


def test_a_successful_login_clears_earlier_failures(client, alice, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": "alice", "password": "wrong"})
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
    client.logout()

    response = client.post(LOGIN, {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
