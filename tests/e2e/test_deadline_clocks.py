"""A seller, in a Chinese browser, reads the clocks on her case and on her dashboard: the live
countdown ticks (from static/js/clocks.js, under the strict CSP), a paused and a provisional
clock are marked, settled ones sit below. Support staff extend a clock with a reason.

Screenshots of the case page, the dashboard and the extend page at desktop and phone width go to
$RECOURSE_SHOTS_CLOCKS (default /tmp/shots-clocks) for a person to look at."""

import datetime
import os
import re
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.services import case_transition
from channels.services import contact_log
from deadlines.models import Deadline
from deadlines.staff import deadline_staff_pause
from deadlines.sweep import sweep_deadlines
from tests.conftest import PASSWORD
from tests.shipped import ship_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_CLOCKS", "/tmp/shots-clocks"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def directory(transactional_db):
    """The shipped directory of bodies and deadline rules: data migrations, which the flush
    after each transactional test empties."""
    from django.apps import apps

    import_module("channels.migrations.0002_external_bodies").ship_bodies(apps, None)
    ship_rules()


@contextmanager
def moment(when):
    with mock.patch("cases.clock.now", return_value=when):
        yield


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def watch_for_problems(page: Page) -> list:
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Refused to" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_a_seller_reads_her_clocks_and_staff_extend_one(
    page: Page, live_server, alice, carol, make_case
):
    now = timezone.now()
    details = {"store_id": "DS-88231", "deposit_amount": "2000.00", "harm_learned_on": "2026-09-01"}
    case = make_case(alice, title="抖店退店后 2000 元保证金未退", details=details)
    with moment(now - datetime.timedelta(days=3)):
        case_transition(actor=alice, case=case, to="filed", note="已在抖店后台提交退保证金申请")
    with moment(now - datetime.timedelta(hours=20)):
        case_transition(actor=alice, case=case, to="in_review")
    with moment(now - datetime.timedelta(hours=2)):
        case_transition(actor=alice, case=case, to="info_requested")
        contact_log(
            actor=alice,
            case=case,
            channel="regulator",
            direction="outbound",
            occurred_at=now - datetime.timedelta(hours=3),
            body="12315",
            filing_type="report",
            external_reference="JB2026112100042",
            summary="向 12315 举报平台拖延退还保证金",
        )
    reply = Deadline.objects.get(case=case, rule__key="seller.reply")
    # Another case whose platform never answered: breached, on the dashboard.
    late = make_case(alice, title="快手账号被误封", kind="account_ban")
    with moment(now - datetime.timedelta(days=12)):
        case_transition(actor=alice, case=late, to="filed")
    sweep_deadlines(now=now)

    problems = watch_for_problems(page)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    clocks = page.locator("#clocks")
    expect(clocks).to_be_visible()
    # The seller's own clock first: it runs out soonest, and ticks.
    first = clocks.locator(".clocks > li").first
    expect(first).to_have_attribute("id", f"clock-{reply.pk}")
    countdown = first.locator(".countdown")
    before = countdown.inner_text()
    assert re.search(r"\d\d:\d\d:\d\d", before), before
    page.wait_for_timeout(1500)
    assert countdown.inner_text() != before
    expect(clocks.locator(".badge.clock-paused")).to_have_count(1)
    expect(clocks.locator(".badge.provisional")).to_have_count(1)
    expect(clocks.locator(".clock-history")).to_contain_text("1")
    # How it is counted, on demand.
    clocks.locator(".clock-about summary").first.click()
    expect(clocks.locator(".clock-about p").first).to_be_visible()
    # The rule's internal key is for staff: a seller sees none.
    expect(clocks.locator(".clock-about code")).to_have_count(0)
    clocks.locator(".clock-about summary").first.click()
    shoot(page, "01-case-clocks")

    page.goto(f"{live_server.url}/")
    expect(page.locator("#due-soon")).to_contain_text(case.reference)
    expect(page.locator("#breached")).to_contain_text(late.reference)
    shoot(page, "02-dashboard")

    # Staff extend the seller's reply clock by a day, with a reason.
    page.context.clear_cookies()
    log_in(page, live_server, "carol")
    page.goto(f"{live_server.url}{case.get_absolute_url()}#clocks")
    page.locator(f"#clock-{reply.pk} a[href$='/extend/']").click()
    page.fill("input[name=hours]", "24")
    page.fill("textarea[name=reason]", "卖家在外地取证，平台同意延长一天")
    shoot(page, "03-extend-form")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/#clocks$"))
    reply.refresh_from_db()
    assert reply.due_at > now + datetime.timedelta(hours=24)
    expect(page.locator(".event-deadline_extended")).to_contain_text("平台同意延长一天")
    shoot(page, "04-case-after-extension-staff")

    # A staff pause, as the seller sees it.
    with moment(timezone.now()):
        deadline_staff_pause(
            actor=carol,
            deadline=Deadline.objects.get(case=case, rule__key="samr.report_verify"),
            reason="12315 系统升级，暂停计时",
        )
    assert problems == []
