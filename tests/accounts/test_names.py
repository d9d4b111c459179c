"""Names as their bearers write them (issue 15): 周云, family name first with no space, never
Django's "云 周"; a display name of one's own choosing wins."""

import pytest
from django.urls import reverse

from accounts.models import User
from cases.services import case_add_note
from notifications.delivery import notification_text
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "display", "shown"),
    [
        ("云", "周", "", "周云"),
        ("浩", "王", "", "王浩"),
        ("Anna", "Schmidt", "", "Anna Schmidt"),
        ("", "", "", ""),
        ("云", "周", "周老师", "周老师"),
    ],
)
def test_full_names_read_as_their_bearers_write_them(first, last, display, shown):
    user = User(username="u", first_name=first, last_name=last, display_name=display)
    assert user.get_full_name() == shown
    assert user.display == (shown or "u")


def test_the_profile_sets_a_display_name_shown_to_others(client, alice, carol, alice_case):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "  李  娜 ", "time_zone": "Asia/Shanghai"},
        secure=True,
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == "李 娜"

    case_add_note(actor=alice, case=alice_case, note="已补充材料")
    client.force_login(carol)
    page = client.get(reverse("cases:detail", args=[alice_case.reference]), secure=True)
    assert "李 娜" in page.content.decode()


def test_a_chinese_name_is_family_name_first_in_pages_and_notifications(
    client, make_user, carol, alice_case, alice
):
    zhou = make_user("zhouyun", role="staff", first_name="云", last_name="周")
    case_add_note(actor=zhou, case=alice_case, note="已联系平台")
    client.force_login(carol)
    page = client.get(reverse("cases:detail", args=[alice_case.reference]), secure=True)
    text = page.content.decode()
    assert "周云" in text
    assert "云 周" not in text
    line = notification_text(Notification.objects.filter(recipient=alice).latest("id"))
    assert "周云" in line
