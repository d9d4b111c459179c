"""A notification about a case its recipient can no longer see (staff moved back to a seller's
role, say) shows nothing of that case: not on the page, not in the API, not in the badge, and
no e-mail goes out for it."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from conversations.services import message_post
from notifications.delivery import deliver_pending
from notifications.models import Notification
from notifications.selectors import unread_count
from tests.channels.web import HttpsClient

SECRET_TITLE = "绝密：鲍勃的店铺被封"


@pytest.fixture
def demoted_carol(carol, bob, make_case):
    """Carol, assigned to Bob's case, is told of Bob's message, then stops being staff."""
    case = make_case(bob, title=SECRET_TITLE)
    case.assignee = carol
    case.save(update_fields=["assignee"])
    message_post(actor=bob, case=case, body="请问进展如何？")
    assert Notification.objects.filter(recipient=carol, case=case).count() == 1
    Notification.objects.filter(recipient=carol).update(email_sent_at=None, email_wanted=True)
    carol.role = Role.SELLER
    carol.save(update_fields=["role"])
    return carol


def test_the_page_hides_a_case_i_can_no_longer_see(demoted_carol):
    client = HttpsClient()
    client.force_login(demoted_carol)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert SECRET_TITLE not in response.content.decode()
    assert unread_count(user=demoted_carol) == 0


def test_the_api_hides_a_case_i_can_no_longer_see(demoted_carol, api_as):
    response = api_as(demoted_carol).get(
        reverse("notifications-api:notification-list"), secure=True
    )

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_no_email_goes_out_for_a_case_i_can_no_longer_see(demoted_carol):
    mail.outbox.clear()

    assert deliver_pending() == 0
    assert mail.outbox == []


def test_mark_all_read_counts_only_what_i_am_shown(demoted_carol):
    from notifications.services import notifications_mark_all_read

    assert notifications_mark_all_read(actor=demoted_carol) == 0
