"""The upload rules on their own: which bytes are accepted under which names."""

import pytest
from django.utils import translation

from config.errors import UnsupportedMediaError
from evidence.files import check_type, clean_name
from tests.evidence import corpus

ACCEPTED = [
    (corpus.png(), "截图.png", "image/png"),
    (corpus.jpeg(), "receipt.JPG", "image/jpeg"),
    (corpus.PDF, "notice.pdf", "application/pdf"),
    (corpus.MP4, "recording.mp4", "video/mp4"),
    (corpus.TXT, "chat.txt", "text/plain"),
    (corpus.CSV, "流水.csv", "text/plain"),  # libmagic calls short CSV plain text
    (
        corpus.DOCX,
        "申诉书.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
]
REFUSED = [
    (corpus.HTML, "page.html"),
    (corpus.HTML, "page.txt"),
    (corpus.SVG, "logo.svg"),
    (corpus.SVG, "logo.png"),
    (corpus.POLYGLOT, "notice.pdf"),
    (corpus.ELF, "tool"),
    (corpus.ELF, "photo.jpg"),
    (corpus.EXE, "setup.exe"),
    (corpus.EXE, "invoice.pdf"),
    (corpus.ZIP_ARCHIVE, "photos.zip"),
    (corpus.ZIP_ARCHIVE, "fake.docx"),
    (corpus.DOCM, "macro.docx"),
    (corpus.png(), "photo.jpg"),  # the name must agree with the content
    (corpus.PDF, "notice.png"),
    (b"#!/bin/sh\nrm -rf /\n", "run.sh"),
    (b'<?xml version="1.0"?><order/>', "order.xml"),
]


@pytest.mark.parametrize(("data", "name", "expected"), ACCEPTED, ids=[c[1] for c in ACCEPTED])
def test_accepted_types_are_recognised_by_content(data, name, expected):
    import io

    assert check_type(head=data[:8192], name=name, open_file=io.BytesIO(data)) == expected


@pytest.mark.parametrize(("data", "name"), REFUSED, ids=[c[1] for c in REFUSED])
def test_refused_types_name_what_is_accepted(data, name):
    import io

    with pytest.raises(UnsupportedMediaError) as refused:
        check_type(head=data[:8192], name=name, open_file=io.BytesIO(data))
    assert refused.value.status == 415
    assert "JPEG, PNG" in refused.value.message


def test_office_file_with_parts_in_unusual_order_is_still_a_document():
    import io

    data = corpus.DOCX_OUT_OF_ORDER
    content_type = check_type(head=data[:8192], name="a.docx", open_file=io.BytesIO(data))
    assert content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\li\\聊天记录.txt", "聊天记录.txt"),
        ("evil\x00.txt", "evil.txt"),
        ("invoice\u202egpj.exe.pdf", "invoicegpj.exe.pdf"),
        ("  .hidden.png", "hidden.png"),
        ("抖店保证金退还截图 2026-10-15.png", "抖店保证金退还截图 2026-10-15.png"),
        ("", "file"),
        ("...", "file"),
    ],
)
def test_names_lose_paths_controls_and_bidi_overrides(raw, clean):
    # A name with nothing left is called "file" in the active language: ask for English.
    with translation.override("en"):
        assert clean_name(raw) == clean


def test_long_names_are_capped_keeping_the_extension():
    name = clean_name("截" * 300 + ".png")
    assert len(name) == 200
    assert name.endswith("截.png")


def test_hashing_file_hashes_what_storage_reads_even_when_read_twice():
    import hashlib
    import io

    from evidence.files import HashingFile

    data = b"x" * 200_000
    hashing = HashingFile(io.BytesIO(data))
    for _ in range(2):
        assert b"".join(hashing.chunks(chunk_size=65536)) == data
    assert hashing.bytes_read == len(data)
    assert hashing.sha256.hexdigest() == hashlib.sha256(data).hexdigest()
