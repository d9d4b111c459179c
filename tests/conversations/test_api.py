"""GET/POST /api/v1/cases/{reference}/messages/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.choices import EventKind
from cases.models import CaseEvent
from conversations.models import BODY_MAX_LENGTH, Message
from conversations.services import message_post
from notifications.models import Notification
from tests.conversations.conftest import SECRET


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production settings redirect HTTP to HTTPS; the API test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False


def url(case) -> str:
    return reverse("conversations-api:message-list", kwargs={"reference": case.reference})


def test_the_route_is_the_documented_one(alice_case):
    assert url(alice_case) == f"/api/v1/cases/{alice_case.reference}/messages/"


def test_seller_posts_and_reads_messages(api_as, alice, dave, assigned_case):
    client = api_as(alice)
    response = client.post(url(assigned_case), {"body": "  截图已上传 "}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    message = Message.objects.get()
    assert body == {
        "id": message.pk,
        "author": "alice",
        "body": "截图已上传",
        "internal": False,
        "created_at": body["created_at"],
    }
    assert body["created_at"].endswith("+08:00")
    assert Notification.objects.get().recipient == dave

    listed = client.get(url(assigned_case)).json()
    assert listed["results"] == [body]
    assert listed["next"] is None


def test_staff_post_a_message_and_an_internal_note(api_as, carol, alice, alice_case):
    client = api_as(carol)
    sent = client.post(url(alice_case), {"body": "请补充截图"}, format="json")
    noted = client.post(url(alice_case), {"body": SECRET, "internal": True}, format="json")

    assert sent.status_code == noted.status_code == 201
    assert noted.json()["internal"] is True
    assert [m["body"] for m in client.get(url(alice_case)).json()["results"]] == [
        "请补充截图",
        SECRET,
    ]
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["alice"]


def test_seller_never_receives_internal_notes(api_as, alice, carol, alice_case):
    message_post(actor=alice, case=alice_case, body="你好")
    message_post(actor=carol, case=alice_case, body=SECRET, internal=True)
    message_post(actor=carol, case=alice_case, body="收到")

    response = api_as(alice).get(url(alice_case))

    assert response.status_code == 200
    assert [m["body"] for m in response.json()["results"]] == ["你好", "收到"]
    assert SECRET not in response.content.decode()


def test_seller_asking_for_internal_gets_400_naming_internal(api_as, alice, alice_case):
    response = api_as(alice).post(
        url(alice_case), {"body": "悄悄话", "internal": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "internal"
    assert response.json()["code"] == "internal_not_allowed"
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.INTERNAL_NOTE).exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"body": ""},
        {"body": "   "},
        {"body": None},
        {"body": "字" * (BODY_MAX_LENGTH + 1)},
        {"body": ["a"]},
    ],
)
def test_bad_body_is_a_400_naming_body(api_as, carol, alice_case, payload):
    response = api_as(carol).post(url(alice_case), payload, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "body", response.json()
    assert not Message.objects.exists()


def test_unknown_fields_and_bad_internal_are_400(api_as, carol, alice_case):
    client = api_as(carol)
    unknown = client.post(url(alice_case), {"body": "x", "author": "bob"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "author"
    bad = client.post(url(alice_case), {"body": "x", "internal": "maybe"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "internal"
    assert not Message.objects.exists()


def test_another_sellers_case_is_404(api_as, bob, alice, alice_case):
    message_post(actor=alice, case=alice_case, body="你好")
    client = api_as(bob)
    assert client.get(url(alice_case)).status_code == 404
    response = client.post(url(alice_case), {"body": "hi"}, format="json")
    assert response.status_code == 404
    assert Message.objects.count() == 1


def test_unknown_case_is_404_and_anonymous_401(api_as, api_client, alice, alice_case):
    missing = reverse("conversations-api:message-list", kwargs={"reference": "RC-2026-999999"})
    assert api_as(alice).get(missing).status_code == 404
    assert api_client.get(url(alice_case)).status_code == 401


def test_pages_follow_on_without_gaps(api_as, alice, alice_case):
    for i in range(5):
        message_post(actor=alice, case=alice_case, body=f"第 {i} 条")
    client = api_as(alice)

    first = client.get(url(alice_case), {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    bodies = [m["body"] for page in (first, second, third) for m in page["results"]]
    assert bodies == [f"第 {i} 条" for i in range(5)]
    assert third["next"] is None
    assert client.get(url(alice_case), {"ordering": "id"}).status_code == 400


def test_list_runs_a_fixed_number_of_queries(api_as, alice, carol, make_case):
    client = api_as(carol)
    # The token's first use is recorded once; measure after it.
    assert client.get("/api/v1/cases/").status_code == 200
    counts = []
    for n in (1, 40):
        case = make_case(alice)
        for i in range(n):
            message_post(actor=alice, case=case, body=f"{i}")
            message_post(actor=carol, case=case, body=f"note {i}", internal=True)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(case), {"page_size": 100}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_schema_documents_the_messages_endpoint(api_client, db):
    schema = api_client.get("/api/schema/", secure=True, HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert "/api/v1/cases/{reference}/messages/" in text
    assert "messages_create" in text
