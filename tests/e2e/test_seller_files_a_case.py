"""A new seller, in a Chinese browser, signs up, files a deposit-refund case, moves it to
filed, and finds it in the list and its timeline. Screenshots of each page at desktop and
phone width go to $RECOURSE_SHOTS (default /tmp/shots) for a person to look at."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS", "/tmp/shots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shoot(page: Page, name: str) -> None:
    """The page at desktop and at phone width, whole length."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_new_seller_files_a_deposit_refund_case_and_moves_it_to_filed(page: Page, live_server):
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Refused to" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size(DESKTOP)

    # 1. Sign up: the interface answers in Chinese to a zh-CN browser.
    page.goto(f"{live_server.url}/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.fill("input[name=username]", "zhangwei")
    page.fill("input[name=email]", "zhangwei@example.cn")
    page.fill("input[name=password1]", "Baozhengjin-2026!")
    page.fill("input[name=password2]", "Baozhengjin-2026!")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".user-menu summary")).to_contain_text("zhangwei")
    shoot(page, "01-dashboard-empty")

    # 2. Pick the kind, then fill its form.
    page.locator("main a[href='/cases/new/']").first.click()
    expect(page.locator(".kind-card")).to_have_count(5)
    shoot(page, "02-new-case-kinds")
    page.locator("a.kind-card[href='/cases/new/deposit_refund/']").click()
    page.fill("input[name=title]", "抖店退店后 2000 元保证金未退")
    page.select_option("select[name=platform]", "douyin_shop")
    expect(page.locator("select[name=party_role]")).to_have_value("merchant")
    page.fill("input[name=platform_account]", "张伟的小店")
    page.fill("input[name=amount_claimed]", "2000")
    page.fill("textarea[name=description]", "9 月 1 日申请退店，店铺已关闭，保证金至今未退。")
    page.fill("input[name='details-store_id']", "DS-66120357")
    page.fill("input[name='details-deposit_amount']", "2000")
    page.fill("input[name='details-exit_applied_on']", "2026-09-01")
    shoot(page, "03-new-case-form")
    page.locator("main form button[type=submit]").click()

    # 3. The case page: a draft, with its details; move it to filed with a note.
    case = Case.objects.get(owner__username="zhangwei")
    expect(page).to_have_url(f"{live_server.url}/cases/{case.reference}/")
    expect(page.locator(".case-head h1")).to_have_text("抖店退店后 2000 元保证金未退")
    expect(page.locator(".case-head .badge.status")).to_have_class(re.compile("status-draft"))
    expect(page.locator(".case-side")).to_contain_text("DS-66120357")
    expect(page.locator(".case-side")).to_contain_text("¥2,000.00")
    page.fill("#id_note", "已在抖店后台提交退保证金申请，工单号 TK2026")
    page.locator("button[name=to][value=filed]").click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.reference}/")
    expect(page.locator(".case-head .badge.status")).to_have_class(re.compile("status-filed"))
    shoot(page, "04-case-filed")

    # 4. The list finds it; its timeline shows the move and the note.
    page.locator("nav.nav a[href='/cases/']").click()
    row = page.locator(".stack-table tbody tr", has_text=case.reference)
    expect(row).to_have_count(1)
    expect(row.locator(".badge.status")).to_have_class(re.compile("status-filed"))
    shoot(page, "05-list")
    row.locator("a.case-title").click()
    move = page.locator(".timeline .event-status_changed")
    expect(move).to_have_count(1)
    expect(move.locator(".badge.status-draft")).to_have_count(1)
    expect(move.locator(".badge.status-filed")).to_have_count(1)
    expect(move).to_contain_text("已在抖店后台提交退保证金申请，工单号 TK2026")

    page.goto(f"{live_server.url}/")
    expect(page.locator(".stack-table")).to_contain_text(case.reference)
    shoot(page, "06-dashboard")

    case.refresh_from_db()
    assert case.status == "filed"
    assert problems == []
