"""A seller, in a Chinese browser, logs a phone call to 抖音客服 with its reference number on a
deposit case, finds it at the top of the timeline, and sees "waiting for a reply". Then the
platform's decision comes in: the page offers the status it implies, and moves only when asked.

Screenshots of the case page (contacts and guidance) and the directory at desktop and phone
width go to $RECOURSE_SHOTS_CONTACTS (default /tmp/shots-contacts) for a person to look at."""

import datetime
import os
import re
from importlib import import_module
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.services import case_transition
from channels.models import ChannelEntry
from channels.services import contact_log
from tests.conftest import PASSWORD
from tests.shipped import ship_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_CONTACTS", "/tmp/shots-contacts"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def directory(transactional_db):
    """The shipped directory of bodies: it comes from a data migration, and the flush after
    each transactional test empties it. (serialized_rollback would restore it, but the
    connection playwright's tests run on does not keep the serialized copy.)"""
    from django.apps import apps

    import_module("channels.migrations.0002_external_bodies").ship_bodies(apps, None)
    # And the deadline rules, for the clocks a decision starts.
    ship_rules()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        # From the top: scrolled to an anchor, the sticky bar would sit mid-picture.
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


def test_seller_logs_a_call_to_douyin_service_and_sees_it_waiting_for_a_reply(
    page: Page, live_server, alice, make_case, attach_file
):
    # The history happened minutes ago: the call logged below takes the form's "now", to the
    # minute, and an upload in that same minute would otherwise be newer than it.
    with mock.patch("cases.clock.now", return_value=timezone.now() - datetime.timedelta(minutes=5)):
        case = make_case(alice, title="抖店退店后 2000 元保证金未退")
        case_transition(actor=alice, case=case, to="filed", note="已在抖店后台提交退保证金申请")
        attach_file(alice, case, "退店申请截图.png")
        # An earlier exchange, so the timeline has history to merge with.
        contact_log(
            actor=alice,
            case=case,
            channel="in_app",
            direction="inbound",
            occurred_at=timezone.now() - datetime.timedelta(days=4),
            body="douyin_shop",
            filing_type="response_received",
            summary="站内信：退店审核已通过，保证金将在 15 个工作日内原路退回。",
        )
    problems = watch_for_problems(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    # The last word was theirs: nobody is waiting yet.
    expect(page.locator("#waiting")).to_have_count(0)

    # 1. Open the form on the case page; "when" is already now.
    page.locator("#log-contact > summary").click()
    form = page.locator("#log-contact form")
    expect(form).to_be_visible()
    when = form.locator("input[name=occurred_at]")
    expect(when).to_have_value(re.compile(timezone.localtime().strftime("%Y-%m-%d")))
    form.locator("label", has=page.locator("input[name=channel][value=phone]")).click()
    expect(form.locator("input[name=channel][value=phone]")).to_be_checked()
    expect(form.locator("input[name=direction][value=outbound]")).to_be_checked()
    form.locator("select[name=body]").select_option("douyin_shop")
    form.locator("input[name=counterpart]").fill("抖音客服")
    form.locator("select[name=filing_type]").select_option("follow_up")
    form.locator("input[name=external_reference]").fill("GD2026112100117")
    form.locator("textarea[name=summary]").fill(
        "电话催办保证金退款，客服称已加急，3 个工作日内回复。"
    )
    form.locator("input[name=evidence]").first.check()
    shoot(page, "01-log-form-open")
    form.locator("button[type=submit]").click()

    # 2. Back on the case: the call is the newest entry, with its reference number.
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/#contact-\d+$"))
    entry = ChannelEntry.objects.get(external_reference="GD2026112100117")
    first = page.locator(".timeline > li").first
    expect(first).to_have_attribute("id", f"contact-{entry.pk}")
    expect(first).to_contain_text("抖音客服")
    expect(first.locator(".ref-number")).to_have_text("GD2026112100117")
    expect(first.locator("button[data-copy]")).to_be_visible()
    expect(first.locator(".contact-evidence a")).to_have_text("退店申请截图.png")
    # The earlier reply sits further down, below the move to "filed".
    expect(page.locator(".timeline > li.event-contact")).to_have_count(2)

    # 3. "Waiting for a reply from 抖音客服", near the top.
    waiting = page.locator("#waiting")
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text("抖音客服")
    assert waiting.bounding_box()["y"] < page.locator("#timeline").bounding_box()["y"]

    # 4. The filter keeps phone calls only.
    page.locator(".channel-filter a[href='?channel=phone#timeline']").click()
    expect(page.locator(".timeline > li")).to_have_count(1)
    expect(page.locator(".timeline > li").first).to_have_attribute("id", f"contact-{entry.pk}")
    page.locator(".channel-filter a").first.click()

    # 5. Guidance for a merchant: report to 12315 and arbitration/court, no consumer complaint.
    guidance = page.locator("#guidance")
    expect(guidance.locator("[data-route=samr_report]")).to_have_count(1)
    expect(guidance.locator("[data-route=arbitration_or_court]")).to_have_count(1)
    expect(guidance.locator("[data-route=samr_complaint]")).to_have_count(0)
    shoot(page, "02-case-with-contacts-and-guidance")

    # The reference numbers at hand, and correcting one.
    page.locator(".timeline-head a").click()
    expect(page.locator(".contact-table tbody tr")).to_have_count(2)
    expect(page.locator(".contact-table")).to_contain_text("GD2026112100117")
    shoot(page, "02b-contacts-table")
    page.goto(f"{live_server.url}/cases/{case.reference}/contacts/{entry.pk}/edit/")
    expect(page.locator("input[name=external_reference]")).to_have_value("GD2026112100117")
    page.fill("input[name=external_reference]", "GD2026112100118")
    page.locator("#contact-form button[type=submit]").click()
    corrected = page.locator(f"#contact-{entry.pk}")
    expect(corrected.locator(".badge.corrected")).to_be_visible()
    expect(page.locator(".event-contact_corrected del")).to_have_text("GD2026112100117")
    expect(page.locator(".event-contact_corrected ins")).to_have_text("GD2026112100118")
    shoot(page, "02c-corrected")

    # 6. The decision arrives: the page offers "decided" and does not move by itself.
    page.goto(f"{live_server.url}/cases/{case.reference}/contacts/new/")
    page.locator("label", has=page.locator("input[name=channel][value=in_app]")).click()
    page.locator("label", has=page.locator("input[name=direction][value=inbound]")).click()
    page.select_option("select[name=body]", "douyin_shop")
    page.select_option("select[name=filing_type]", "decision_received")
    page.fill("textarea[name=summary]", "平台回复：保证金退款申请已通过，预计 7 个工作日到账。")
    page.locator("#contact-form button[type=submit]").click()
    suggestion = page.locator("#suggestion")
    expect(suggestion).to_be_visible()
    expect(page.locator(".case-head .badge.status")).to_have_class(re.compile("status-filed"))
    expect(page.locator("#waiting")).to_have_count(0)  # they answered
    shoot(page, "03-suggestion")
    # One button per result: the refund was granted, notified when the reply came in.
    suggestion.locator("button[name=decision_result][value=granted]").click()
    expect(page.locator(".case-head .badge.status")).to_have_class(re.compile("status-decided"))
    expect(page.locator("#suggestion")).to_have_count(0)
    expect(page.locator("#clocks")).to_contain_text("保证金到账")  # the refund's clock
    expect(page.locator("#clocks")).not_to_contain_text("申诉期限")  # nothing to appeal

    assert problems == []


def test_a_merchants_consumer_complaint_is_refused_with_the_reason(
    page: Page, live_server, alice, make_case
):
    case = make_case(alice)
    problems = watch_for_problems(page)
    log_in(page, live_server, "alice")
    # The guidance's button for the report opens the form ready for it.
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.locator("[data-route=samr_report] a.button").click()
    expect(page.locator("select[name=body]")).to_have_value("12315")
    expect(page.locator("select[name=filing_type]")).to_have_value("report")
    expect(page.locator("input[name=channel][value=regulator]")).to_be_checked()
    # Make it a complaint instead: refused, with what to do, and nothing lost.
    page.select_option("select[name=filing_type]", "complaint")
    page.fill("input[name=external_reference]", "TS-0001")
    page.fill("textarea[name=summary]", "在 12315 投诉平台不退保证金")
    page.locator("#contact-form button[type=submit]").click()
    alert = page.locator(".alert.error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("举报")
    expect(page.locator("input[name=external_reference]")).to_have_value("TS-0001")
    shoot(page, "04-refused-complaint")
    assert not ChannelEntry.objects.exists()
    assert problems == []


def test_the_directory(page: Page, live_server, alice):
    problems = watch_for_problems(page)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/bodies/")
    expect(page.locator(".body-card")).to_have_count(20)
    expect(page.locator("#body-12315")).to_contain_text("12315")
    shoot(page, "05-directory")
    page.locator("#body-12315 h3 a").click()
    expect(page).to_have_url(f"{live_server.url}/bodies/12315/")
    shoot(page, "06-body-12315")
    assert problems == []


@pytest.fixture
def attach_file(transactional_db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.services import evidence_attach
    from tests.evidence import corpus

    def attach(actor, case, name):
        upload = SimpleUploadedFile(name, corpus.png(), "application/octet-stream")
        return evidence_attach(actor=actor, case=case, upload=upload, kind="screenshot")

    return attach
