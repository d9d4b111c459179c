import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")


def _form(**overrides):
    data = {
        "username": "zhang_wei",
        "email": "zhangwei@example.cn",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_anonymous_sees_the_signup_form(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert b'name="password2"' in response.content


def test_signed_in_user_is_sent_to_the_dashboard(client, alice):
    client.force_login(alice)

    response = client.get(SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:dashboard")


def test_signup_creates_a_seller_logs_them_in_and_goes_to_the_dashboard(client):
    response = client.post(SIGNUP, _form())

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:dashboard")
    user = User.objects.get(username="zhang_wei")
    assert user.role == Role.SELLER
    assert not user.is_staff
    assert user.email == "zhangwei@example.cn"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": PASSWORD + "x"}, "password2", "do not match"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "too common"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"email": ""}, "email", "required"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"username": "bad name!"}, "username", "valid username"),
    ],
)
def test_bad_input_redisplays_the_form_with_what_was_typed(client, overrides, field, message):
    response = client.post(SIGNUP, _form(**overrides), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert b'class="errorlist' in response.content
    typed = overrides.get("username", "zhang_wei")
    assert f'value="{typed}"'.encode() in response.content
    assert not User.objects.exclude(username__in=["alice"]).exists()
    assert "_auth_user_id" not in client.session


def test_a_taken_username_is_refused_whatever_its_case(client, alice):
    response = client.post(SIGNUP, _form(username="Alice"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "This username is not available. Please choose another."
    ]
    assert User.objects.count() == 1


def test_the_page_follows_the_browser_language(client):
    assert client.get(SIGNUP)["Content-Language"] == "zh-hans"
    response = client.get(SIGNUP, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert b"Create your seller account" in response.content


def test_a_weak_password_is_named_before_a_taken_username(client, alice):
    """The answer to a weak password is the same for a taken and a free name: the form does not
    tell a prober which names exist unless the rest is right."""
    taken = client.post(
        SIGNUP, _form(username="alice", password1="123", password2="123"), HTTP_ACCEPT_LANGUAGE="en"
    )
    free = client.post(
        SIGNUP, _form(username="li_na", password1="123", password2="123"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "username" not in taken.context["form"].errors
    assert taken.context["form"].errors == free.context["form"].errors


def test_sign_up_attempts_from_one_client_are_limited(client, alice):
    statuses = [client.post(SIGNUP, _form(username="alice")).status_code for _attempt in range(12)]

    assert statuses[:10] == [200] * 10  # every one refused: the name is alice's
    assert statuses[10:] == [429, 429]
    assert User.objects.count() == 1
