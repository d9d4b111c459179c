"""A seller's message waits for support staff's answer: the case says since when, and the queue
marks and filters it, also when nobody is assigned to be notified (the API's filter:
tests/api/test_case_search.py)."""

import datetime
from unittest import mock

from django.test import Client

from cases.models import Case
from conversations.services import message_post

T0 = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)


def _post(actor, case, body, *, at, internal=False):
    with mock.patch("cases.clock.now", return_value=at):
        return message_post(actor=actor, case=case, body=body, internal=internal)


def _since(case):
    return Case.objects.get(pk=case.pk).awaiting_reply_since


def test_the_sellers_first_unanswered_message_counts_and_staffs_answer_clears_it(
    alice, carol, alice_case
):
    assert _since(alice_case) is None
    _post(alice, alice_case, "保证金什么时候退？", at=T0)
    assert _since(alice_case) == T0
    _post(alice, alice_case, "还在等", at=T0 + datetime.timedelta(hours=3))
    assert _since(alice_case) == T0  # waiting since the first unanswered one
    _post(
        carol, alice_case, "内部：先查平台工单", at=T0 + datetime.timedelta(hours=4), internal=True
    )
    assert _since(alice_case) == T0  # a note is not an answer
    _post(carol, alice_case, "已联系平台，三天内回复您。", at=T0 + datetime.timedelta(hours=5))
    assert _since(alice_case) is None
    _post(alice, alice_case, "好的，谢谢", at=T0 + datetime.timedelta(days=1))
    assert _since(alice_case) == T0 + datetime.timedelta(days=1)


def _staff_client(user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _queue(client, **params):
    return client.get("/staff/", {"status": "all", **params}, secure=True)


def test_the_queue_marks_and_filters_cases_awaiting_our_reply(
    alice, carol, make_case, django_assert_max_num_queries
):
    waiting = make_case(alice, title="等回复的案件")
    quiet = make_case(alice, title="没有留言的案件")
    _post(alice, waiting, "请尽快处理", at=T0)

    client = _staff_client(carol)
    page = _queue(client).content.decode()
    row_of = {
        case.reference: page.split(case.reference, 1)[1].split("</tr>", 1)[0]
        for case in (waiting, quiet)
    }
    assert 'class="badge awaiting"' in row_of[waiting.reference]
    assert "Awaiting reply" in row_of[waiting.reference]
    assert "The seller wrote on 2026-11-20 10:00." in row_of[waiting.reference]  # Shanghai
    assert "badge awaiting" not in row_of[quiet.reference]

    with django_assert_max_num_queries(8):
        response = _queue(client, awaiting_reply="on")
    assert [case.reference for case in response.context["cases"]] == [waiting.reference]
    assert 'name="awaiting_reply"' in response.content.decode()


def test_the_case_page_says_since_when_a_message_waits_for_our_answer(alice, carol, alice_case):
    seller = Client(headers={"accept-language": "en"})
    seller.force_login(alice)
    staff = _staff_client(carol)
    url = f"/cases/{alice_case.reference}/"

    assert 'id="awaiting-reply"' not in staff.get(url, secure=True).text
    _post(alice, alice_case, "保证金什么时候退？", at=T0)
    # 2026-11-20 02:00 UTC is 10:00 in Shanghai, the users' time zone.
    assert (
        "The seller has been waiting for our answer since 2026-11-20 10:00."
        in staff.get(url, secure=True).text
    )
    assert (
        "Your message of 2026-11-20 10:00 is waiting for an answer from support."
        in seller.get(url, secure=True).text
    )
    _post(carol, alice_case, "已联系平台。", at=T0 + datetime.timedelta(hours=1))
    assert 'id="awaiting-reply"' not in staff.get(url, secure=True).text
    assert 'id="awaiting-reply"' not in seller.get(url, secure=True).text


def test_awaiting_our_reply_lists_a_message_on_a_draft_or_a_closed_case_too(
    alice, carol, make_case
):
    from cases.services import case_transition

    draft = make_case(alice, title="草稿里的留言")
    closed = make_case(alice, title="已撤回的案件")
    case_transition(actor=alice, case=closed, to="withdrawn")
    for case in (draft, closed):
        _post(alice, case, "还有问题想问", at=T0)

    client = _staff_client(carol)
    refs = [
        row.reference
        for row in client.get("/staff/", {"awaiting_reply": "on"}, secure=True).context["cases"]
    ]
    assert sorted(refs) == sorted([draft.reference, closed.reference])
    # Without the filter the queue's default is still the open cases only.
    default = [row.reference for row in client.get("/staff/", secure=True).context["cases"]]
    assert draft.reference not in default and closed.reference not in default
