"""Support staff, in a Chinese browser, filter the queue to overdue cases, take the one whose
platform never answered, write an internal note and a message to the seller, and move it on.
The seller then reads the message on her case — and nothing of the note.

Screenshots of the filtered queue and of the case as staff and as the seller go to
$RECOURSE_SHOTS_TRIAGE (default /tmp/shots-triage)."""

import datetime
import os
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, CaseEvent
from cases.services import case_transition
from deadlines.sweep import sweep_deadlines
from tests.conftest import PASSWORD
from tests.shipped import ship_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_TRIAGE", "/tmp/shots-triage"))
NOTE = "卖家电话确认：平台客服口头承诺下周退款，先别升级"
MESSAGE = "您好，平台已超过答复期限，我们已接手处理，会向平台提出升级申诉。"


@pytest.fixture(autouse=True)
def shipped_rules(transactional_db):
    """The deadline rules ship in a data migration; each transactional test's flush empties
    the table."""

    ship_rules()


def log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_staff_triage_an_overdue_case_and_the_seller_sees_only_the_message(
    page: Page, live_server, alice, carol, make_case
):
    late = make_case(alice, title="快手账号被误封，申诉无人处理", kind="account_ban")
    on_time = make_case(alice, title="抖店保证金迟迟不退")
    twelve_days_ago = timezone.now() - datetime.timedelta(days=12)
    with mock.patch("cases.clock.now", return_value=twelve_days_ago):
        case_transition(actor=alice, case=late, to="filed")
    case_transition(actor=alice, case=on_time, to="filed")
    assert sweep_deadlines().breached >= 1  # the platform's first answer is long overdue

    log_in(page, live_server, "carol")
    page.goto(f"{live_server.url}/staff/")
    queue = page.locator(".queue-row")
    expect(queue).to_have_count(2)
    # Breached first, whatever the order they were filed in.
    expect(queue.first).to_contain_text(late.reference)
    page.locator("input[name=overdue]").check()
    page.get_by_role("button", name="筛选").click()
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text(late.reference)
    shot(page, "01-queue-overdue")

    queue.first.locator("a.ref").click()
    expect(page).to_have_url(f"{live_server.url}{late.get_absolute_url()}")
    page.get_by_role("button", name="我来处理").click()
    expect(page.locator("#assignment")).to_contain_text("你正在处理此案件")

    thread = page.locator("#conversation")
    thread.locator("textarea").fill(NOTE)
    thread.get_by_role("button", name="存为内部备注").click()
    expect(page.locator("#conversation")).to_contain_text(NOTE)
    page.locator("#conversation textarea").fill(MESSAGE)
    page.locator("#conversation").get_by_role("button", name="发送给卖家").click()
    expect(page.locator("#conversation")).to_contain_text(MESSAGE)

    page.locator(".move-form button[value=in_review]").click()
    expect(page.locator(".case-head, main").first).to_contain_text("审核中")
    shot(page, "02-case-as-staff")

    late.refresh_from_db()
    assert (late.status, late.assignee) == ("in_review", carol)
    assert CaseEvent.objects.filter(case=late, kind="internal_note").count() == 1

    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{late.get_absolute_url()}")
    expect(page.locator("#conversation")).to_contain_text(MESSAGE)
    expect(page.locator("main")).not_to_contain_text(NOTE)
    expect(page.locator("main")).not_to_contain_text("内部备注")
    assert NOTE not in page.content()
    shot(page, "03-case-as-seller")
    # The seller was told of the message, the move and who took her case.
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator(".notification")).not_to_have_count(0)
    assert NOTE not in page.content()
    assert Case.objects.get(pk=late.pk).assignee == carol
