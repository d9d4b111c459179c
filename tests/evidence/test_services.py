"""Keeping, editing, removing and verifying evidence through the services."""

import hashlib

import pytest
from PIL import Image

from cases.choices import EventKind
from config.errors import ConflictError, DomainError, TooLargeError, UnsupportedMediaError
from evidence.background import evidence_verify
from evidence.models import EvidenceItem
from evidence.services import evidence_remove, evidence_update
from tests.evidence import corpus


def _stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_upload_keeps_the_exact_bytes_with_their_hash_and_writes_an_event(
    alice, alice_case, attach, evidence_dir
):
    data = corpus.png()
    item = attach(alice, alice_case, data=data, name="退店申请截图.png", description="退店申请页面")

    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert (item.size, item.content_type, item.original_name) == (
        len(data),
        "image/png",
        "退店申请截图.png",
    )
    with item.open_file() as stored:
        assert stored.read() == data
    # Stored under a generated name, not the uploaded one.
    assert "退店" not in item.stored_name
    event = alice_case.events.get(kind=EventKind.EVIDENCE_ADDED)
    assert event.actor == alice
    assert event.changes["evidence"]["sha256"] == item.sha256
    assert event.note == "退店申请页面"


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"", "empty.txt", DomainError),
        (corpus.HTML, "page.html", UnsupportedMediaError),
        (corpus.SVG, "logo.png", UnsupportedMediaError),
        (corpus.POLYGLOT, "notice.pdf", UnsupportedMediaError),
        (corpus.EXE, "setup.exe", UnsupportedMediaError),
        (b"not really a png", "photo.png", UnsupportedMediaError),
    ],
)
def test_refused_upload_leaves_no_file_and_no_row(
    alice, alice_case, attach, evidence_dir, data, name, error
):
    with pytest.raises(error):
        attach(alice, alice_case, data=data, name=name)
    assert not EvidenceItem.objects.exists()
    assert not alice_case.events.filter(kind=EventKind.EVIDENCE_ADDED).exists()
    assert _stored_files(evidence_dir) == []


def test_damaged_image_is_refused_after_storing_and_its_file_deleted(
    alice, alice_case, attach, evidence_dir
):
    damaged = corpus.png()[:60]  # the PNG signature and header, then nothing
    with pytest.raises(UnsupportedMediaError):
        attach(alice, alice_case, data=damaged, name="broken.png")
    assert _stored_files(evidence_dir) == []


def test_decompression_bomb_is_refused(alice, alice_case, attach, evidence_dir, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(UnsupportedMediaError) as refused:
        attach(alice, alice_case, data=corpus.png(size=(100, 100)), name="bomb.png")
    assert refused.value.code == "image_too_large"
    assert _stored_files(evidence_dir) == []


def test_oversize_file_is_a_413(alice, alice_case, attach, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 100
    with pytest.raises(TooLargeError) as refused:
        attach(alice, alice_case, data=corpus.TXT * 10, name="long.txt")
    assert refused.value.status == 413


def test_case_file_and_size_limits(alice, alice_case, attach, settings, evidence_dir):
    settings.EVIDENCE_MAX_FILES_PER_CASE = 2
    attach(alice, alice_case, data=corpus.TXT, name="1.txt")
    attach(alice, alice_case, data=corpus.TXT, name="2.txt")
    with pytest.raises(ConflictError):
        attach(alice, alice_case, data=corpus.TXT, name="3.txt")

    settings.EVIDENCE_MAX_FILES_PER_CASE = 200
    settings.EVIDENCE_MAX_BYTES_PER_CASE = len(corpus.TXT) * 3 - 1
    with pytest.raises(TooLargeError):
        attach(alice, alice_case, data=corpus.TXT, name="3.txt")
    assert EvidenceItem.objects.count() == 2
    assert len(_stored_files(evidence_dir)) == 2


def test_edit_is_audited_with_old_and_new_values(alice, alice_case, attach):
    item = attach(alice, alice_case)
    evidence_update(actor=alice, item=item, kind="platform_notice", description="违规通知")

    item.refresh_from_db()
    assert (item.kind, item.description) == ("platform_notice", "违规通知")
    event = alice_case.events.get(kind=EventKind.EVIDENCE_EDITED)
    assert event.changes["kind"] == {"old": "screenshot", "new": "platform_notice"}


def test_removal_is_soft_and_audited(alice, alice_case, attach, evidence_dir):
    item = attach(alice, alice_case)
    evidence_remove(actor=alice, item=item, reason="传错了")

    item.refresh_from_db()
    assert item.removed_by == alice and item.removed_at is not None
    assert (evidence_dir / item.stored_name).exists()  # the bytes are kept
    event = alice_case.events.get(kind=EventKind.EVIDENCE_REMOVED)
    assert event.note == "传错了"
    with pytest.raises(ConflictError):
        evidence_remove(actor=alice, item=item)
    with pytest.raises(ConflictError):
        evidence_update(actor=alice, item=item, description="x")


def test_verify_catches_a_changed_byte_and_a_missing_file(alice, alice_case, attach, evidence_dir):
    intact = attach(alice, alice_case, data=corpus.TXT, name="a.txt")
    changed = attach(alice, alice_case, data=corpus.PDF, name="b.pdf")
    gone = attach(alice, alice_case, data=corpus.png(), name="c.png")
    assert evidence_verify().ok

    path = evidence_dir / changed.stored_name
    data = bytearray(path.read_bytes())
    data[20] ^= 0x01
    path.write_bytes(bytes(data))
    (evidence_dir / gone.stored_name).unlink()

    check = evidence_verify()
    assert check.checked == 3
    assert [m["id"] for m in check.mismatches] == [str(changed.pk)]
    assert [m["id"] for m in check.missing] == [str(gone.pk)]
    assert str(intact.pk) not in str(check.mismatches + check.missing)


def test_images_get_a_thumbnail_after_commit(
    alice, alice_case, attach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = attach(alice, alice_case, data=corpus.png(size=(1200, 800)))
    item.refresh_from_db()
    assert item.thumbnail_name
    with item.open_thumbnail() as thumb, Image.open(thumb) as image:
        assert max(image.size) <= 320
        assert image.format == "JPEG"


def test_documents_get_no_thumbnail(alice, alice_case, attach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = attach(alice, alice_case, data=corpus.PDF, name="notice.pdf")
    item.refresh_from_db()
    assert item.thumbnail_name == ""


def test_a_file_missing_from_storage_downloads_as_404_not_a_crash(
    alice, alice_case, attach, evidence_dir
):
    from django.http import Http404

    from evidence.http import evidence_file_response
    from evidence.selectors import evidence_get_for

    item = attach(alice, alice_case, data=corpus.TXT, name="a.txt")
    (evidence_dir / item.stored_name).unlink()
    with pytest.raises(Http404):
        evidence_file_response(item)
    with pytest.raises(Http404):
        evidence_get_for(actor=alice, reference=alice_case.reference, evidence_id="not-a-uuid")
