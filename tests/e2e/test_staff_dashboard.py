"""Support staff, in a Chinese browser, read the dashboard: every chart is drawn (inline SVG under
the strict CSP, no script of its own) beside its table, and a platform filter narrows it.

Screenshots at desktop and phone width, in Chinese and in English, go to
$RECOURSE_SHOTS_DASHBOARD (default /tmp/shots-dashboard) for a person to look at."""

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import rule_snapshot
from tests.conftest import PASSWORD
from tests.shipped import ship_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_DASHBOARD", "/tmp/shots-dashboard"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHARTS = ["status", "weekly", "kind", "platform", "breached", "age", "amounts"]


@pytest.fixture(autouse=True)
def directory(transactional_db):
    """The shipped deadline rules: a data migration, which the flush after each transactional
    test empties."""

    ship_rules()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def a_busy_desk(sellers, make_case) -> None:
    """Sixty cases over five kinds, six platforms, every status and four months; amounts
    claimed and recovered; breached clocks of three rules."""
    now = timezone.now()
    kinds = ["deposit_refund", "store_removal", "account_ban", "content_takedown"]
    kinds += ["purchase_complaint"]
    platforms = ["douyin_shop", "douyin", "kuaishou", "taobao", "pinduoduo", "xiaohongshu"]
    statuses = ["draft", "filed", "in_review", "info_requested", "decided", "appealed"]
    statuses += ["escalated", "resolved", "resolved", "withdrawn"]
    rules = list(DeadlineRule.objects.order_by("key")[:3])
    for n in range(60):
        kind = kinds[n % 5] if n % 7 else "deposit_refund"
        case = make_case(
            sellers[n % 2],
            kind=kind,
            platform=platforms[(n * 7) % 6] if n % 3 else "douyin_shop",
            amount_claimed=str(500 + (n * 731) % 9000) if n % 4 else None,
        )
        status = statuses[(n * 3) % 10]
        created = now - timedelta(days=(n * 37) % 120, hours=n)
        fields = {"status": status, "created_at": created}
        if status in ("resolved", "withdrawn"):
            fields["closed_at"] = created + timedelta(days=3 + n % 20)
            fields["outcome"] = "withdrawn" if status == "withdrawn" else "won"
            if status == "resolved" and case.amount_claimed:
                fields["amount_recovered"] = (case.amount_claimed * Decimal("0.6")).quantize(
                    Decimal("0.01")
                )
        Case.objects.filter(pk=case.pk).update(**fields)
        if n % 4 == 1:
            rule = rules[n % 3]
            Deadline.objects.create(
                case=case,
                rule=rule,
                rule_snapshot=rule_snapshot(rule),
                state="breached",
                waiting_on=rule.waiting_on,
                started_at=created,
                due_at=created + timedelta(days=2),
                settled_at=created + timedelta(days=2),
            )


def test_staff_read_the_dashboard_in_chinese_and_filter_it(
    page: Page, live_server, alice, bob, carol, make_case
):
    a_busy_desk([alice, bob], make_case)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if "Refused" in msg.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "carol")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/staff/dashboard/")

    # Labels from the cases' choices, in Chinese.
    expect(page.locator("#chart-status table")).to_contain_text("已解决")
    expect(page.locator("#chart-platform table")).to_contain_text("抖店")
    for chart in CHARTS:
        section = page.locator(f"#chart-{chart}")
        expect(section.locator("svg[role=img]")).to_be_visible()
        expect(section.locator("table")).to_be_visible()
    expect(page.locator("#chart-status tfoot")).to_contain_text("60")
    shoot(page, "01-dashboard-zh")
    # Nothing is wider than a phone: wide tables scroll inside their card.
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    page.select_option("select[name=platform]", "douyin_shop")
    page.locator(".dash-filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/dashboard/\?platform=douyin_shop&"))
    douyin_shop = Case.objects.filter(platform="douyin_shop").count()
    expect(page.locator("#chart-status tfoot")).to_contain_text(str(douyin_shop))

    page.goto(f"{live_server.url}/staff/dashboard/?amounts_by=platform&opened_from=2026-13-01")
    expect(page.locator(".dash-filters .alert.error")).to_be_visible()
    page.locator(".lang-switch button").click()
    expect(page.locator("h1")).to_have_text("Staff dashboard")
    shoot(page, "02-dashboard-en-by-platform-with-error")
    assert problems == []
