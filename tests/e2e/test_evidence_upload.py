"""A seller, in a Chinese browser, drags two files onto a case's drop zone, gives each a kind,
watches a progress bar per file, finds them in the list and the checklist, and downloads one.
Without JS the plain form still uploads, and says which file was refused and why.

Screenshots at desktop and phone width go to $RECOURSE_SHOTS_EVIDENCE (default
/tmp/shots-evidence) for a person to look at."""

import base64
import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from evidence.models import EvidenceItem
from tests.conftest import PASSWORD
from tests.evidence import corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RECOURSE_SHOTS_EVIDENCE", "/tmp/shots-evidence"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def phone_screenshot() -> bytes:
    """Something that looks like a phone screenshot, so thumbnails show a picture."""
    image = Image.new("RGB", (540, 960), (246, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 540, 90), fill=(254, 44, 85))
    for row in range(6):
        top = 130 + row * 130
        draw.rounded_rectangle((30, top, 510, top + 100), radius=14, fill=(255, 255, 255))
        draw.rectangle((50, top + 25, 350, top + 40), fill=(60, 60, 70))
        draw.rectangle((50, top + 60, 260, top + 72), fill=(170, 170, 180))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")


def drop_files(page: Page, selector: str, files: list[dict]) -> None:
    """A real drop: a DataTransfer built in the page, then dragenter, dragover and drop."""
    transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const f of files) {
                const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], f.name, { type: f.type }));
            }
            return transfer;
        }""",
        [
            {"name": f["name"], "type": f["type"], "data": base64.b64encode(f["data"]).decode()}
            for f in files
        ],
    )
    for event in ("dragenter", "dragover", "drop"):
        page.dispatch_event(selector, event, {"dataTransfer": transfer})


def watch_for_problems(page: Page) -> list:
    problems = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Refused to" in msg.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_seller_drags_two_files_onto_the_case_sees_progress_and_downloads_one(
    page: Page, live_server, alice, make_case
):
    case = make_case(alice, title="抖店退店后 2000 元保证金未退")
    problems = watch_for_problems(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")

    # 1. The checklist says what is missing; the form has become a drop zone.
    # (Assertions go by structure, not wording: the catalogue pass comes later.)
    expect(page.locator("#evidence-checklist .is-missing")).to_have_count(5)
    expect(page.locator("[data-drop-text]")).to_be_visible()
    expect(page.locator("[data-shared]")).to_be_hidden()
    shoot(page, "01-case-no-evidence")

    # 2. Two files dropped: a row each, with a kind suggested by its type.
    screenshot = phone_screenshot()
    drop_files(
        page,
        "[data-drop-zone]",
        [
            {"name": "退店申请截图.png", "type": "image/png", "data": screenshot},
            {"name": "保证金缴纳凭证.pdf", "type": "application/pdf", "data": corpus.PDF},
        ],
    )
    rows = page.locator(".upload-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("[data-kind]")).to_have_value("screenshot")
    expect(rows.nth(1).locator("[data-kind]")).to_have_value("platform_notice")
    expect(rows.locator("progress")).to_have_count(2)
    rows.nth(1).locator("[data-kind]").select_option("payment_receipt")
    rows.nth(0).locator("[data-description]").fill("退店申请已通过，显示日期")
    shoot(page, "02-queued")

    # 3. Upload: each bar fills, each row says it was kept; the list and checklist refresh.
    page.locator("[data-upload-button]").click()
    for i in range(2):
        expect(rows.nth(i)).to_have_attribute("data-state", "done")
        expect(rows.nth(i).locator("progress")).to_have_attribute("value", "100")
    items = page.locator(".evidence-list .evidence-item")
    expect(items).to_have_count(2)
    expect(page.locator(".evidence-list")).to_contain_text("退店申请截图.png")
    expect(page.locator(".evidence-list")).to_contain_text("保证金缴纳凭证.pdf")
    expect(page.locator(".evidence-list")).to_contain_text("退店申请已通过，显示日期")
    expect(page.locator("#evidence-checklist .is-done")).to_have_count(2)
    assert EvidenceItem.objects.filter(case=case).count() == 2
    shoot(page, "03-uploaded")

    # 4. Download the PDF: the same bytes, under its Chinese name.
    with page.expect_download() as info:
        items.filter(has_text="保证金缴纳凭证.pdf").locator(".evidence-actions a").first.click()
    download = info.value
    assert download.suggested_filename == "保证金缴纳凭证.pdf"
    assert Path(download.path()).read_bytes() == corpus.PDF

    # 5. After a reload the image has its thumbnail, and the timeline names both files.
    page.reload()
    thumb = items.filter(has_text="退店申请截图.png").locator("img")
    expect(thumb).to_have_count(1)
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0
    expect(page.locator(".timeline .event-evidence_added")).to_have_count(2)
    shoot(page, "04-case-with-evidence")

    # 6. Say the image is the platform's notice after all: the timeline shows old → new.
    items.filter(has_text="退店申请截图.png").locator(".evidence-actions a").nth(1).click()
    expect(page).to_have_url(re.compile(r"/edit/$"))
    shoot(page, "05-edit")
    page.select_option("#id_kind", "platform_notice")
    page.locator("form.evidence-edit-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{case.get_absolute_url()}#evidence")
    edited = page.locator(".timeline .event-evidence_edited")
    expect(edited.locator("del")).to_have_count(1)
    expect(edited.locator("ins")).to_have_count(1)

    # 7. Remove the PDF, with a reason, after confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    pdf = items.filter(has_text="保证金缴纳凭证.pdf")
    pdf.locator("summary").click()
    pdf.locator("input[name=reason]").fill("传错了文件")
    pdf.locator("button[data-confirm]").click()
    expect(items).to_have_count(1)
    expect(page.locator(".timeline .event-evidence_removed")).to_contain_text("传错了文件")
    expect(page.locator("#evidence-checklist .is-done")).to_have_count(1)  # the notice only
    shoot(page, "06-after-edit-and-remove")
    assert problems == []


def test_a_refused_file_is_named_with_the_reason_and_the_others_still_upload(
    page: Page, live_server, alice, make_case
):
    case = make_case(alice, kind="purchase_complaint", title="买到的耳机是假货")
    problems = watch_for_problems(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    drop_files(
        page,
        "[data-drop-zone]",
        [
            {"name": "开箱.mp4", "type": "video/mp4", "data": corpus.MP4},
            {"name": "商品页.html", "type": "text/html", "data": corpus.HTML},
            {"name": "空.txt", "type": "text/plain", "data": b""},
        ],
    )
    rows = page.locator(".upload-row")
    expect(rows.nth(0).locator("[data-kind]")).to_have_value("unboxing_video")
    expect(rows.nth(2)).to_have_attribute("data-state", "refused")  # empty: refused at once
    page.locator("[data-upload-button]").click()
    expect(rows.nth(0)).to_have_attribute("data-state", "done")
    expect(rows.nth(1)).to_have_attribute("data-state", "refused")
    expect(rows.nth(1)).to_contain_text("JPEG, PNG")
    expect(page.locator("[data-summary]")).to_be_visible()
    expect(page.locator(".evidence-list .evidence-item")).to_have_count(1)
    shoot(page, "07-refused-in-queue")
    assert problems == []


def test_without_javascript_the_plain_form_uploads_and_reports_refusals(
    browser, live_server, alice, make_case
):
    case = make_case(alice, kind="account_ban", title="抖音号被永久封禁")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.set_viewport_size(DESKTOP)
        log_in(page, live_server, "alice")
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        expect(page.locator("[data-drop-text]")).to_be_hidden()
        page.set_input_files(
            "#evidence_file",
            [
                {"name": "封禁通知.png", "mimeType": "image/png", "buffer": phone_screenshot()},
                {"name": "申诉.exe", "mimeType": "application/octet-stream", "buffer": corpus.EXE},
            ],
        )
        page.select_option("#evidence_kind", "platform_notice")
        page.fill("#evidence_description", "系统通知截图")
        page.locator("#evidence-upload button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}{case.get_absolute_url()}#main")
        expect(page.locator(".messages")).to_contain_text("封禁通知.png")
        expect(page.locator(".messages")).to_contain_text("申诉.exe")
        expect(page.locator(".evidence-list .evidence-item")).to_have_count(1)
        shoot(page, "08-no-js-mixed")

        # All refused: the form again, with the reason and what is accepted.
        page.set_input_files(
            "#evidence_file",
            [{"name": "logo.png", "mimeType": "image/png", "buffer": corpus.SVG}],
        )
        page.select_option("#evidence_kind", "screenshot")
        page.locator("#evidence-upload button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/evidence/upload/#evidence-upload$"))
        expect(page.locator("#evidence-upload .alert.error")).to_contain_text("logo.png")
        expect(page.locator("#evidence-upload .alert.error")).to_contain_text("JPEG, PNG")
        shoot(page, "09-no-js-refused")
    finally:
        context.close()
    assert EvidenceItem.objects.filter(case=case).count() == 1


def test_staff_see_removed_evidence_marked_and_can_still_download_it(
    page: Page, live_server, alice, carol, make_case
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.services import evidence_attach, evidence_remove

    case = make_case(alice, kind="store_removal", title="店铺因涉嫌售假被清退")
    for name, data, kind in [
        ("违规通知.png", phone_screenshot(), "platform_notice"),
        ("进货发票.pdf", corpus.PDF, "invoice"),
        ("整改说明.txt", corpus.TXT, "rectification_proof"),
    ]:
        evidence_attach(
            actor=alice,
            case=case,
            upload=SimpleUploadedFile(name, data),
            kind=kind,
            description="",
        )
    removed = EvidenceItem.objects.get(original_name="整改说明.txt")
    evidence_remove(actor=alice, item=removed, reason="版本不对")

    problems = watch_for_problems(page)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "carol")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    gone = page.locator(".evidence-item.is-removed")
    expect(gone).to_have_count(1)
    expect(gone).to_contain_text("整改说明.txt")
    expect(gone.locator(".evidence-actions a")).to_have_count(1)  # download only
    with page.expect_download() as info:
        gone.locator(".evidence-actions a").click()
    assert Path(info.value.path()).read_bytes() == corpus.TXT
    expect(page.locator("#evidence-checklist .is-done")).to_have_count(2)
    shoot(page, "10-staff-removed")
    assert problems == []
