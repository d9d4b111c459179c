"""Internal notes never reach the seller: not on the case page, not through the API (messages,
events, notifications), not in the evidence bundle (for anyone: bundles go to third parties),
not by e-mail, not on the notifications page."""

import io
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from cases.choices import EventKind
from conversations.services import message_post
from notifications.models import Notification
from tests.conversations.conftest import SECRET


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # The API client speaks plain HTTP; the web client (HttpsClient) says it is secure anyway.
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def noted_case(alice, carol, dave, assigned_case, attach, django_capture_on_commit_callbacks):
    """Alice's case (assigned to Dave, with one evidence file) with a message each way and
    Carol's internal note between them; every e-mail delivered."""
    attach(alice, assigned_case, name="退店截图.png")
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=alice, case=assigned_case, body="保证金什么时候退？")
        message_post(actor=carol, case=assigned_case, body=SECRET, internal=True)
        message_post(actor=carol, case=assigned_case, body="我们已联系平台，请耐心等待。")
    return assigned_case


@pytest.fixture
def attach(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.services import evidence_attach
    from tests.evidence import corpus

    def do(actor, case, *, name):
        upload = SimpleUploadedFile(name, corpus.png(), "application/octet-stream")
        return evidence_attach(actor=actor, case=case, upload=upload, kind="screenshot")

    return do


def _zip_text(content: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return "\n".join(
        archive.read(name).decode("utf-8", "replace")
        for name in archive.namelist()
        if not name.startswith("files/")
    )


def test_case_page(web_as, alice, carol, noted_case):
    seller = web_as(alice).get(noted_case.get_absolute_url()).text
    staff = web_as(carol).get(noted_case.get_absolute_url()).text

    assert "我们已联系平台" in seller
    assert SECRET not in seller
    assert "internal_note" not in seller
    assert SECRET in staff


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_case_page_in_either_language(web_as, alice, noted_case, language):
    html = (
        web_as(alice).get(noted_case.get_absolute_url(), headers={"accept-language": language}).text
    )
    assert SECRET not in html
    assert "is-internal" not in html


def test_case_page_filtered_by_channel(web_as, alice, noted_case):
    html = web_as(alice).get(noted_case.get_absolute_url() + "?channel=phone").text
    assert SECRET not in html


def test_messages_api(api_as, alice, carol, noted_case):
    url = f"/api/v1/cases/{noted_case.reference}/messages/"
    seller = api_as(alice).get(url)
    staff = api_as(carol).get(url)

    assert seller.status_code == staff.status_code == 200
    assert SECRET not in seller.content.decode()
    assert [m["internal"] for m in seller.json()["results"]] == [False, False]
    assert [m["internal"] for m in staff.json()["results"]] == [False, True, False]


def test_events_api(api_as, alice, carol, noted_case):
    url = reverse("cases-api:case-events", kwargs={"reference": noted_case.reference})
    seller = api_as(alice).get(url, {"page_size": 100})
    staff = api_as(carol).get(url, {"page_size": 100})

    seller_kinds = [e["kind"] for e in seller.json()["results"]]
    staff_kinds = [e["kind"] for e in staff.json()["results"]]
    assert seller_kinds.count(EventKind.MESSAGE) == 2
    assert EventKind.INTERNAL_NOTE not in seller_kinds
    assert EventKind.INTERNAL_NOTE in staff_kinds
    # Not even staff read the note's text here: the event holds only the message's id.
    assert SECRET not in seller.content.decode()
    assert SECRET not in staff.content.decode()


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_evidence_bundle_from_the_page(request, web_as, noted_case, viewer):
    client = web_as(request.getfixturevalue(viewer))
    response = client.get(reverse("bundles:download", kwargs={"reference": noted_case.reference}))

    assert response.status_code == 200
    text = _zip_text(b"".join(response.streaming_content))
    assert "保证金什么时候退？" in text  # messages are part of the record
    assert SECRET not in text
    assert "SECRET-7731" not in text
    assert "Internal note" not in text
    assert "内部备注" not in text


@pytest.mark.parametrize("viewer", ["alice", "carol"])
@pytest.mark.parametrize(("language", "label"), [("en", "Internal note"), ("zh-hans", "内部备注")])
def test_evidence_bundle_from_the_api(request, api_as, noted_case, viewer, language, label):
    client = api_as(request.getfixturevalue(viewer))
    response = client.get(
        f"/api/v1/cases/{noted_case.reference}/bundle/", HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 200
    text = _zip_text(b"".join(response.streaming_content))
    assert "保证金什么时候退？" in text  # the conversation is in the record, the note is not
    assert SECRET not in text and "SECRET-7731" not in text
    assert label not in text  # not even as an entry of the timeline


def test_email(alice, noted_case):
    to_seller = [m for m in mail.outbox if alice.email in m.to]
    # Alice wrote one message (to Dave) and received Carol's message: one e-mail, its text.
    assert len(to_seller) == 1
    assert "我们已联系平台" in to_seller[0].body
    for message in mail.outbox:
        assert SECRET not in message.body
        assert SECRET not in message.subject
        assert all(SECRET not in str(content) for content, _type in message.alternatives)
    # Dave, the assignee, heard of all three: the seller's message, the note, the reply.
    assert len([m for m in mail.outbox if m.to == ["dave@example.cn"]]) == 3


def test_notifications(web_as, api_as, alice, dave, noted_case):
    seller_rows = Notification.objects.filter(recipient=alice)
    assert [n.event.kind for n in seller_rows] == [EventKind.MESSAGE]

    page = web_as(alice).get(reverse("notifications:list")).text
    api = api_as(alice).get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    api_text = api.content.decode()
    assert "carol sent a message" in page and "carol sent a message" in api_text
    assert "internal note" not in page.lower()
    assert "internal note" not in api_text.lower()
    assert SECRET not in page + api_text

    staff_page = web_as(dave).get(reverse("notifications:list")).text
    assert "carol wrote an internal note" in staff_page
    assert SECRET not in staff_page


def _csv(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_sellers_csv_export(web_as, alice, noted_case):
    text = _csv(web_as(alice).get(reverse("cases:list") + "?export=csv"))
    assert noted_case.reference in text
    assert SECRET not in text


def test_staff_csv_export(web_as, carol, noted_case):
    # A staff export is handed on too (spreadsheets travel): no conversation in it at all.
    text = _csv(web_as(carol).get(reverse("desk:export") + "?status=draft"))
    assert noted_case.reference in text
    assert SECRET not in text
