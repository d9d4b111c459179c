"""POST /api/v1/cases/{reference}/evidence/: the upload corpus through the API, names, limits.

Every refusal leaves nothing behind: no row, no event, no stored file."""

import hashlib

import pytest

from cases.choices import EventKind
from evidence.files import ACCEPTED_LABELS
from evidence.models import EvidenceItem
from tests.api.evidence_helpers import BOUNDARY, list_url, multipart, upload
from tests.evidence import corpus


def _stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _nothing_kept(case, folder):
    assert not EvidenceItem.objects.exists()
    assert not case.events.filter(kind=EventKind.EVIDENCE_ADDED).exists()
    assert _stored_files(folder) == []


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (corpus.png(), "退店申请截图.png", "image/png"),
        (corpus.jpeg(), "付款凭证.jpg", "image/jpeg"),
        (corpus.PDF, "违规通知.pdf", "application/pdf"),
        (corpus.MP4, "录屏.mp4", "video/mp4"),
        (corpus.TXT, "客服聊天记录.txt", "text/plain"),
    ],
)
def test_accepted_file_is_kept_with_its_hash_and_an_event(
    alice_api, alice, alice_case, evidence_dir, data, name, content_type
):
    response = upload(alice_api, alice_case, data, name, kind="chat_log", description=" 抖店 客服 ")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["size"], body["content_type"], body["original_name"]) == (
        len(data),
        content_type,
        name,
    )
    assert (body["kind"], body["description"], body["uploaded_by"]) == (
        "chat_log",
        "抖店 客服",
        "alice",
    )
    assert body["removed_at"] is None and body["removed_by"] is None
    assert response["Location"].endswith(f"/evidence/{body['id']}/")
    item = EvidenceItem.objects.get(pk=body["id"])
    with item.open_file() as stored:
        assert stored.read() == data
    event = alice_case.events.get(kind=EventKind.EVIDENCE_ADDED)
    assert event.actor == alice
    assert event.changes["evidence"]["sha256"] == body["sha256"]


def test_evidence_json_has_the_contract_fields(alice_api, alice_case):
    body = upload(alice_api, alice_case, corpus.PDF, "通知.pdf", kind="platform_notice").json()
    assert set(body) >= {
        "id",
        "kind",
        "description",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
        "uploaded_by",
        "download_url",
    }
    assert body["download_url"].endswith(
        f"/api/v1/cases/{alice_case.reference}/evidence/{body['id']}/file"
    )
    # Datetimes carry their offset (DESIGN.md).
    assert body["uploaded_at"].endswith("+08:00")


def test_captured_date_is_kept(alice_api, alice_case):
    response = upload(alice_api, alice_case, corpus.png(), captured_on="2026-08-01")
    assert response.status_code == 201, response.content
    assert response.json()["captured_on"] == "2026-08-01"
    assert EvidenceItem.objects.get().captured_on.isoformat() == "2026-08-01"


@pytest.mark.parametrize("captured_on", ["1899-12-31", "2999-01-01", "yesterday"])
def test_implausible_captured_date_is_refused(alice_api, alice_case, evidence_dir, captured_on):
    response = upload(alice_api, alice_case, corpus.png(), captured_on=captured_on)
    assert response.status_code == 400
    assert response.json()["field"] == "captured_on"
    _nothing_kept(alice_case, evidence_dir)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (corpus.HTML, "page.html"),
        (corpus.HTML, "page.txt"),
        (corpus.SVG, "logo.svg"),
        (corpus.SVG, "logo.png"),
        (corpus.POLYGLOT, "notice.pdf"),
        (corpus.ELF, "tool"),
        (corpus.EXE, "setup.exe"),
        (corpus.EXE, "receipt.pdf"),
        (corpus.ZIP_ARCHIVE, "photos.zip"),
        (corpus.DOCM, "contract.docx"),
        (corpus.png(), "screenshot.pdf"),
    ],
)
def test_refused_type_is_415_naming_what_is_accepted(
    alice_api, alice_case, evidence_dir, data, name
):
    response = upload(alice_api, alice_case, data, name)

    assert response.status_code == 415, response.content
    body = response.json()
    assert body["code"] == "unsupported_type"
    assert body["field"] == "file"
    assert body["accepted"] == ACCEPTED_LABELS.split(", ")
    assert ACCEPTED_LABELS in body["detail"]
    _nothing_kept(alice_case, evidence_dir)


def test_empty_file_is_400(alice_api, alice_case, evidence_dir):
    response = upload(alice_api, alice_case, b"", "empty.txt")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("empty_file", "file")
    _nothing_kept(alice_case, evidence_dir)


def test_missing_file_is_400(alice_api, alice_case, evidence_dir):
    response = upload(alice_api, alice_case, None)
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    _nothing_kept(alice_case, evidence_dir)


def test_file_sent_as_a_plain_field_is_400(alice_api, alice_case, evidence_dir):
    body = multipart({"kind": "screenshot", "file": "not a file"}, file=None)
    response = alice_api.post(
        list_url(alice_case), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    _nothing_kept(alice_case, evidence_dir)


@pytest.mark.parametrize("kind", [None, "", "selfie"])
def test_missing_or_unknown_kind_is_400_naming_the_kinds(alice_api, alice_case, kind):
    response = upload(alice_api, alice_case, corpus.png(), kind=kind)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "kind"
    assert not EvidenceItem.objects.exists()
    if kind == "selfie":
        assert "screenshot" in body["detail"]


def test_description_over_500_characters_is_400(alice_api, alice_case):
    response = upload(alice_api, alice_case, corpus.png(), description="长" * 501)
    assert response.status_code == 400
    assert response.json()["field"] == "description"


def test_unknown_field_is_400(alice_api, alice_case):
    response = upload(alice_api, alice_case, corpus.png(), sha256="0" * 64)
    assert response.status_code == 400
    assert response.json()["field"] == "sha256"
    assert not EvidenceItem.objects.exists()


def test_json_body_is_415_asking_for_multipart(alice_api, alice_case):
    response = alice_api.post(
        list_url(alice_case), {"kind": "screenshot", "file": "aGVsbG8="}, format="json"
    )
    assert response.status_code == 415
    body = response.json()
    assert body["accepted"] == ["multipart/form-data"]
    assert "multipart/form-data" in body["detail"]


def test_form_urlencoded_body_is_415(alice_api, alice_case):
    response = alice_api.post(
        list_url(alice_case),
        "kind=screenshot",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert response.json()["accepted"] == ["multipart/form-data"]


# --- Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/截图.png", "截图.png"),
        ("..\\..\\Windows\\截图.png", "截图.png"),
        ("shot\x00.png", "shot.png"),
        ("收据\u202egnp.png", "收据gnp.png"),
        ("抖店保证金退还申请 第2页.png", "抖店保证金退还申请 第2页.png"),
    ],
)
def test_original_name_is_made_safe_and_chinese_stays_chinese(alice_api, alice_case, sent, kept):
    response = upload(alice_api, alice_case, corpus.png(), sent)
    assert response.status_code == 201, response.content
    assert response.json()["original_name"] == kept
    assert EvidenceItem.objects.get().original_name == kept


def test_very_long_name_is_capped_keeping_its_extension(alice_api, alice_case):
    response = upload(alice_api, alice_case, corpus.png(), "截" * 300 + ".png")
    assert response.status_code == 201, response.content
    name = response.json()["original_name"]
    assert len(name) <= 200
    assert name.startswith("截截截") and name.endswith(".png")


def test_download_uses_the_safe_name(alice_api, alice_case):
    body = upload(alice_api, alice_case, corpus.png(), "../收据\u202egnp.png").json()
    response = alice_api.get(body["download_url"])
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "utf-8''%E6%94%B6%E6%8D%AEgnp.png" in disposition
    assert ".." not in disposition and "%E2%80%AE" not in disposition


# --- Limits --------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_413(alice_api, alice_case, evidence_dir, settings):
    data = corpus.png()
    settings.EVIDENCE_MAX_FILE_SIZE = len(data) - 1
    response = upload(alice_api, alice_case, data)
    assert response.status_code == 413
    body = response.json()
    assert (body["code"], body["field"]) == ("file_too_large", "file")
    _nothing_kept(alice_case, evidence_dir)


def test_body_surely_over_the_limit_is_413_before_it_is_read(
    alice_api, alice_case, evidence_dir, settings, monkeypatch
):
    from rest_framework.parsers import MultiPartParser

    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", never)
    settings.EVIDENCE_MAX_FILE_SIZE = 1024
    response = upload(alice_api, alice_case, b"x" * (1024 * 1024 + 2048), "big.txt")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "file_too_large"
    _nothing_kept(alice_case, evidence_dir)


def test_oversized_form_fields_are_a_json_413_not_an_html_400(alice_api, alice_case, settings):
    # Django counts only non-file fields against DATA_UPLOAD_MAX_MEMORY_SIZE (files stream to
    # temporary files); over it, Django raises RequestDataTooBig.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = upload(alice_api, alice_case, corpus.png(), description="x" * 2000)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large"
    assert not EvidenceItem.objects.exists()


def test_case_full_of_files_is_409(alice_api, alice_case, evidence_dir, settings):
    settings.EVIDENCE_MAX_FILES_PER_CASE = 1
    assert upload(alice_api, alice_case, corpus.png()).status_code == 201
    response = upload(alice_api, alice_case, corpus.jpeg(), "第二张.jpg")
    assert response.status_code == 409
    assert response.json()["code"] == "case_file_limit"
    assert EvidenceItem.objects.count() == 1
    assert len(_stored_files(evidence_dir)) == 1


def test_case_over_its_total_size_is_413(alice_api, alice_case, settings):
    data = corpus.png()
    settings.EVIDENCE_MAX_BYTES_PER_CASE = len(data) + 10
    assert upload(alice_api, alice_case, data).status_code == 201
    response = upload(alice_api, alice_case, data, "again.png")
    assert response.status_code == 413
    assert response.json()["code"] == "case_size_limit"


def test_staff_can_upload_to_any_case(carol_api, alice_case):
    response = upload(carol_api, alice_case, corpus.PDF, "平台回复.pdf", kind="correspondence")
    assert response.status_code == 201
    assert response.json()["uploaded_by"] == "carol"
