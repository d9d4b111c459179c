"""In a Chinese browser: support staff write an internal note and a message to the seller on
the case page; the seller sees the message, not the note, and answers.

Screenshots of the conversation as staff and as the seller (and staff's timeline), at desktop
and phone width, go to $RECOURSE_SHOTS_CONVERSATION (default /tmp/shots-conversation) for a
person to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conversations.models import Message
from conversations.services import message_post
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_CONVERSATION", "/tmp/shots-conversation"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NOTE = "内部备注：平台客服称本周五前答复，先不要催商家。"
MESSAGE = "您好，我们已就保证金问题联系抖店客服，请补充退店申请的截图。"


@pytest.fixture(autouse=True)
def _cookies_over_http(settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


def shoot(page: Page, name: str, selector: str = "#conversation") -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        # The whole page, cut to the card: an element shot would have the sticky bar over it.
        box = page.locator(selector).bounding_box()
        top = page.evaluate("window.scrollY")
        page.screenshot(
            path=str(SHOTS / f"{name}-{label}.png"),
            full_page=True,
            clip={**box, "y": box["y"] + top},
        )
    page.set_viewport_size(DESKTOP)


def log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_staff_note_stays_internal_and_the_seller_answers_the_message(
    page: Page, live_server, alice, carol, make_case
):
    case = make_case(alice, title="抖店退店后 2000 元保证金未退")
    message_post(actor=alice, case=case, body="请问保证金什么时候能退？已经等了 60 天。")
    url = f"{live_server.url}{case.get_absolute_url()}"

    log_in(page, live_server, "carol")
    page.goto(url)
    # Buttons by their value: their words are translated separately (zh_Hans).
    thread = page.locator("#conversation")
    thread.locator("textarea").fill(NOTE)
    thread.locator("button[value=internal]").click()
    expect(page.locator("#conversation .thread-item.is-internal")).to_contain_text(NOTE)
    page.locator("#conversation textarea").fill(MESSAGE)
    page.locator("#conversation button[value=message]").click()
    expect(page.locator("#conversation .thread-item").last).to_contain_text(MESSAGE)
    shoot(page, "staff")
    shoot(page, "staff-timeline", "#timeline")
    # The empty form is refused by the browser before it is sent.
    page.locator("#conversation button[value=message]").click()
    assert Message.objects.count() == 3

    log_in(page, live_server, "alice")
    page.goto(url)
    expect(page.locator("#conversation")).to_contain_text(MESSAGE)
    expect(page.locator("body")).not_to_contain_text(NOTE)
    expect(page.locator("#conversation button[value=internal]")).to_have_count(0)
    page.locator("#conversation textarea").fill("截图已上传到证据里，请查收。")
    page.locator("#conversation button[type=submit]").click()
    expect(page.locator("#conversation .thread-item").last).to_contain_text("截图已上传")
    shoot(page, "seller")
