"""Listing, reading, editing, removing and downloading evidence through the API."""

import base64
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.choices import EventKind
from evidence.models import EvidenceItem
from tests.api.evidence_helpers import attach, item_url, list_url, random_id, upload
from tests.evidence import corpus


@pytest.fixture
def item(alice, alice_case):
    return attach(alice, alice_case, data=corpus.PDF, name="违规通知.pdf", kind="platform_notice")


def _attach_many(actor, case, count):
    return [
        attach(actor, case, data=corpus.TXT + str(n).encode(), name=f"聊天记录{n}.txt")
        for n in range(count)
    ]


# --- List ----------------------------------------------------------------------------------


def test_list_is_oldest_first_with_links(alice_api, alice, alice_case):
    items = _attach_many(alice, alice_case, 3)
    response = alice_api.get(list_url(alice_case))
    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [str(i.pk) for i in items]
    assert (body["next"], body["previous"]) == (None, None)
    assert body["results"][0]["download_url"] == (
        f"http://testserver{item_url(items[0], 'evidence-file')}"
    )


def test_list_pages_with_cursors_without_gaps_or_repeats(alice_api, alice, alice_case):
    items = _attach_many(alice, alice_case, 7)
    seen, url = [], list_url(alice_case) + "?page_size=3"
    while url:
        body = alice_api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [str(i.pk) for i in items]


def test_list_refuses_unknown_parameters_and_bad_cursors(alice_api, alice_case):
    assert alice_api.get(list_url(alice_case) + "?kind=screenshot").status_code == 400
    response = alice_api.get(list_url(alice_case) + "?cursor=bm9wZQ")
    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_seller_does_not_see_removed_items_and_staff_does(
    alice_api, carol_api, alice, carol, alice_case
):
    kept, removed = _attach_many(alice, alice_case, 2)
    from evidence.services import evidence_remove

    evidence_remove(actor=carol, item=removed, reason="重复上传")

    mine = alice_api.get(list_url(alice_case)).json()["results"]
    assert [row["id"] for row in mine] == [str(kept.pk)]
    assert mine[0]["removed_at"] is None and mine[0]["removed_by"] is None

    staff = {row["id"]: row for row in carol_api.get(list_url(alice_case)).json()["results"]}
    assert staff[str(kept.pk)]["removed_at"] is None
    assert staff[str(removed.pk)]["removed_by"] == "carol"
    assert staff[str(removed.pk)]["removed_at"].endswith("+08:00")


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_list_takes_the_same_queries_for_one_item_and_thirty(
    request, api_as, alice, alice_case, persona, django_assert_num_queries
):
    client = api_as(request.getfixturevalue(persona))
    url = list_url(alice_case) + "?page_size=100"
    _attach_many(alice, alice_case, 1)
    client.get(url)  # the token's last-used time is written on its first use only

    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).json()["results"]) == 1
    _attach_many(alice, alice_case, 29)
    # token + case + page of items (uploaders joined): nothing per item.
    with django_assert_num_queries(3) as thirty:
        assert len(client.get(url).json()["results"]) == 30
    assert len(thirty.captured_queries) == len(one.captured_queries)


# --- Read, edit, remove --------------------------------------------------------------------


def test_read_one_item(alice_api, item):
    response = alice_api.get(item_url(item))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["sha256"], body["kind"]) == (
        str(item.pk),
        item.sha256,
        "platform_notice",
    )


def test_edit_kind_and_description_writes_an_event(alice_api, alice, alice_case, item):
    response = alice_api.patch(
        item_url(item),
        {"kind": "correspondence", "description": "平台 2026-10-02 违规通知"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["kind"], body["description"]) == ("correspondence", "平台 2026-10-02 违规通知")
    assert (body["sha256"], body["original_name"]) == (item.sha256, "违规通知.pdf")
    item.refresh_from_db()
    assert item.kind == "correspondence"
    event = alice_case.events.get(kind=EventKind.EVIDENCE_EDITED)
    assert event.actor == alice
    assert event.changes["kind"] == {"old": "platform_notice", "new": "correspondence"}
    assert event.changes["evidence"]["id"] == str(item.pk)


def test_edit_that_changes_nothing_writes_no_event(alice_api, alice_case, item):
    response = alice_api.patch(item_url(item), {"kind": "platform_notice"}, format="json")
    assert response.status_code == 200
    assert not alice_case.events.filter(kind=EventKind.EVIDENCE_EDITED).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sha256": "0" * 64}, "sha256"),
        ({"original_name": "别的.pdf"}, "original_name"),
        ({"file": "x"}, "file"),
        ({"colour": "red"}, "colour"),
        ({"kind": "selfie"}, "kind"),
        ({"description": "长" * 501}, "description"),
    ],
)
def test_edit_refuses_other_fields_and_bad_values(alice_api, alice_case, item, body, field):
    response = alice_api.patch(item_url(item), body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    item.refresh_from_db()
    assert (item.kind, item.original_name, item.sha256) == (
        "platform_notice",
        "违规通知.pdf",
        hashlib.sha256(corpus.PDF).hexdigest(),
    )
    assert not alice_case.events.filter(kind=EventKind.EVIDENCE_EDITED).exists()


def test_edit_of_removed_item_is_409_for_staff(carol_api, carol, item):
    from evidence.services import evidence_remove

    evidence_remove(actor=carol, item=item)
    response = carol_api.patch(item_url(item), {"description": "x"}, format="json")
    assert response.status_code == 409


def test_oversized_json_body_is_a_json_413(alice_api, item, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = alice_api.patch(item_url(item), {"description": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@pytest.mark.parametrize("how", ["query", "body"])
def test_remove_is_soft_and_writes_an_event_with_the_reason(
    alice_api, alice, alice_case, item, evidence_dir, how
):
    if how == "query":
        response = alice_api.delete(item_url(item) + "?reason=传错了文件")
    else:
        response = alice_api.delete(item_url(item), {"reason": "传错了文件"}, format="json")

    assert response.status_code == 204
    assert response.content == b""
    item.refresh_from_db()
    assert item.removed_by == alice and item.removed_at is not None
    with item.open_file() as stored:  # the file stays stored
        assert stored.read() == corpus.PDF
    event = alice_case.events.get(kind=EventKind.EVIDENCE_REMOVED)
    assert (event.actor, event.note) == (alice, "传错了文件")
    assert alice_api.get(item_url(item)).status_code == 404
    assert alice_api.get(list_url(alice_case)).json()["results"] == []


def test_remove_without_a_reason(alice_api, alice_case, item):
    assert alice_api.delete(item_url(item)).status_code == 204
    assert alice_case.events.get(kind=EventKind.EVIDENCE_REMOVED).note == ""


def test_removing_twice_is_409_for_staff_and_404_for_the_seller(alice_api, carol_api, item):
    assert alice_api.delete(item_url(item)).status_code == 204
    assert alice_api.delete(item_url(item)).status_code == 404
    response = carol_api.delete(item_url(item))
    assert response.status_code == 409
    assert response.json()["code"] == "already_removed"
    assert item.case.events.filter(kind=EventKind.EVIDENCE_REMOVED).count() == 1


def test_remove_refuses_an_overlong_reason_and_unknown_fields(alice_api, item):
    assert (
        alice_api.delete(item_url(item), {"reason": "长" * 501}, format="json").status_code == 400
    )
    assert alice_api.delete(item_url(item), {"why": "x"}, format="json").status_code == 400
    assert alice_api.delete(item_url(item) + "?why=x").status_code == 400
    item.refresh_from_db()
    assert not item.is_removed


# --- Downloads -----------------------------------------------------------------------------


def test_download_gives_the_exact_bytes_with_the_security_headers(alice_api, alice, alice_case):
    data = corpus.png()
    stored = attach(alice, alice_case, data=data, name="退店申请截图.png")

    response = alice_api.get(item_url(stored, "evidence-file"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%80%80%E5%BA%97%E7%94%B3%E8%AF%B7%E6%88%AA%E5%9B%BE.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"


def test_download_path_forgives_a_trailing_slash(alice_api, item):
    response = alice_api.get(item_url(item, "evidence-file") + "/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == corpus.PDF


def test_download_ignores_the_accept_header(alice_api, item):
    response = alice_api.get(item_url(item, "evidence-file"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    missing = alice_api.get(
        item_url(item, "evidence-file").replace(str(item.pk), str(random_id())),
        HTTP_ACCEPT="application/pdf",
    )
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"


def test_image_gets_a_thumbnail_after_upload(
    alice_api, alice_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        body = upload(alice_api, alice_case, corpus.png(size=(800, 600))).json()
    item = EvidenceItem.objects.get(pk=body["id"])
    assert item.thumbnail_name

    listed = alice_api.get(list_url(alice_case)).json()["results"][0]
    assert listed["thumbnail_url"].endswith(f"/evidence/{item.pk}/thumbnail")
    response = alice_api.get(listed["thumbnail_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert alice_api.get(listed["thumbnail_url"] + "/").status_code == 200


def test_no_thumbnail_is_a_json_404(alice_api, item):
    response = alice_api.get(item_url(item, "evidence-thumbnail"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert alice_api.get(item_url(item)).json()["thumbnail_url"] is None


def test_staff_downloads_removed_items_and_the_seller_cannot(alice_api, carol_api, item):
    assert alice_api.delete(item_url(item)).status_code == 204
    assert alice_api.get(item_url(item, "evidence-file")).status_code == 404
    response = carol_api.get(item_url(item, "evidence-file"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == corpus.PDF
