"""The evidence section of the case page (list, checklist, timeline) and the edit and remove
pages: what they show, what they change through the services, and how they refuse."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import EventKind
from evidence.models import EvidenceItem
from evidence.services import evidence_remove, evidence_update
from tests.evidence import corpus


class HttpsClient(Client):
    """Over HTTPS as in production; in English, which these tests read."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


def item_url(name, item):
    return reverse(
        f"evidence:{name}",
        kwargs={"reference": item.case.reference, "evidence_id": item.pk},
    )


# --- The case page ---------------------------------------------------------------------------


def test_case_page_lists_evidence_with_its_facts(
    as_alice, alice, alice_case, attach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = attach(alice, alice_case, name="退店申请截图.png", description="退店申请已通过")
    pdf = attach(alice, alice_case, data=corpus.PDF, name="通知.pdf", kind="platform_notice")
    image.refresh_from_db()

    page = as_alice.get(alice_case.get_absolute_url()).text

    assert item_url("thumbnail", image) in page  # images: their thumbnail
    assert item_url("thumbnail", pdf) not in page  # others: a type tile
    assert '<span class="file-tile file-pdf" aria-hidden="true">PDF</span>' in page
    assert "退店申请截图.png" in page
    assert "退店申请已通过" in page
    assert "Screenshot" in page
    assert "Platform notice" in page
    assert f'title="SHA-256 {image.sha256}"' in page
    assert f"<code>{image.sha256[:12]}…</code>" in page
    assert "uploaded by alice" in page
    for name in ("download", "edit", "remove"):
        assert item_url(name, image) in page
    assert reverse("bundles:download", kwargs={"reference": alice_case.reference}) in page
    assert 'class="count">2<' in page


def test_empty_case_invites_uploads_and_offers_no_bundle(as_alice, alice_case):
    page = as_alice.get(alice_case.get_absolute_url()).text
    assert "No evidence yet." in page
    assert reverse("bundles:download", kwargs={"reference": alice_case.reference}) not in page
    assert 'enctype="multipart/form-data"' in page
    assert "evidence-upload.js" in page


def test_checklist_marks_what_is_in_hand_and_what_is_missing(as_alice, alice, alice_case, attach):
    attach(alice, alice_case, data=corpus.PDF, name="收据.pdf", kind="payment_receipt")
    page = as_alice.get(alice_case.get_absolute_url()).text

    assert "Evidence checklist" in page
    assert "1 of 5 in hand" in page
    done = page.split('class="checklist-item is-done"')
    assert len(done) == 2 and "Deposit payment vouchers" in done[1].split("</li>")[0]
    assert page.count('class="checklist-item is-missing"') == 4
    assert "The application page with its date and status." in page  # a missing item's hint
    assert "Upload as: Screenshot / Screen recording" in page


def test_a_removed_item_no_longer_ticks_the_checklist(as_alice, alice, alice_case, attach):
    receipt = attach(alice, alice_case, data=corpus.PDF, name="收据.pdf", kind="payment_receipt")
    evidence_remove(actor=alice, item=receipt)
    assert "0 of 5 in hand" in as_alice.get(alice_case.get_absolute_url()).text


def test_staff_see_removed_items_marked_with_who_and_when(client, alice, carol, alice_case, attach):
    item = attach(alice, alice_case, name="错的截图.png")
    evidence_remove(actor=alice, item=item, reason="传错了")
    client.force_login(carol)
    page = client.get(alice_case.get_absolute_url()).text

    assert "evidence-item is-removed" in page
    assert "错的截图.png" in page
    assert "Removed by alice on" in page
    assert item_url("download", item) in page
    assert item_url("edit", item) not in page
    assert 'class="count">0<' in page


def test_seller_does_not_see_removed_items(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="错的截图.png")
    evidence_remove(actor=alice, item=item, reason="传错了")
    page = as_alice.get(alice_case.get_absolute_url()).text
    assert item_url("download", item) not in page
    assert "is-removed" not in page


def test_timeline_shows_evidence_added_edited_and_removed(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="截图.png", description="退店申请")
    evidence_update(actor=alice, item=item, kind="platform_notice", description="平台通知")
    evidence_remove(actor=alice, item=item, reason="重复上传")
    page = as_alice.get(alice_case.get_absolute_url()).text
    timeline = page.split('id="timeline"')[1]

    def event(kind):
        return timeline.split(f'event-{kind}">')[1].split('<li class="event ')[0]

    added = event("evidence_added")
    assert "Evidence added" in added and "截图.png" in added and "Screenshot" in added
    assert "退店申请" in added

    edited = event("evidence_edited")
    assert "截图.png" in edited
    assert "<del>Screenshot</del>" in edited and "<ins>Platform notice</ins>" in edited
    assert "<del>退店申请</del>" in edited and "<ins>平台通知</ins>" in edited

    removed = event("evidence_removed")
    assert "Evidence removed" in removed and "截图.png" in removed and "重复上传" in removed


def test_names_and_descriptions_are_escaped(as_alice, alice, alice_case, attach):
    attach(alice, alice_case, name="<b>x</b>.png", description="<script>alert(1)</script>")
    page = as_alice.get(alice_case.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_bundle_link_gives_the_zip(as_alice, alice, alice_case, attach):
    data = corpus.png()
    attach(alice, alice_case, data=data, name="截图.png")
    response = as_alice.get(reverse("bundles:download", kwargs={"reference": alice_case.reference}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert data in [archive.read(name) for name in archive.namelist()]


# --- Edit ------------------------------------------------------------------------------------


def test_edit_page_shows_the_file_and_its_current_values(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="截图.png", description="退店申请")
    response = as_alice.get(item_url("edit", item))
    assert response.status_code == 200
    assert item.sha256 in response.text
    assert 'value="screenshot" selected' in response.text
    assert "退店申请" in response.text


def test_edit_changes_kind_and_description_with_an_event(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="截图.png", description="退店申请")
    response = as_alice.post(
        item_url("edit", item), {"kind": "platform_notice", "description": "保证金通知"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#evidence"
    item.refresh_from_db()
    assert (item.kind, item.description) == ("platform_notice", "保证金通知")
    event = alice_case.events.get(kind=EventKind.EVIDENCE_EDITED)
    assert event.changes["kind"] == {"old": "screenshot", "new": "platform_notice"}
    assert "Saved the changes to “截图.png”." in as_alice.get(response["Location"]).text


def test_edit_with_nothing_changed_says_so_and_writes_no_event(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="截图.png", description="退店申请")
    response = as_alice.post(
        item_url("edit", item), {"kind": "screenshot", "description": "退店申请"}
    )
    assert response.status_code == 302
    assert not alice_case.events.filter(kind=EventKind.EVIDENCE_EDITED).exists()
    assert "Nothing to save" in as_alice.get(response["Location"]).text


@pytest.mark.parametrize(
    "data",
    [{"kind": "selfie", "description": ""}, {"kind": "screenshot", "description": "长" * 501}],
)
def test_edit_with_bad_input_answers_400_and_keeps_the_item(
    as_alice, alice, alice_case, attach, data
):
    item = attach(alice, alice_case, name="截图.png")
    response = as_alice.post(item_url("edit", item), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.text
    item.refresh_from_db()
    assert item.kind == "screenshot"


# --- Remove ----------------------------------------------------------------------------------


def test_remove_page_asks_to_confirm(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="截图.png")
    response = as_alice.get(item_url("remove", item))
    assert response.status_code == 200
    assert "Remove evidence" in response.text
    assert not EvidenceItem.objects.get().is_removed


def test_remove_with_a_reason_marks_the_item_removed_with_an_event(
    as_alice, alice, alice_case, attach
):
    item = attach(alice, alice_case, name="截图.png")
    response = as_alice.post(item_url("remove", item), {"reason": "传错了"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_removed and item.removed_by == alice
    event = alice_case.events.get(kind=EventKind.EVIDENCE_REMOVED)
    assert event.note == "传错了"
    page = as_alice.get(response["Location"]).text
    assert "Removed “截图.png” from the case." in page
    # The file is kept for staff and the record.
    with item.open_file() as stored:
        assert stored.read() == corpus.png()


def test_remove_button_asks_for_confirmation(as_alice, alice, alice_case, attach):
    attach(alice, alice_case, name="截图.png")
    page = as_alice.get(alice_case.get_absolute_url()).text
    assert 'data-confirm="Remove “截图.png” from the case?' in page


def test_remove_with_too_long_a_reason_answers_400(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="截图.png")
    response = as_alice.post(item_url("remove", item), {"reason": "长" * 501})
    assert response.status_code == 400
    assert "Nothing was removed" in response.text
    item.refresh_from_db()
    assert not item.is_removed


def test_chinese_page_shows_the_evidence_section_in_chinese(client, alice, alice_case, attach):
    attach(alice, alice_case, name="截图.png")
    client.force_login(alice)
    response = client.get(alice_case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    assert "截图.png" in response.text
