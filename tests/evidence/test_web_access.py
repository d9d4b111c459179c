"""Who may reach every evidence URL: the case's owner and staff. Another seller gets 404, as
if the case did not exist; an anonymous visitor is sent to log in. A seller no longer reaches
an item once it is removed; staff still do."""

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import EvidenceItem
from evidence.services import evidence_remove
from tests.evidence import corpus


class HttpsClient(Client):
    """Over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def item(alice, alice_case, attach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = attach(alice, alice_case, name="退店申请截图.png", description="退店申请页面")
    made.refresh_from_db()
    assert made.thumbnail_name
    return made


CASE_URLS = ["section", "upload", "bundle"]
ITEM_URLS = ["download", "thumbnail", "edit", "remove"]
SCRIPT = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def url(name, item):
    kwargs = {"reference": item.case.reference}
    if name in ITEM_URLS:
        kwargs["evidence_id"] = item.pk
    # The bundle link sits on the evidence section; the bundle is its own app.
    view = "bundles:download" if name == "bundle" else f"evidence:{name}"
    return reverse(view, kwargs=kwargs)


def request(client, name, item):
    """The natural request for each URL: a post for changes, a get for the rest."""
    if name == "upload":
        return client.post(url(name, item), {"file": [_png()], "kind": "screenshot"}, **SCRIPT)
    if name == "remove":
        return client.post(url(name, item), {"reason": "传错了"})
    if name == "edit":
        return client.post(url(name, item), {"kind": "platform_notice", "description": "x"})
    return client.get(url(name, item), **SCRIPT)


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("新截图.png", corpus.png(), "image/png")


EXPECTED = {
    "section": 200,
    "upload": 201,
    "bundle": 200,
    "download": 200,
    "thumbnail": 200,
    "edit": 302,
    "remove": 302,
}


@pytest.mark.parametrize("name", CASE_URLS + ITEM_URLS)
def test_owner_reaches_every_evidence_url(client, alice, item, name):
    client.force_login(alice)
    assert request(client, name, item).status_code == EXPECTED[name]


@pytest.mark.parametrize("name", CASE_URLS + ITEM_URLS)
def test_staff_reach_every_evidence_url(client, carol, item, name):
    client.force_login(carol)
    assert request(client, name, item).status_code == EXPECTED[name]


@pytest.mark.parametrize("name", CASE_URLS + ITEM_URLS)
def test_other_seller_gets_404_and_changes_nothing(client, bob, item, name):
    client.force_login(bob)
    assert request(client, name, item).status_code == 404
    item.refresh_from_db()
    assert not item.is_removed
    assert (item.kind, item.description) == ("screenshot", "退店申请页面")
    assert EvidenceItem.objects.count() == 1


@pytest.mark.parametrize("name", CASE_URLS + ITEM_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, item, name):
    response = request(client, name, item)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url(name, item)}"
    assert EvidenceItem.objects.count() == 1


@pytest.mark.parametrize("name", ITEM_URLS)
def test_unknown_item_is_404(client, alice, item, name):
    client.force_login(alice)
    other = EvidenceItem(pk="00000000-0000-4000-8000-000000000000", case=item.case)
    assert request(client, name, other).status_code == 404


def test_item_of_another_case_is_404_under_this_case(client, alice, item, make_case):
    client.force_login(alice)
    second = make_case(alice, title="另一个案子")
    wrong = reverse(
        "evidence:download", kwargs={"reference": second.reference, "evidence_id": item.pk}
    )
    assert client.get(wrong).status_code == 404


def test_seller_gets_404_for_a_removed_item_and_staff_still_download_it(client, alice, carol, item):
    evidence_remove(actor=alice, item=item, reason="传错了")

    client.force_login(alice)
    for name in ITEM_URLS:
        assert request(client, name, item).status_code == 404, name
    page = client.get(item.case.get_absolute_url()).text
    assert "退店申请截图.png</a>" not in page

    client.force_login(carol)
    response = client.get(url("download", item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == corpus.png()
    assert client.get(url("thumbnail", item)).status_code == 200


def test_removed_item_cannot_be_edited_or_removed_again_even_by_staff(client, alice, carol, item):
    evidence_remove(actor=alice, item=item, reason="传错了")
    client.force_login(carol)
    for name in ("edit", "remove"):
        response = request(client, name, item)
        assert response.status_code == 302, name
        assert response["Location"] == f"{item.case.get_absolute_url()}#evidence"
    item.refresh_from_db()
    assert item.kind == "screenshot"
    assert item.case.events.filter(kind="evidence_removed").count() == 1


def test_thumbnail_of_a_file_without_one_is_404(client, alice, alice_case, attach):
    pdf = attach(alice, alice_case, data=corpus.PDF, name="通知.pdf", kind="platform_notice")
    client.force_login(alice)
    assert client.get(url("thumbnail", pdf)).status_code == 404
    assert client.get(url("download", pdf)).status_code == 200


def test_get_is_refused_where_only_post_makes_sense(client, alice, item):
    client.force_login(alice)
    assert client.get(url("upload", item)).status_code == 405
    assert client.post(url("download", item)).status_code == 405
