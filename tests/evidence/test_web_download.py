"""Downloading evidence from the case page: the original bytes, as an attachment under the
original (cleaned) name, never rendered by the browser."""

import hashlib
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from evidence.files import portable_name
from tests.evidence import corpus


class HttpsClient(Client):
    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def as_alice(alice):
    client = HttpsClient()
    client.force_login(alice)
    return client


def download(client, item):
    response = client.get(
        reverse(
            "evidence:download",
            kwargs={"reference": item.case.reference, "evidence_id": item.pk},
        )
    )
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (corpus.png(), "截图.png", "image/png"),
        (corpus.jpeg(), "照片.jpg", "image/jpeg"),
        (corpus.PDF, "违规通知.pdf", "application/pdf"),
        (corpus.TXT, "聊天记录.txt", "text/plain"),
        (corpus.MP4, "开箱.mp4", "video/mp4"),
    ],
)
def test_download_gives_the_exact_bytes_safely(
    as_alice, alice, alice_case, attach, data, name, content_type
):
    item = attach(alice, alice_case, data=data, name=name)
    response, body = download(as_alice, item)

    assert body == data
    assert hashlib.sha256(body).hexdigest() == item.sha256
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]


def test_ascii_name_is_given_plainly(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="receipt-2026.png")
    response, _body = download(as_alice, item)
    assert response["Content-Disposition"] == 'attachment; filename="receipt-2026.png"'


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\截图.png", "截图.png"),
        ("evil\x00.exe.png", "evil.exe.png"),
        ("收据\u202egnp.exe.png", "收据gnp.exe.png"),
        ("a\r\nX-Evil: 1\r\n.png", "aX-Evil: 1.png"),
    ],
)
def test_dangerous_names_are_cleaned_in_the_header(
    as_alice, alice, alice_case, attach, uploaded, shown
):
    item = attach(alice, alice_case, name=uploaded)
    response, _body = download(as_alice, item)
    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    for bad in ("/", "\\", "\x00", "\u202e", "\r", "\n", "%2F", "%5C", "%00", "%E2%80%AE"):
        assert bad not in header.split(";", 1)[1], bad
    assert shown == item.original_name
    saved_as = portable_name(shown)  # the colon of "X-Evil:" cannot be in a Windows name
    assert quote(saved_as) in header or f'"{saved_as}"' in header


@pytest.mark.parametrize(
    ("uploaded", "saved_as"),
    [
        ("CON.txt", "_CON.txt"),
        ("对账单<终>:v2?.csv", "对账单_终__v2_.csv"),
        ('合同"终稿".txt', "合同_终稿_.txt"),
    ],
)
def test_a_download_is_named_so_that_windows_can_save_it(
    as_alice, alice, alice_case, attach, uploaded, saved_as
):
    data = corpus.TXT
    item = attach(alice, alice_case, data=data, name=uploaded)
    response, _body = download(as_alice, item)

    header = response["Content-Disposition"]
    assert quote(saved_as) in header or f'"{saved_as}"' in header
    assert item.original_name == uploaded  # the record keeps the name it was given


def test_long_name_is_capped_and_keeps_its_extension(as_alice, alice, alice_case, attach):
    item = attach(alice, alice_case, name="长" * 300 + ".png")
    response, _body = download(as_alice, item)
    assert len(item.original_name) == 200
    assert item.original_name.endswith(".png")
    assert response["Content-Disposition"].endswith(quote(item.original_name))


def test_thumbnail_is_a_small_jpeg_shown_inline(
    as_alice, alice, alice_case, attach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = attach(alice, alice_case, data=corpus.png(size=(800, 600)))
    response = as_alice.get(
        reverse(
            "evidence:thumbnail",
            kwargs={"reference": alice_case.reference, "evidence_id": item.pk},
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert not response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_a_file_missing_from_storage_is_404_not_500(as_alice, alice, alice_case, attach):
    from evidence.models import evidence_storage

    item = attach(alice, alice_case)
    evidence_storage().delete(item.stored_name)
    response = as_alice.get(
        reverse(
            "evidence:download",
            kwargs={"reference": alice_case.reference, "evidence_id": item.pk},
        )
    )
    assert response.status_code == 404
