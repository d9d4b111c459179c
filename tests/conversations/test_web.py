"""The conversation on the case page: the thread, the form, posting and its errors."""

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


def post_url(case) -> str:
    return reverse("conversations:post", kwargs={"reference": case.reference})


def thread_html(html: str) -> str:
    start = html.index('id="conversation"')
    return html[start : html.index("</section>", start)]


def test_seller_sees_the_thread_oldest_first_without_internal_notes(
    web_as, alice, carol, alice_case
):
    message_post(actor=alice, case=alice_case, body="保证金什么时候退？")
    message_post(actor=carol, case=alice_case, body=SECRET, internal=True)
    message_post(actor=carol, case=alice_case, body="我们已联系平台，请耐心等待。")

    html = web_as(alice).get(alice_case.get_absolute_url()).text

    thread = thread_html(html)
    assert thread.index("保证金什么时候退？") < thread.index("我们已联系平台")
    assert SECRET not in html
    assert "SECRET-7731" not in html
    assert "Internal — the seller cannot see this" not in html
    assert "Internal note" not in html
    assert "Message to support" in thread
    assert "Send to support" in thread
    assert "Send to the seller" not in thread
    assert 'value="internal"' not in thread


def test_staff_see_internal_notes_marked_and_both_buttons(web_as, alice, carol, alice_case):
    message_post(actor=alice, case=alice_case, body="保证金什么时候退？")
    note = message_post(actor=carol, case=alice_case, body=SECRET, internal=True)

    html = web_as(carol).get(alice_case.get_absolute_url()).text

    thread = thread_html(html)
    assert SECRET in thread
    assert f'id="message-{note.pk}"' in thread
    assert "is-internal" in thread
    assert "Internal — the seller cannot see this" in thread
    assert "Send to the seller" in thread
    assert "Save as internal note" in thread
    # The timeline marks the note, without its text (that lives in the thread only).
    timeline = html[html.index('id="timeline"') :]
    assert 'class="event event-internal_note"' in timeline
    assert SECRET not in timeline


def test_messages_show_in_the_timeline(web_as, alice, carol, alice_case):
    message_post(actor=carol, case=alice_case, body="请补充退店截图。")

    html = web_as(alice).get(alice_case.get_absolute_url()).text

    timeline = html[html.index('id="timeline"') :]
    assert 'class="event event-message"' in timeline
    assert "请补充退店截图。" in timeline


def test_seller_timeline_leaves_internal_notes_out(web_as, carol, alice, alice_case):
    message_post(actor=carol, case=alice_case, body=SECRET, internal=True)

    html = web_as(alice).get(alice_case.get_absolute_url()).text

    assert "event-internal_note" not in html
    assert SECRET not in html


def test_seller_posts_a_message(web_as, alice, dave, assigned_case):
    client = web_as(alice)
    response = client.post(post_url(assigned_case), {"body": " 截图已上传 ", "send": "message"})

    assert response.status_code == 302
    assert response["Location"] == assigned_case.get_absolute_url() + "#conversation"
    message = Message.objects.get()
    assert (message.author, message.body, message.internal) == (alice, "截图已上传", False)
    assert Notification.objects.get().recipient == dave
    page = client.get(response["Location"]).text
    assert "Message sent." in page
    assert "截图已上传" in thread_html(page)


def test_staff_post_a_message_and_an_internal_note(web_as, alice, carol, alice_case):
    client = web_as(carol)
    client.post(post_url(alice_case), {"body": "请补充截图", "send": "message"})
    response = client.post(post_url(alice_case), {"body": SECRET, "send": "internal"})

    assert response.status_code == 302
    assert list(Message.objects.values_list("body", "internal")) == [
        ("请补充截图", False),
        (SECRET, True),
    ]
    assert "The seller cannot see it" in client.get(response["Location"]).text
    # The seller heard of the message only.
    assert list(Notification.objects.values_list("recipient__username", "event__kind")) == [
        ("alice", EventKind.MESSAGE)
    ]


def test_seller_asking_for_an_internal_note_is_refused(web_as, alice, alice_case):
    response = web_as(alice).post(post_url(alice_case), {"body": "悄悄话", "send": "internal"})

    assert response.status_code == 400
    assert "Only support staff can write internal notes" in response.text
    assert "悄悄话" in thread_html(response.text)  # what was typed is kept
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("字" * (BODY_MAX_LENGTH + 1), "at most 5000 characters"),
    ],
)
def test_bad_input_shows_the_error_on_the_case_page(web_as, carol, alice_case, body, error):
    response = web_as(carol).post(post_url(alice_case), {"body": body, "send": "message"})

    assert response.status_code == 400
    thread = thread_html(response.text)
    assert error in thread
    assert "autofocus" in thread
    assert "Your message was not sent" in response.text
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.MESSAGE).exists()


def test_another_seller_gets_404(web_as, bob, alice_case):
    response = web_as(bob).post(post_url(alice_case), {"body": "hi", "send": "message"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_anonymous_is_sent_to_log_in(alice_case):
    from tests.conversations.conftest import HttpsClient

    response = HttpsClient().post(post_url(alice_case), {"body": "hi"})
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Message.objects.exists()


def test_get_is_not_allowed(web_as, alice, alice_case):
    assert web_as(alice).get(post_url(alice_case)).status_code == 405


def _page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_the_thread_costs_one_query_however_long(request, web_as, alice, carol, make_case, viewer):
    client = web_as(request.getfixturevalue(viewer))
    counts = {}
    for n in (1, 30):
        case = make_case(alice)
        for i in range(n):
            message_post(actor=alice, case=case, body=f"第 {i} 条")
            message_post(actor=carol, case=case, body=f"备注 {i}", internal=i % 2 == 0)
        counts[n] = _page_queries(client, case)
    assert counts[1] == counts[30]
