import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import TokenAuthentication
from accounts.models import ApiToken, hash_token
from accounts.services import token_create, token_revoke

pytestmark = pytest.mark.django_db

TOKENS = reverse("accounts:tokens")


def _revoke_url(token):
    return reverse("accounts:token_revoke", args=[token.pk])


def test_anonymous_is_sent_to_login(client):
    response = client.get(TOKENS)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={TOKENS}"


def test_anonymous_cannot_revoke(client, alice):
    token, _ = token_create(actor=alice, name="ERP")

    response = client.post(_revoke_url(token))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_list_shows_only_my_tokens(client, alice, bob):
    token_create(actor=alice, name="ERP sync")
    revoked, _ = token_create(actor=alice, name="Old script")
    token_revoke(actor=alice, token=revoked)
    token_create(actor=bob, name="Bob's tool")
    client.force_login(alice)

    response = client.get(TOKENS, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    content = response.content.decode()
    assert "ERP sync" in content
    assert "Old script" in content
    assert "Bob&#x27;s tool" not in content and "Bob's tool" not in content
    assert "Active" in content
    assert "Revoked" in content
    assert content.count("/revoke/") == 1  # only the active token can be revoked


def test_the_list_shows_the_prefix_and_never_the_digest(client, alice):
    token, key = token_create(actor=alice, name="ERP")
    client.force_login(alice)

    content = client.get(TOKENS).content.decode()

    assert f"{token.prefix}…" in content
    assert key not in content
    assert token.digest not in content


def test_the_list_costs_the_same_queries_for_one_token_as_for_twenty(client, alice):
    token_create(actor=alice, name="first")
    client.force_login(alice)

    with CaptureQueriesContext(connection) as one:
        assert client.get(TOKENS).status_code == 200
    for index in range(19):
        token_create(actor=alice, name=f"token {index}")
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(TOKENS).status_code == 200

    assert len(twenty) == len(one)
    assert len(one) <= 4  # session, user, unread-notifications badge, tokens


def test_creating_a_token_shows_its_key_once_and_stores_only_its_hash(client, alice):
    client.force_login(alice)

    response = client.post(TOKENS, {"name": "ERP sync"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    key = response.context["key"]
    token = ApiToken.objects.get(user=alice)
    assert token.name == "ERP sync"
    assert token.digest == hash_token(key)
    assert key.startswith(token.prefix)
    assert key.encode() in response.content
    assert b"it will not be shown again" in response.content
    assert "no-store" in response["Cache-Control"]
    # Nothing keeps the key: not the session, not the list page.
    assert key not in str(dict(client.session))
    assert key.encode() not in client.get(TOKENS).content


def test_a_created_token_authenticates_as_its_owner(client, alice):
    client.force_login(alice)
    key = client.post(TOKENS, {"name": "ERP"}).context["key"]

    user, token = TokenAuthentication().authenticate_credentials(key)

    assert user == alice
    assert token.name == "ERP"


def test_a_token_needs_a_name(client, alice):
    client.force_login(alice)

    response = client.post(TOKENS, {"name": "  "}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "This field is required." in response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_too_long_name_is_refused(client, alice):
    client.force_login(alice)

    response = client.post(TOKENS, {"name": "x" * 101})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_my_token_stops_it_from_authenticating(client, alice):
    token, key = token_create(actor=alice, name="ERP")
    client.force_login(alice)

    response = client.post(_revoke_url(token))

    assert response.status_code == 302
    assert response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(AuthenticationFailed):
        TokenAuthentication().authenticate_credentials(key)


def test_revoking_is_a_post(client, alice):
    token, _ = token_create(actor=alice, name="ERP")
    client.force_login(alice)

    assert client.get(_revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_elses_token_answers_404_and_stays_active(client, alice, bob):
    token, key = token_create(actor=bob, name="Bob's tool")
    client.force_login(alice)

    response = client.post(_revoke_url(token))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert TokenAuthentication().authenticate_credentials(key)[0] == bob


def test_staff_cannot_revoke_a_sellers_token_here_either(client, alice, carol):
    token, _ = token_create(actor=alice, name="ERP")
    client.force_login(carol)

    assert client.post(_revoke_url(token)).status_code == 404


def test_a_missing_token_answers_404(client, alice):
    client.force_login(alice)

    assert client.post(reverse("accounts:token_revoke", args=[999_999])).status_code == 404


def test_revoking_twice_keeps_the_first_revocation_time(client, alice):
    token, _ = token_create(actor=alice, name="ERP")
    client.force_login(alice)
    client.post(_revoke_url(token))
    token.refresh_from_db()
    first = token.revoked_at

    assert client.post(_revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == first
