from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def env_password(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", PASSWORD)


def _run(*args):
    out = StringIO()
    call_command("createuser", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_noinput_takes_the_password_from_the_environment(env_password):
    out = _run("li_na", "--role", "seller", "--email", "lina@example.cn", "--noinput")

    user = User.objects.get(username="li_na")
    assert user.role == Role.SELLER
    assert not user.is_staff
    assert user.email == "lina@example.cn"
    assert user.check_password(PASSWORD)
    assert "li_na" in out


def test_role_staff_gives_a_staff_user(env_password):
    _run("wang_fang", "--role", "staff", "--noinput")

    user = User.objects.get(username="wang_fang")
    assert user.role == Role.STAFF
    assert user.is_support_staff
    assert user.check_password(PASSWORD)


def test_noinput_without_the_variable_fails_clearly(monkeypatch):
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="DJANGO_USER_PASSWORD"):
        _run("li_na", "--role", "seller", "--noinput")
    assert not User.objects.exists()


def test_noinput_with_an_empty_variable_fails_clearly(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "")

    with pytest.raises(CommandError, match="DJANGO_USER_PASSWORD"):
        _run("li_na", "--role", "seller", "--noinput")
    assert not User.objects.exists()


def test_a_taken_username_is_an_error(alice, env_password):
    with pytest.raises(CommandError, match="username is not available"):
        _run("ALICE", "--role", "seller", "--noinput")
    assert User.objects.count() == 1


def test_a_weak_password_is_an_error(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "12345678")

    with pytest.raises(CommandError, match="too common"):
        _run("li_na", "--role", "seller", "--noinput")
    assert not User.objects.exists()


def test_an_unknown_role_is_an_error(env_password):
    with pytest.raises(CommandError, match="invalid choice"):
        _run("li_na", "--role", "admin", "--noinput")
    assert not User.objects.exists()


def test_the_role_is_required(env_password):
    with pytest.raises(CommandError, match="--role"):
        _run("li_na", "--noinput")


def test_a_bad_email_is_an_error(env_password):
    with pytest.raises(CommandError, match="valid email"):
        _run("li_na", "--role", "seller", "--email", "nope", "--noinput")
    assert not User.objects.exists()


def test_without_noinput_the_password_is_asked_twice(monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    prompts = []

    def fake_getpass(prompt):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)

    _run("li_na", "--role", "seller")

    assert len(prompts) == 2
    assert User.objects.get(username="li_na").check_password(PASSWORD)


def test_prompting_asks_again_after_a_mismatch_or_a_weak_password(monkeypatch):
    answers = iter([PASSWORD, "different", "12345678", "12345678", PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    _run("li_na", "--role", "seller")

    assert User.objects.get(username="li_na").check_password(PASSWORD)


def test_prompting_checks_the_username_before_asking(alice, monkeypatch):
    def fail(prompt):
        raise AssertionError("asked for a password")

    monkeypatch.setattr("getpass.getpass", fail)

    with pytest.raises(CommandError, match="That username is taken"):
        _run("alice", "--role", "seller")


def test_interrupting_the_prompt_creates_nothing(monkeypatch):
    def interrupt(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupt)

    with pytest.raises(CommandError, match="Cancelled"):
        _run("li_na", "--role", "seller")
    assert not User.objects.exists()
