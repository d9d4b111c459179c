import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sh3ng-Xin-Mima-2026"
CHANGE = reverse("accounts:password_change")
CHANGE_DONE = reverse("accounts:password_change_done")
RESET = reverse("accounts:password_reset")


@pytest.mark.parametrize("url", [CHANGE, CHANGE_DONE])
def test_password_change_pages_need_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("url", [CHANGE, CHANGE_DONE])
def test_password_change_pages_open_for_a_signed_in_user(client, alice, url):
    client.force_login(alice)

    assert client.get(url).status_code == 200


def test_changing_the_password_keeps_the_user_signed_in(client, alice):
    client.force_login(alice)

    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == CHANGE_DONE
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_a_wrong_old_password_changes_nothing(client, alice):
    client.force_login(alice)

    response = client.post(
        CHANGE,
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.parametrize(
    "url",
    [RESET, reverse("accounts:password_reset_done"), reverse("accounts:password_reset_complete")],
)
def test_password_reset_pages_are_open_to_anonymous(client, url):
    assert client.get(url).status_code == 200


def _reset_link(mail) -> str:
    match = re.search(r"https?://\S+/password-reset/\S+/\S+/", mail.body)
    assert match, mail.body
    return match.group(0)


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    """POST the reset form and run what it left for after the commit (the e-mail task), as the
    worker would."""

    def ask(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, data, **extra)

    return ask


def test_password_reset_mails_a_link_that_sets_a_new_password(client, alice, mailoutbox, ask_reset):
    response = ask_reset({"email": "alice@example.cn"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.cn"]
    assert mail.subject == "Reset your Recourse password"
    assert "Hello alice," in mail.body
    link = _reset_link(mail)
    # The link is built from the host the request came to.
    assert link.startswith("https://testserver/password-reset/")

    # Django swaps the token for a session marker and redirects to the form.
    response = client.get(link.removeprefix("https://testserver"), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_the_reset_mail_follows_the_request_host_and_language(
    alice, mailoutbox, settings, ask_reset
):
    settings.ALLOWED_HOSTS = ["recourse.example.cn"]

    ask_reset({"email": "alice@example.cn"}, HTTP_HOST="recourse.example.cn")

    assert _reset_link(mailoutbox[0]).startswith("https://recourse.example.cn/password-reset/")


def test_a_used_reset_link_no_longer_works(client, alice, mailoutbox, ask_reset):
    ask_reset({"email": "alice@example.cn"})
    path = _reset_link(mailoutbox[0]).removeprefix("https://testserver")
    response = client.get(path, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = client.get(path, follow=True)

    assert response.context["validlink"] is False
    assert reverse("accounts:password_reset").encode() in response.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(alice, mailoutbox, ask_reset):
    response = ask_reset({"email": "nobody@example.cn"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


# --- The same time for every address, and a limit (issue 14) ------------------------------


def test_the_request_does_the_same_work_whether_or_not_the_address_exists(
    client, alice, django_capture_on_commit_callbacks, django_assert_num_queries
):
    answers, callbacks = [], []
    for email in ("alice@example.cn", "nobody@example.cn"):
        # No lookup of the address in the request: no query at all.
        with django_capture_on_commit_callbacks() as after_commit, django_assert_num_queries(0):
            answers.append(client.post(RESET, {"email": email}))
        callbacks.append(len(after_commit))

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert callbacks == [1, 1]  # one e-mail task each, sent after the answer


def test_resets_for_one_address_are_limited(client, alice, mailoutbox, ask_reset):
    statuses = [
        ask_reset({"email": "alice@example.cn"}, REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(1, 30)
    ]

    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}
    assert len(mailoutbox) == 3


def test_resets_from_one_client_are_limited_whatever_the_address(alice, ask_reset):
    statuses = [
        ask_reset({"email": f"someone{n}@example.cn"}, HTTP_ACCEPT_LANGUAGE="en").status_code
        for n in range(12)
    ]

    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]
    response = ask_reset({"email": "x@example.cn"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many password reset requests" in response.content.decode()
