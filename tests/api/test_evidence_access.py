"""Every evidence URL: the owner and staff get in, another seller gets the same 404 as for
something that does not exist, nobody gets 401 JSON; and the bundle through the API."""

import hashlib
import io
import json
import zipfile

import pytest
from django.urls import reverse

from cases.choices import EventKind
from cases.models import Case
from evidence.background import evidence_make_thumbnail
from evidence.models import EvidenceItem
from tests.api.evidence_helpers import BOUNDARY, attach, item_url, list_url, multipart
from tests.evidence import corpus

MISSING_CASE = Case(reference="RC-2026-999999")


@pytest.fixture
def item(alice, alice_case):
    item = attach(alice, alice_case, data=corpus.png(), name="退店申请截图.png")
    assert evidence_make_thumbnail(item=item)
    item.refresh_from_db()
    return item


def _bundle_url(case) -> str:
    return reverse("bundles-api:case-bundle", kwargs={"reference": case.reference})


def _upload_body() -> bytes:
    return multipart(
        {"kind": "payment_receipt", "description": "保证金缴纳凭证"},
        file=("凭证.pdf", corpus.PDF),
    )


# (name, method, url for (case, item), request kwargs, status for those allowed)
ENDPOINTS = [
    ("list", "get", lambda case, item: list_url(case), {}, 200),
    (
        "upload",
        "post",
        lambda case, item: list_url(case),
        {"data": _upload_body(), "content_type": f"multipart/form-data; boundary={BOUNDARY}"},
        201,
    ),
    ("read", "get", lambda case, item: item_url(item, reference=case.reference), {}, 200),
    (
        "edit",
        "patch",
        lambda case, item: item_url(item, reference=case.reference),
        {"data": {"description": "改过"}, "format": "json"},
        200,
    ),
    (
        "remove",
        "delete",
        lambda case, item: item_url(item, reference=case.reference) + "?reason=x",
        {},
        204,
    ),
    (
        "file",
        "get",
        lambda case, item: item_url(item, "evidence-file", reference=case.reference),
        {},
        200,
    ),
    (
        "thumbnail",
        "get",
        lambda case, item: item_url(item, "evidence-thumbnail", reference=case.reference),
        {},
        200,
    ),
    ("bundle", "get", lambda case, item: _bundle_url(case), {}, 200),
]
IDS = [endpoint[0] for endpoint in ENDPOINTS]


def _call(client, endpoint, case, item):
    _name, method, url, kwargs, _status = endpoint
    return getattr(client, method)(url(case, item), **kwargs)


def _unchanged(case, item):
    item.refresh_from_db()
    assert not item.is_removed
    assert item.description == ""
    assert EvidenceItem.objects.filter(case=case).count() == 1
    assert not case.events.filter(
        kind__in=[EventKind.EVIDENCE_EDITED, EventKind.EVIDENCE_REMOVED]
    ).exists()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_owner_can_use_every_evidence_endpoint(alice_api, alice_case, item, endpoint):
    response = _call(alice_api, endpoint, alice_case, item)
    assert response.status_code == endpoint[4], response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_staff_can_use_every_evidence_endpoint(carol_api, alice_case, item, endpoint):
    response = _call(carol_api, endpoint, alice_case, item)
    assert response.status_code == endpoint[4], response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_seller_gets_404_for_other_sellers_evidence(bob_api, alice_case, item, endpoint):
    response = _call(bob_api, endpoint, alice_case, item)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    _unchanged(alice_case, item)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_other_sellers_evidence_and_missing_evidence_answer_alike(
    bob_api, bob, make_case, alice_case, item, endpoint
):
    theirs = _call(bob_api, endpoint, alice_case, item)
    missing_case = _call(bob_api, endpoint, MISSING_CASE, item)
    # Bob's own case, and an item id that exists but on Alice's case.
    own_case_their_item = _call(bob_api, endpoint, make_case(bob), item)
    assert theirs.json() == missing_case.json()
    assert theirs.status_code == missing_case.status_code == 404
    if endpoint[0] not in ("list", "upload", "bundle"):
        assert own_case_their_item.status_code == 404
        assert own_case_their_item.json() == theirs.json()
    _unchanged(alice_case, item)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_gets_401_json(api_client, alice_case, item, endpoint):
    response = _call(api_client, endpoint, alice_case, item)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    _unchanged(alice_case, item)


@pytest.mark.parametrize("suffix", ["", "file", "thumbnail"])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_invalid_evidence_id_is_a_json_404(alice_api, alice_case, suffix, method):
    url = f"{list_url(alice_case)}not-a-uuid/{suffix}"
    response = getattr(alice_api, method)(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_seller_does_not_reach_a_removed_item_by_any_url(alice_api, alice_case, item):
    assert alice_api.delete(item_url(item)).status_code == 204
    for name in ("evidence-detail", "evidence-file", "evidence-thumbnail"):
        assert alice_api.get(item_url(item, name)).status_code == 404
    assert alice_api.patch(item_url(item), {"description": "x"}, format="json").status_code == 404


# --- Bundle --------------------------------------------------------------------------------


def test_bundle_holds_every_current_file_with_matching_hashes(alice_api, alice, alice_case, item):
    receipt = attach(alice, alice_case, data=corpus.PDF, name="凭证.pdf", kind="payment_receipt")
    gone = attach(alice, alice_case, data=corpus.TXT, name="草稿.txt", kind="chat_log")
    assert alice_api.delete(item_url(gone)).status_code == 204

    response = alice_api.get(_bundle_url(alice_case))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert alice_case.reference in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        files = {
            name: archive.read(name) for name in archive.namelist() if name.startswith("files/")
        }
    assert len(files) == 2
    for entry in manifest["items"]:
        assert hashlib.sha256(files[entry["file"]]).hexdigest() == entry["sha256"]
        assert entry["status"] == "ok"
    assert sorted(entry["sha256"] for entry in manifest["items"]) == sorted(
        [item.sha256, receipt.sha256]
    )


def test_bundle_refuses_unknown_parameters(alice_api, alice_case):
    assert alice_api.get(_bundle_url(alice_case) + "?all=1").status_code == 400
