"""A seller, in a Chinese browser, watches the last seconds of her 24-hour reply clock run out on
her case page; the minute's sweep breaches it, and she finds the notification in the navigation,
opens it, and lands back on the case with the breach on the timeline.

Screenshots of the overdue clock and the notifications page go to $RECOURSE_SHOTS_BREACH
(default /tmp/shots-breach)."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.services import case_transition
from deadlines.models import Deadline
from deadlines.sweep import sweep_deadlines
from notifications.choices import NotificationKind
from notifications.models import Notification
from tests.conftest import PASSWORD
from tests.shipped import ship_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_BREACH", "/tmp/shots-breach"))


@pytest.fixture(autouse=True)
def shipped_rules(transactional_db):
    """The deadline rules ship in a data migration; the flush after each transactional test
    empties the table."""

    ship_rules()


def test_a_seller_sees_her_clock_run_out_and_is_told(page: Page, live_server, alice, make_case):
    case = make_case(alice, title="抖店保证金迟迟不退")
    for status in ("filed", "in_review", "info_requested"):
        case_transition(actor=alice, case=case, to=status)
    reply = Deadline.objects.get(case=case, rule__key="seller.reply")
    # The platform asked for documents almost 24 hours ago: a few seconds are left.
    Deadline.objects.filter(pk=reply.pk).update(
        due_at=timezone.now() + datetime.timedelta(seconds=4), warn_at=None
    )

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator(".unread-count")).to_have_count(0)

    clock = page.locator(f"#clock-{reply.pk}")
    countdown = clock.locator(".countdown")
    expect(countdown).to_contain_text("00:00:0")
    # The page counts down by itself and says so when the time is up.
    expect(countdown).to_have_text("已逾期", timeout=10_000)
    expect(clock).to_have_class(re.compile(r"\bclock-overdue\b"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "01-clock-overdue.png"), full_page=True)

    # What beat does every minute (a real worker and beat are tested in tests/test_worker.py).
    assert sweep_deadlines().breached == 1
    [notification] = Notification.objects.filter(recipient=alice)
    assert notification.kind == NotificationKind.DEADLINE_BREACHED

    page.reload()
    badge = page.locator(".unread-count")
    expect(badge).to_contain_text("1")
    badge.click()
    item = page.locator(".notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("已逾期")
    expect(item).to_contain_text(case.reference)
    page.screenshot(path=str(SHOTS / "02-notifications.png"), full_page=True)

    item.locator("button").click()
    expect(page).to_have_url(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator(".unread-count")).to_have_count(0)
    expect(page.locator(".clock-history")).to_contain_text("已逾期")
