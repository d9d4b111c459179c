"""A user switches notification e-mails off and chooses their language on the profile page."""

from django.conf import settings
from django.urls import reverse

from cases.services import case_transition
from notifications.delivery import deliver_pending
from notifications.models import Notification
from tests.channels.web import HttpsClient

PROFILE = reverse("accounts:profile")


def _web(user) -> HttpsClient:
    client = HttpsClient()
    client.force_login(user)
    return client


def test_the_profile_shows_the_current_choices(alice):
    response = _web(alice).get(PROFILE)

    assert response.status_code == 200
    form = response.context["notifications_form"]
    assert form["language"].value() == "zh-hans"
    assert form["email_notifications"].value() is True
    assert 'name="section" value="notifications"' in response.text


def test_a_user_switches_email_off_and_english_on(alice):
    response = _web(alice).post(PROFILE, {"section": "notifications", "language": "en"})

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    alice.refresh_from_db()
    assert alice.email_notifications is False
    assert alice.language == "en"
    # The pages follow the chosen language too.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_switching_email_back_on(alice):
    alice.email_notifications = False
    alice.save(update_fields=["email_notifications"])

    _web(alice).post(
        PROFILE, {"section": "notifications", "language": "zh-hans", "email_notifications": "on"}
    )

    alice.refresh_from_db()
    assert alice.email_notifications is True


def test_an_unknown_language_changes_nothing(alice):
    response = _web(alice).post(
        PROFILE, {"section": "notifications", "language": "fr", "email_notifications": ""}
    )

    assert response.status_code == 200
    assert response.context["notifications_form"].errors["language"]
    alice.refresh_from_db()
    assert (alice.language, alice.email_notifications) == ("zh-hans", True)


def test_saving_the_time_zone_leaves_notifications_alone(alice):
    response = _web(alice).post(PROFILE, {"time_zone": "Europe/Berlin"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Berlin"
    assert (alice.language, alice.email_notifications) == ("zh-hans", True)


def test_after_opting_out_a_change_is_notified_in_the_app_only(alice, carol, alice_case):
    from django.core import mail

    _web(alice).post(PROFILE, {"section": "notifications", "language": "en"})
    case_transition(actor=carol, case=alice_case, to="filed")
    deliver_pending()

    notification = Notification.objects.get(recipient=alice)
    assert notification.email_wanted is False
    assert mail.outbox == []


# --- The language switcher ------------------------------------------------------------------

SETLANG = reverse("set_language")


def test_the_language_switcher_keeps_a_signed_in_users_choice_for_emails(alice):
    response = _web(alice).post(SETLANG, {"language": "en", "next": "/cases/"})

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    alice.refresh_from_db()
    assert alice.language == "en"


def test_the_language_switcher_still_works_for_visitors_and_ignores_unknown_languages(alice):
    visitor = HttpsClient().post(SETLANG, {"language": "en", "next": "/login/"})
    unknown = _web(alice).post(SETLANG, {"language": "fr", "next": "/cases/"})

    assert visitor.status_code == unknown.status_code == 302
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    alice.refresh_from_db()
    assert alice.language == "zh-hans"


def test_the_language_switcher_never_sends_anyone_off_site(alice):
    for next_url in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = _web(alice).post(SETLANG, {"language": "en", "next": next_url})

        assert response.status_code == 302
        assert "evil.example" not in response["Location"], next_url
