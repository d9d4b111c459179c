"""Messages in the admin: listed and readable by staff, never written there."""

import pytest
from django.urls import reverse

from conversations.services import message_post
from tests.conversations.conftest import SECRET, HttpsClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_user):
    client = HttpsClient()
    client.force_login(make_user("root", role="staff", is_superuser=True, is_staff=True))
    return client


def test_messages_are_listed_and_read_only(admin_client, alice, carol, alice_case):
    note = message_post(actor=carol, case=alice_case, body=SECRET, internal=True)

    listing = admin_client.get(reverse("admin:conversations_message_changelist"))
    assert listing.status_code == 200
    assert alice_case.reference in listing.text
    detail = admin_client.get(reverse("admin:conversations_message_change", args=[note.pk]))
    assert detail.status_code == 200
    assert SECRET in detail.text
    assert 'name="body"' not in detail.text  # shown, not editable
    assert admin_client.get(reverse("admin:conversations_message_add")).status_code == 403
