"""Uploading evidence from the case page: the plain form (several files, one kind and
description) and the script's one-request-per-file uploads answered in JSON."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.choices import EventKind
from evidence.files import ACCEPTED_LABELS
from evidence.models import EvidenceItem
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


XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest", "HTTP_ACCEPT": "application/json"}


def upload_url(case):
    return reverse("evidence:upload", kwargs={"reference": case.reference})


def f(name, data):
    return SimpleUploadedFile(name, data, "application/octet-stream")


def post(client, case, *files, kind="screenshot", description="退店申请页面", **extra):
    return client.post(
        upload_url(case),
        {"file": list(files), "kind": kind, "description": description},
        **extra,
    )


def stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- Plain form ----------------------------------------------------------------------------


def test_valid_png_is_kept_with_its_event_and_the_seller_returns_to_the_evidence(
    as_alice, alice, alice_case, django_capture_on_commit_callbacks
):
    data = corpus.png()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(as_alice, alice_case, f("退店申请截图.png", data))

    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#evidence"
    item = EvidenceItem.objects.get()
    assert (item.case, item.uploaded_by, item.kind, item.description) == (
        alice_case,
        alice,
        "screenshot",
        "退店申请页面",
    )
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.thumbnail_name  # made after commit
    event = alice_case.events.get(kind=EventKind.EVIDENCE_ADDED)
    assert event.actor == alice
    assert event.changes["evidence"]["name"] == "退店申请截图.png"

    page = as_alice.get(response["Location"]).text
    assert "Kept 1 file: 退店申请截图.png." in page
    assert (
        reverse(
            "evidence:thumbnail",
            kwargs={"reference": alice_case.reference, "evidence_id": item.pk},
        )
        in page
    )


def test_several_files_share_the_kind_and_description(as_alice, alice_case):
    files = [f("a.png", corpus.png()), f("b.pdf", corpus.PDF)]
    response = post(as_alice, alice_case, *files, kind="platform_notice")
    assert response.status_code == 302
    items = EvidenceItem.objects.order_by("original_name")
    assert [(i.original_name, i.kind, i.description) for i in items] == [
        ("a.png", "platform_notice", "退店申请页面"),
        ("b.pdf", "platform_notice", "退店申请页面"),
    ]
    assert alice_case.events.filter(kind=EventKind.EVIDENCE_ADDED).count() == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.html", corpus.HTML),
        ("setup.exe", corpus.EXE),
        ("logo.png", corpus.SVG),
        ("logo.svg", corpus.SVG),
    ],
)
def test_refused_type_answers_415_naming_what_is_accepted_and_saves_nothing(
    as_alice, alice_case, evidence_dir, name, data
):
    response = post(as_alice, alice_case, f(name, data))

    assert response.status_code == 415
    page = response.text
    assert "This file was not kept" in page
    assert name in page
    assert f"Accepted: {ACCEPTED_LABELS}" in page
    # What was chosen stays chosen, for the next try.
    assert 'value="screenshot" selected' in page
    assert "退店申请页面" in page
    # The redisplayed form is where the browser lands.
    assert 'upload/#evidence-upload"' in page
    assert not EvidenceItem.objects.exists()
    assert not alice_case.events.filter(kind=EventKind.EVIDENCE_ADDED).exists()
    assert stored_files(evidence_dir) == []


def test_oversize_file_answers_413(as_alice, alice_case, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 1024
    response = post(as_alice, alice_case, f("big.txt", corpus.TXT * 100))
    assert response.status_code == 413
    assert "a file may be at most" in response.text
    assert not EvidenceItem.objects.exists()


def test_empty_file_answers_400(as_alice, alice_case):
    response = post(as_alice, alice_case, f("empty.txt", b""))
    assert response.status_code == 400
    assert "This file is empty." in response.text
    assert not EvidenceItem.objects.exists()


def test_no_file_at_all_answers_400_with_the_form(as_alice, alice_case):
    response = as_alice.post(upload_url(alice_case), {"kind": "screenshot"})
    assert response.status_code == 400
    assert "Choose one or more files to upload." in response.text


def test_missing_kind_answers_400_and_keeps_nothing(as_alice, alice_case):
    response = post(as_alice, alice_case, f("a.png", corpus.png()), kind="")
    assert response.status_code == 400
    assert "Nothing was uploaded" in response.text
    assert not EvidenceItem.objects.exists()


def test_refusals_for_different_reasons_answer_400_naming_each(as_alice, alice_case, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 2048
    response = post(
        as_alice, alice_case, f("page.html", corpus.HTML), f("big.txt", corpus.TXT * 100)
    )
    assert response.status_code == 400
    assert "These 2 files were not kept" in response.text
    assert "page.html" in response.text
    assert "big.txt" in response.text


def test_mixed_batch_keeps_the_good_files_and_names_the_refused_ones(as_alice, alice_case):
    response = post(
        as_alice,
        alice_case,
        f("收据.pdf", corpus.PDF),
        f("evil.html", corpus.HTML),
        f("截图.png", corpus.png()),
        f("empty.txt", b""),
        kind="payment_receipt",
    )

    # What was kept must not be uploaded again by a reload: redirect, with the report at the
    # top of the case page.
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#main"
    assert sorted(EvidenceItem.objects.values_list("original_name", flat=True)) == [
        "截图.png",
        "收据.pdf",
    ]
    page = as_alice.get(response["Location"]).text
    assert "Kept 2 files: 收据.pdf, 截图.png." in page
    assert "Not kept: evil.html." in page
    assert "Not kept: empty.txt. This file is empty." in page
    assert ACCEPTED_LABELS in page


def test_dangerous_name_is_cleaned_before_it_is_shown(as_alice, alice_case):
    post(as_alice, alice_case, f("../../etc/\u202egnp.exe.png", corpus.png()))
    item = EvidenceItem.objects.get()
    assert item.original_name == "gnp.exe.png"
    page = as_alice.get(alice_case.get_absolute_url()).text
    assert "\u202e" not in page


def test_refused_file_is_named_as_it_would_have_been_kept(as_alice, alice_case):
    response = post(as_alice, alice_case, f("../x/\u202elmth.html", corpus.HTML))
    assert response.status_code == 415
    assert '<strong class="file-name">lmth.html</strong>' in response.text
    assert "\u202e" not in response.text


def test_browser_form_post_is_not_taken_for_a_script(as_alice, alice_case):
    # A browser's own form post accepts */* too: it still gets the page, not JSON.
    response = post(
        as_alice,
        alice_case,
        f("page.html", corpus.HTML),
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    assert response.status_code == 415
    assert response["Content-Type"].startswith("text/html")


# --- The script: one request per file, answered in JSON -------------------------------------


def test_script_upload_answers_201_with_the_item(as_alice, alice_case):
    data = corpus.png()
    response = post(as_alice, alice_case, f("聊天记录.png", data), kind="chat_log", **XHR)

    assert response.status_code == 201
    body = response.json()
    item = EvidenceItem.objects.get()
    assert body["id"] == str(item.pk)
    assert body["name"] == "聊天记录.png"
    assert body["kind"] == "chat_log"
    assert body["kind_label"] == "Chat log"
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["download_url"] == reverse(
        "evidence:download",
        kwargs={"reference": alice_case.reference, "evidence_id": item.pk},
    )


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("page.html", corpus.HTML, 415, "unsupported_type"),
        ("logo.png", corpus.SVG, 415, "unsupported_type"),
        ("empty.txt", b"", 400, "empty_file"),
    ],
)
def test_script_upload_refusal_answers_json_with_its_status(
    as_alice, alice_case, name, data, status, code
):
    response = post(as_alice, alice_case, f(name, data), **XHR)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert body["field"] == "file"
    assert not EvidenceItem.objects.exists()


def test_script_upload_over_the_size_limit_answers_413_json(as_alice, alice_case, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 1024
    response = post(as_alice, alice_case, f("big.txt", corpus.TXT * 100), **XHR)
    assert response.status_code == 413
    assert response.json()["code"] == "file_too_large"


def test_script_upload_form_errors_answer_400_json(as_alice, alice_case):
    response = post(as_alice, alice_case, f("a.png", corpus.png()), kind="selfie", **XHR)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "kind"
    assert body["code"] == "invalid"
    assert body["detail"] == body["errors"]["kind"][0]
    assert "selfie" in body["detail"]
    assert not EvidenceItem.objects.exists()


def test_script_sends_one_file_per_request(as_alice, alice_case):
    response = post(as_alice, alice_case, f("a.png", corpus.png()), f("b.pdf", corpus.PDF), **XHR)
    assert response.status_code == 400
    assert response.json()["code"] == "one_file"
    assert not EvidenceItem.objects.exists()


def test_section_gives_the_script_the_fresh_list_and_checklist(as_alice, alice_case):
    post(as_alice, alice_case, f("a.png", corpus.png()))
    url = reverse("evidence:section", kwargs={"reference": alice_case.reference})
    response = as_alice.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200
    assert 'id="evidence-list-region"' in response.text
    assert 'id="evidence-checklist"' in response.text
    assert "a.png" in response.text
    # Opened as a page, it is the case page's section.
    response = as_alice.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#evidence"
