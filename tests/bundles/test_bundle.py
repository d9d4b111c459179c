"""The evidence bundle: a zip streamed as it is built, with a manifest that proves the files."""

import datetime
import hashlib
import io
import json
import logging
import zipfile

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone, translation

from bundles import bundle as bundle_module
from bundles.bundle import SHARED_EVENT_KINDS, STAFF_ONLY_EVENT_KINDS, bundle_response
from cases.choices import EventKind
from cases.selectors import case_get_for
from cases.services import case_add_note, case_transition
from channels.services import contact_correct, contact_log
from evidence.services import evidence_remove
from tests.evidence import corpus


def _open(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _manifest(archive):
    return json.loads(archive.read("manifest.json"))


@pytest.fixture
def stocked_case(alice, alice_case, attach):
    """Alice's case with a PNG, a PDF, a text file (Chinese name) and one removed file."""
    png = attach(
        alice, alice_case, data=corpus.png(), name="退店申请截图.png", description="退店页"
    )
    pdf = attach(alice, alice_case, data=corpus.PDF, name="notice.pdf", kind="platform_notice")
    txt = attach(alice, alice_case, data=corpus.TXT, name="客服聊天记录.txt", kind="chat_log")
    gone = attach(alice, alice_case, data=corpus.jpeg(), name="wrong.jpg")
    evidence_remove(actor=alice, item=gone, reason="传错了")
    case_add_note(actor=alice, case=alice_case, note="已电话催办")
    alice_case = case_transition(actor=alice, case=alice_case, to="filed", note="提交申请")
    return alice_case, {"png": png, "pdf": pdf, "txt": txt, "gone": gone}


@pytest.fixture
def contacted_case(alice, stocked_case):
    """The stocked case with a call to 抖店客服, a 12315 report (corrected afterwards) and an
    inbound reply, linked to files — one of them removed since."""
    case, items = stocked_case
    now = timezone.now()

    def log(hours_ago, **fields):
        fields.setdefault("direction", "outbound")
        return contact_log(
            actor=alice, case=case, occurred_at=now - datetime.timedelta(hours=hours_ago), **fields
        ).entry

    call = log(
        5,
        channel="phone",
        body="douyin_shop",
        counterpart="抖店客服（工号 8812）",
        filing_type="follow_up",
        external_reference="TK202609271183",
        summary="电话催办保证金退还，客服称 3 个工作日内回电。",
        follow_up_on=timezone.localdate() + datetime.timedelta(days=3),
        evidence=[items["png"].pk],
    )
    report = log(
        3,
        channel="regulator",
        body="12315",
        filing_type="report",
        external_reference="JB-WRONG",
        summary="向 12315 举报平台扣留保证金。",
        evidence=[items["txt"].pk, items["pdf"].pk],
    )
    contact_correct(actor=alice, entry=report, external_reference="JB3301062026110400217")
    evidence_remove(actor=alice, item=items["pdf"])
    reply = log(
        1,
        channel="in_app",
        direction="inbound",
        body="douyin_shop",
        filing_type="response_received",
        external_reference="TK202609271183",
        summary="客服回复：已转交财务审核。",
    )
    return case, items, {"call": call, "report": report, "reply": reply}


def test_bundle_holds_every_current_file_byte_for_byte(alice, stocked_case):
    case, _items = stocked_case
    response = bundle_response(actor=alice, case=case)

    assert isinstance(response, StreamingHttpResponse)
    archive = _open(response)
    assert archive.testzip() is None
    files = sorted(n for n in archive.namelist() if n.startswith("files/"))
    assert files == [
        "files/001-退店申请截图.png",
        "files/002-notice.pdf",
        "files/003-客服聊天记录.txt",
    ]
    assert archive.read("files/001-退店申请截图.png") == corpus.png()
    assert archive.read("files/002-notice.pdf") == corpus.PDF
    assert archive.read("files/003-客服聊天记录.txt") == corpus.TXT
    # The removed file is not handed over.
    assert not any("wrong" in name for name in archive.namelist())
    # Files are stored as they are; the text parts are compressed.
    assert archive.getinfo("files/002-notice.pdf").compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("manifest.json").compress_type == zipfile.ZIP_DEFLATED


def test_manifest_hashes_match_the_files_and_its_own_hash_matches(alice, stocked_case):
    case, _items = stocked_case
    archive = _open(bundle_response(actor=alice, case=case))
    manifest = _manifest(archive)

    assert manifest["case"] == {
        "reference": case.reference,
        "title": case.title,
        "kind": "deposit_refund",
        "platform": "douyin_shop",
    }
    assert manifest["generated_by"] == "alice"
    assert manifest["generated_at"][-6:] == "+08:00"
    assert len(manifest["items"]) == 3
    for entry in manifest["items"]:
        data = archive.read(entry["file"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["size"] == len(data)
        assert entry["status"] == "ok"
        assert entry["uploaded_by"] == "alice"
        assert entry["uploaded_at"].endswith("+08:00")
    first = manifest["items"][0]
    assert (first["original_name"], first["kind"], first["description"]) == (
        "退店申请截图.png",
        "screenshot",
        "退店页",
    )

    digest, name = archive.read("manifest.json.sha256").decode().split()
    assert name == "manifest.json"
    assert digest == hashlib.sha256(archive.read("manifest.json")).hexdigest()
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert sums == [f"{e['sha256']}  {e['file']}" for e in manifest["items"]]


def test_index_shows_the_case_the_timeline_and_every_hash(alice, stocked_case):
    case, items = stocked_case
    with translation.override("en"):
        archive = _open(bundle_response(actor=alice, case=case))
    index = archive.read("index.html").decode()
    manifest_sha256 = hashlib.sha256(archive.read("manifest.json")).hexdigest()

    assert case.reference in index
    assert case.title in index
    assert "Deposit refund" in index
    assert manifest_sha256 in index
    for item in (items["png"], items["pdf"], items["txt"]):
        assert item.sha256 in index
    # The timeline: creation, uploads, the removal, the note and the move to filed.
    assert "Case created as a draft" in index
    assert "Evidence removed: wrong.jpg" in index
    assert "传错了" in index
    assert "已电话催办" in index
    assert "Draft → Filed" in index
    assert "<script" not in index


def test_index_is_in_the_requesting_users_language(alice, stocked_case):
    case, _items = stocked_case
    with translation.override("zh-hans"):
        response = bundle_response(actor=alice, case=case)
    # The body is produced later, whatever language is active by then.
    with translation.override("en"):
        index = _open(response).read("index.html").decode()
    assert 'lang="zh-Hans"' in index
    assert "保证金退还" in index or "保证金" in index  # the case kind, translated


def test_response_is_a_private_attachment_named_after_the_case(alice, stocked_case, settings):
    case, _items = stocked_case
    response = bundle_response(actor=alice, case=case)

    assert response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="{case.reference}-evidence-' in disposition
    assert disposition.endswith('.zip"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_bundle_is_streamed_in_pieces_never_whole(alice, alice_case, attach, monkeypatch):
    """With a small chunk size, a file arrives over many pieces, none much larger than a chunk."""
    monkeypatch.setattr(bundle_module, "CHUNK_SIZE", 1024)
    data = corpus.TXT * 2000  # ~140 KB
    attach(alice, alice_case, data=data, name="log.txt", kind="chat_log")
    response = bundle_response(actor=alice, case=alice_case)

    pieces = list(response.streaming_content)
    assert len(pieces) > 100
    assert max(len(p) for p in pieces) < 64 * 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert archive.read("files/001-log.txt") == data


def test_a_file_missing_from_storage_is_left_out_and_marked_missing(
    alice, stocked_case, evidence_dir, caplog
):
    case, items = stocked_case
    (evidence_dir / items["pdf"].stored_name).unlink()

    with caplog.at_level(logging.ERROR, logger="bundles.bundle"):
        archive = _open(bundle_response(actor=alice, case=case))

    assert archive.testzip() is None
    assert "files/002-notice.pdf" not in archive.namelist()
    entry = next(e for e in _manifest(archive)["items"] if e["original_name"] == "notice.pdf")
    assert (entry["file"], entry["status"], entry["sha256"]) == (
        None,
        "missing",
        items["pdf"].sha256,
    )
    assert "notice.pdf" not in archive.read("SHA256SUMS").decode()
    assert "missing from storage" in caplog.text
    # The others are still there, intact.
    assert archive.read("files/001-退店申请截图.png") == corpus.png()


def test_a_changed_file_is_included_but_flagged(alice, stocked_case, evidence_dir):
    case, items = stocked_case
    path = evidence_dir / items["txt"].stored_name
    path.write_bytes(b"X" + path.read_bytes()[1:])

    archive = _open(bundle_response(actor=alice, case=case))
    entry = next(e for e in _manifest(archive)["items"] if e["original_name"] == "客服聊天记录.txt")
    assert entry["status"] == "changed"
    assert entry["sha256"] == items["txt"].sha256  # the hash recorded at upload, not today's
    assert hashlib.sha256(archive.read(entry["file"])).hexdigest() != entry["sha256"]


def test_two_files_with_one_name_get_distinct_paths(alice, alice_case, attach):
    attach(alice, alice_case, data=corpus.png(), name="截图.png")
    attach(alice, alice_case, data=corpus.png(colour=(1, 2, 3)), name="截图.png")
    archive = _open(bundle_response(actor=alice, case=alice_case))
    assert sorted(n for n in archive.namelist() if n.startswith("files/")) == [
        "files/001-截图.png",
        "files/002-截图.png",
    ]


def test_file_names_in_the_bundle_unpack_on_windows_and_the_manifest_keeps_the_original(
    alice, alice_case, attach
):
    attach(alice, alice_case, data=corpus.TXT, name="CON.txt")
    attach(alice, alice_case, data=corpus.CSV, name="对账单<终>:v2?.csv")
    archive = _open(bundle_response(actor=alice, case=alice_case))

    assert sorted(n for n in archive.namelist() if n.startswith("files/")) == [
        "files/001-_CON.txt",
        "files/002-对账单_终__v2_.csv",
    ]
    originals = [item["original_name"] for item in _manifest(archive)["items"]]
    assert originals == ["CON.txt", "对账单<终>:v2?.csv"]


def test_an_empty_case_gives_a_valid_bundle(alice, alice_case):
    archive = _open(bundle_response(actor=alice, case=alice_case))
    assert _manifest(archive)["items"] == []
    assert set(archive.namelist()) == {
        "manifest.json",
        "manifest.json.sha256",
        "SHA256SUMS",
        "index.html",
    }


def test_large_files_get_zip64_headers(alice, alice_case, attach, monkeypatch):
    # Pretend the limit is tiny rather than write 4 GB.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)
    data = corpus.TXT * 100
    attach(alice, alice_case, data=data, name="big.txt", kind="chat_log")
    archive = _open(bundle_response(actor=alice, case=alice_case))
    assert archive.read("files/001-big.txt") == data


def test_staff_bundle_also_leaves_removed_files_out(carol, stocked_case):
    case, _items = stocked_case
    archive = _open(bundle_response(actor=carol, case=case))
    assert len(_manifest(archive)["items"]) == 3
    assert _manifest(archive)["generated_by"] == "carol"


def test_manifest_lists_every_contact_with_its_reference_and_files(alice, contacted_case):
    case, items, _contacts = contacted_case
    manifest = _manifest(_open(bundle_response(actor=alice, case=case)))

    contacts = manifest["contacts"]
    assert [c["external_reference"] for c in contacts] == [
        "TK202609271183",
        "JB3301062026110400217",  # as corrected
        "TK202609271183",
    ]
    call, report, reply = contacts
    assert call == {
        "occurred_at": call["occurred_at"],
        "channel": "phone",
        "direction": "outbound",
        "counterpart": "抖店客服（工号 8812）",
        "body": "douyin_shop",
        "filing_type": "follow_up",
        "external_reference": "TK202609271183",
        "summary": "电话催办保证金退还，客服称 3 个工作日内回电。",
        "follow_up_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "evidence": [
            {
                "file": "files/001-退店申请截图.png",
                "original_name": "退店申请截图.png",
                "sha256": items["png"].sha256,
            }
        ],
        "logged_by": "alice",
        "logged_at": call["logged_at"],
        "corrected_at": None,
    }
    assert call["occurred_at"].endswith("+08:00") and call["occurred_at"] < call["logged_at"]
    assert (report["body"], report["filing_type"], report["channel"]) == (
        "12315",
        "report",
        "regulator",
    )
    assert report["corrected_at"] is not None
    # The removed file stays named (with its hash) but is not in the bundle.
    assert {(f["original_name"], f["file"]) for f in report["evidence"]} == {
        ("客服聊天记录.txt", "files/002-客服聊天记录.txt"),
        ("notice.pdf", None),
    }
    assert (reply["direction"], reply["evidence"]) == ("inbound", [])


def test_index_shows_contacts_in_a_table_and_in_the_timeline(alice, contacted_case):
    case, _items, _contacts = contacted_case
    with translation.override("en"):
        index = _open(bundle_response(actor=alice, case=case)).read("index.html").decode()

    assert 'id="contacts"' in index
    for text in (
        "TK202609271183",
        "JB3301062026110400217",
        "抖店客服（工号 8812）",
        "电话催办保证金退还",
        "向 12315 举报平台扣留保证金。",
        "Follow up on",
        "notice.pdf (not in this bundle)",
        "files/002-客服聊天记录.txt",
    ):
        assert text in index, text
    # In the timeline: what was filed, how, with whom, and the correction's old → new.
    assert "Report (举报) · Regulator" in index
    assert "Follow-up · Phone" in index
    assert "They contacted us" in index
    assert "Contact corrected: Report (举报) of" in index
    assert "<del>JB-WRONG</del> → <ins>JB3301062026110400217</ins>" in index
    # A contact stands in the timeline in place of its "logged" event.
    assert "Contact logged" not in index
    timeline = index[index.index('id="timeline"') :]
    assert timeline.index("Follow-up · Phone") < timeline.index("Report (举报) · Regulator")
    assert "<script" not in index


def test_a_case_without_contacts_says_so(alice, stocked_case):
    case, _items = stocked_case
    with translation.override("en"):
        archive = _open(bundle_response(actor=alice, case=case))
    assert _manifest(archive)["contacts"] == []
    assert "No contacts were logged on this case." in archive.read("index.html").decode()


def test_every_event_kind_is_decided_for_bundles():
    """A new kind of timeline entry must be declared shared or staff-only before it can reach a
    bundle handed to a third party."""
    assert SHARED_EVENT_KINDS.isdisjoint(STAFF_ONLY_EVENT_KINDS)
    assert set(EventKind.values) == SHARED_EVENT_KINDS | STAFF_ONLY_EVENT_KINDS


def test_bundle_reads_the_database_before_streaming(
    alice, contacted_case, django_assert_max_num_queries
):
    case = case_get_for(actor=alice, reference=contacted_case[0].reference)  # as the views do
    # Files, contacts, their files, events, and the directory (a correction changed a contact).
    with django_assert_max_num_queries(5):
        response = bundle_response(actor=alice, case=case)
    with django_assert_max_num_queries(0):
        b"".join(response.streaming_content)


# --- Through the web and the API (access is the views' job; checked once here) ----------------


def _web_bundle(client, case):
    return client.get(f"/cases/{case.reference}/evidence/bundle/", secure=True)


def test_owner_downloads_the_bundle_on_the_web_and_another_seller_gets_404(
    client, alice, bob, stocked_case
):
    case, _items = stocked_case
    client.force_login(alice)
    response = _web_bundle(client, case)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert len(_manifest(_open(response))["items"]) == 3

    client.force_login(bob)
    assert _web_bundle(client, case).status_code == 404


def test_the_api_bundle_answers_the_owner_and_404s_another_seller(api_as, alice, bob, stocked_case):
    case, _items = stocked_case
    url = f"/api/v1/cases/{case.reference}/bundle/"
    response = api_as(alice).get(url, secure=True)
    assert response.status_code == 200
    assert _manifest(_open(response))["generated_by"] == "alice"

    assert api_as(bob).get(url, secure=True).status_code == 404
