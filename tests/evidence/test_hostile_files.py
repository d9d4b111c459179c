"""Hostile uploads (issue 14): images too large to decode safely, markup and archives hidden
past the first kilobytes, Office zip bombs, and names Windows cannot save."""

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from django.utils import translation
from PIL import Image

from config.errors import UnsupportedMediaError
from evidence.files import OFFICE_MAX_UNPACKED, SCAN_CHUNK, check_type, portable_name
from evidence.images import DEFAULT_PIXEL_BUDGET, PIXEL_BUDGET, thumbnail_jpeg
from tests.api.evidence_helpers import upload
from tests.evidence import corpus


def _check(data: bytes, name: str) -> str:
    return check_type(head=data[:8192], name=name, open_file=io.BytesIO(data))


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    # One colour compresses to almost nothing: a small upload that decodes huge.
    Image.new("RGB", (width, height), (255, 255, 255)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


# --- Pixel budget -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_small_png_of_huge_dimensions_is_refused_with_a_clear_message(
    api_as, alice, alice_case, settings
):
    settings.SECURE_SSL_REDIRECT = False
    alice_api = api_as(alice)
    data = _png(9400, 9400)
    assert len(data) < 1_000_000  # it is the pixels, not the bytes

    alice_api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = upload(alice_api, alice_case, data, name="截图.png")

    assert response.status_code == 413, response.content.decode()
    body = response.json()
    assert body["code"] == "image_too_large"
    assert "9400 by 9400 pixels" in body["detail"]
    assert "24 million pixels" in body["detail"]
    assert not alice_case.evidence.exists()


@pytest.mark.django_db
def test_an_image_within_the_budget_is_accepted(api_as, alice, alice_case, settings):
    settings.SECURE_SSL_REDIRECT = False
    alice_api = api_as(alice)
    response = upload(alice_api, alice_case, _png(6000, 4000), name="截图.png")

    assert response.status_code == 201, response.content


def _peak_memory_mb(image: bytes, tmp_path) -> float:
    """Make the thumbnail in a fresh interpreter and return its peak resident memory (VmHWM of
    the new program: getrusage's maxrss would carry over the forking test process's)."""
    path = tmp_path / "image"
    path.write_bytes(image)
    script = (
        "import json, sys\n"
        "from evidence.images import thumbnail_jpeg\n"
        "with open(sys.argv[1], 'rb') as f: out = thumbnail_jpeg(f)\n"
        "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "print(json.dumps([len(out), int(status)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(settings.BASE_DIR)},
    )
    size, max_rss_kb = json.loads(result.stdout)
    assert size > 0
    return max_rss_kb / 1024


@pytest.mark.parametrize(
    ("kind", "width", "height"),
    [("PNG", 6000, 4000), ("JPEG", 9200, 6900)],  # the largest each budget accepts
)
def test_a_thumbnail_of_the_largest_accepted_image_stays_under_200_mb(
    tmp_path, kind, width, height
):
    budget = PIXEL_BUDGET.get(kind, DEFAULT_PIXEL_BUDGET)
    assert width * height <= budget
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(buffer, kind)

    assert _peak_memory_mb(buffer.getvalue(), tmp_path) < 200


def test_a_thumbnail_is_not_made_of_an_image_beyond_the_budget():
    # An image accepted before the budget existed: refused before decoding.
    from evidence.images import OverBudget

    with pytest.raises(OverBudget):
        thumbnail_jpeg(io.BytesIO(_png(9400, 9400)))


# --- Markup and archives anywhere in the file ----------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (corpus.PDF + b"\n" * 5000 + b"<html><script>alert(1)</script></html>", "合同.pdf"),
        (corpus.png() + b"\x00" * 5000 + b"<script>alert(1)</script>", "截图.png"),
        # Across the boundary between two chunks of the scan.
        (corpus.PDF + b"%" * (SCAN_CHUNK - len(corpus.PDF) - 4) + b"<scr" + b"ipt>", "a.pdf"),
    ],
    ids=["pdf-after-4kb", "png-after-4kb", "pdf-across-chunks"],
)
def test_markup_past_the_first_kilobytes_is_refused(data, name):
    with translation.override("en"), pytest.raises(UnsupportedMediaError) as refused:
        _check(data, name)

    assert "web page" in str(refused.value.message)


def _gifar() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 0)).save(buffer, "GIF")
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.writestr("Exploit.class", b"\xca\xfe\xba\xbe")
    return buffer.getvalue() + jar.getvalue()


def test_a_gif_with_a_java_archive_appended_is_refused():
    with translation.override("en"), pytest.raises(UnsupportedMediaError) as refused:
        _check(_gifar(), "头像.gif")

    assert "archive" in str(refused.value.message)


def test_plain_images_and_pdfs_still_pass_the_whole_file_scan():
    assert _check(corpus.png(), "截图.png") == "image/png"
    assert _check(corpus.jpeg(), "照片.jpg") == "image/jpeg"
    assert _check(corpus.PDF, "合同.pdf") == "application/pdf"


def test_the_scan_reads_in_chunks_not_the_whole_file():
    reads = []

    class Recording(io.BytesIO):
        def read(self, size=-1):
            reads.append(size)
            return super().read(size)

    data = corpus.PDF + b"%" * (3 * SCAN_CHUNK)
    _ = check_type(head=data[:8192], name="a.pdf", open_file=Recording(data))

    # (-1: the zip check's own reads of the last kilobytes, after seeking near the end.)
    assert SCAN_CHUNK in reads
    assert all(0 < size <= SCAN_CHUNK for size in reads if size not in (-1, None))


# --- Office zip bombs ----------------------------------------------------------------------


def _docx(extra: dict[str, bytes] | None = None, *, entries: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        for n in range(entries):
            archive.writestr(f"word/media/{n}.xml", "")
    return buffer.getvalue()


def test_a_docx_that_unpacks_to_gigabytes_is_refused():
    bomb = _docx({"word/bomb.xml": b"\x00" * (OFFICE_MAX_UNPACKED + 1)})
    assert len(bomb) < 1_000_000

    with translation.override("en"), pytest.raises(UnsupportedMediaError) as refused:
        _check(bomb, "合同.docx")

    assert "unpacks to more than" in str(refused.value.message)


def test_a_docx_that_understates_its_unpacked_size_is_still_refused():
    """zipfile stops at the declared size and the checksum fails: refused as no document."""
    bomb = bytearray(_docx({"word/bomb.xml": b"\x00" * (OFFICE_MAX_UNPACKED + 1)}))
    # Rewrite the sizes the archive declares for the entry to 10 bytes, in both headers.
    real = (OFFICE_MAX_UNPACKED + 1).to_bytes(4, "little")
    assert bomb.count(real) == 2
    bomb = bytes(bomb).replace(real, (10).to_bytes(4, "little"))

    with translation.override("en"), pytest.raises(UnsupportedMediaError) as refused:
        _check(bomb, "合同.docx")

    assert "not a DOCX document" in str(refused.value.message)


def test_an_encrypted_or_oddly_compressed_docx_is_refused_not_a_500():
    data = bytearray(_docx({"word/media/a.xml": b"x" * 100}))
    # Set the "encrypted" flag bit (0x1) in every local and central header of the archive.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 0x01
            start += 4

    with translation.override("en"), pytest.raises(UnsupportedMediaError) as refused:
        _check(bytes(data), "合同.docx")

    assert "not a DOCX document" in str(refused.value.message)


def test_markup_by_chance_in_compressed_bytes_is_not_refused_but_a_real_svg_is():
    # "<svg" followed by a non-letter turns up by chance in large compressed files.
    chance = corpus.PDF + b"\x00" * 9000 + b"<svg\x8a\x11<HEAD\x00<meta\x7f" + b"\x00" * 10
    assert _check(chance, "合同.pdf") == "application/pdf"
    svg = corpus.PDF + b"\x00" * 9000 + b'<svg xmlns="http://www.w3.org/2000/svg" onload=x>'
    with pytest.raises(UnsupportedMediaError):
        _check(svg, "合同.pdf")


def test_a_docx_of_too_many_parts_is_refused():
    with translation.override("en"), pytest.raises(UnsupportedMediaError) as refused:
        _check(_docx(entries=2001), "合同.docx")

    assert "parts" in str(refused.value.message)


def test_an_ordinary_docx_is_accepted():
    assert _check(_docx({"word/media/image1.png": corpus.png()}), "合同.docx").endswith(
        "wordprocessingml.document"
    )


# --- Names safe on Windows -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "portable"),
    [
        ("退店截图.png", "退店截图.png"),
        ('对账单<2026>:"最终"|版?.xlsx', "对账单_2026___最终__版_.xlsx"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("com1.jpg", "_com1.jpg"),
        ("报告...", "报告"),
        ("录音. ", "录音"),
    ],
)
def test_names_are_made_safe_for_windows(original, portable):
    assert portable_name(original) == portable
