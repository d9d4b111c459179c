"""message_post and messages_for: who may write what, the timeline event it writes, and who
hears of it."""

import pytest
from django.core import mail
from django.http import Http404

from accounts.models import Organisation
from cases.choices import EventKind
from cases.models import CaseEvent
from config.errors import DomainError
from conversations.models import BODY_MAX_LENGTH, Message
from conversations.selectors import messages_for
from conversations.services import message_post
from notifications.choices import NotificationKind
from notifications.delivery import notification_text
from notifications.models import Notification
from tests.conversations.conftest import SECRET


def test_staff_message_reaches_the_seller(
    carol, alice, alice_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_post(actor=carol, case=alice_case, body="  请补充退店截图。\n")

    assert message.body == "请补充退店截图。"
    assert not message.internal
    assert message.author == carol
    event = CaseEvent.objects.get(case=alice_case, kind=EventKind.MESSAGE)
    assert event.actor == carol
    assert event.changes == {"message": {"id": message.pk}}
    assert event.note == "请补充退店截图。"
    notification = Notification.objects.get(case=alice_case)
    assert notification.recipient == alice
    assert notification.kind == NotificationKind.MESSAGE
    assert notification.event == event
    assert notification_text(notification) == "carol sent a message"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert "请补充退店截图。" in mail.outbox[0].body


def test_seller_message_reaches_the_assignee(alice, dave, assigned_case):
    message = message_post(actor=alice, case=assigned_case, body="截图已上传")

    assert Message.objects.get() == message
    assert CaseEvent.objects.filter(kind=EventKind.MESSAGE, actor=alice).count() == 1
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("dave", NotificationKind.MESSAGE)
    ]


def test_seller_message_on_an_unassigned_case_notifies_nobody(alice, alice_case):
    message_post(actor=alice, case=alice_case, body="有人在吗？")

    assert Message.objects.count() == 1
    assert not Notification.objects.exists()


def test_staff_message_also_tells_the_assignee_when_someone_else_wrote_it(
    carol, dave, assigned_case
):
    message_post(actor=carol, case=assigned_case, body="已联系平台")

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "alice",
        "dave",
    ]


def test_a_message_moves_the_cases_last_change(carol, alice_case, settings):
    before = alice_case.updated_at
    message_post(actor=carol, case=alice_case, body="已联系平台")
    alice_case.refresh_from_db()
    assert alice_case.updated_at > before


def test_internal_note_is_staff_only_and_keeps_its_text_out_of_the_event(
    carol, dave, assigned_case, django_capture_on_commit_callbacks
):
    before = assigned_case.updated_at
    with django_capture_on_commit_callbacks(execute=True):
        note = message_post(actor=carol, case=assigned_case, body=SECRET, internal=True)

    assert note.internal
    event = CaseEvent.objects.get(case=assigned_case, kind=EventKind.INTERNAL_NOTE)
    assert event.changes == {"message": {"id": note.pk}}
    assert event.note == ""
    assert SECRET not in str(event.changes)
    # Only the assignee (staff) hears of it; never the seller, by row or by e-mail.
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["dave"]
    notification = Notification.objects.get()
    assert notification_text(notification) == "carol wrote an internal note"
    assert [m.to for m in mail.outbox] == [[dave.email]]
    assert SECRET not in mail.outbox[0].body
    assert "alice@example.cn" not in {addr for m in mail.outbox for addr in m.to}
    # Nothing the seller sees changes: not even the case's "last change".
    assigned_case.refresh_from_db()
    assert assigned_case.updated_at == before


def test_internal_note_by_the_assignee_notifies_nobody(dave, assigned_case):
    message_post(actor=dave, case=assigned_case, body=SECRET, internal=True)
    assert not Notification.objects.exists()


def test_internal_note_never_notifies_a_seller_even_as_assignee(carol, alice, bob, alice_case):
    # A data mistake (a seller as assignee) must not turn into a leak.
    alice_case.assignee = bob
    alice_case.save(update_fields=["assignee"])
    message_post(actor=carol, case=alice_case, body=SECRET, internal=True)
    assert not Notification.objects.exists()


def test_seller_cannot_write_an_internal_note(alice, alice_case):
    with pytest.raises(DomainError) as error:
        message_post(actor=alice, case=alice_case, body=SECRET, internal=True)

    assert error.value.field == "internal"
    assert "Only support staff" in str(error.value.message)
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.INTERNAL_NOTE).exists()


def test_another_seller_cannot_write_on_the_case(bob, alice_case):
    with pytest.raises(Http404):
        message_post(actor=bob, case=alice_case, body="hello")
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t ", None, "字" * (BODY_MAX_LENGTH + 1)])
def test_bad_body_is_refused_and_nothing_is_saved(carol, alice_case, body):
    with pytest.raises(DomainError) as error:
        message_post(actor=carol, case=alice_case, body=body)

    assert error.value.field == "body"
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.MESSAGE).exists()
    assert not Notification.objects.exists()


def test_the_longest_body_is_kept_whole(carol, alice_case):
    body = "字" * BODY_MAX_LENGTH
    assert message_post(actor=carol, case=alice_case, body=body).body == body


def test_messages_for_staff_include_notes_and_for_sellers_never(carol, alice, alice_case):
    first = message_post(actor=alice, case=alice_case, body="你好")
    note = message_post(actor=carol, case=alice_case, body=SECRET, internal=True)
    reply = message_post(actor=carol, case=alice_case, body="收到")

    assert list(messages_for(actor=carol, case=alice_case)) == [first, note, reply]
    assert list(messages_for(actor=alice, case=alice_case)) == [first, reply]


def test_a_colleague_in_the_sellers_organisation_writes_and_the_owner_hears(
    make_user, make_case, dave
):
    shop = Organisation.objects.create(name="杭州某某电商")
    li = make_user("li", organisation=shop)
    wang = make_user("wang", organisation=shop)
    case = make_case(li)
    case.assignee = dave
    case.save(update_fields=["assignee"])

    message_post(actor=wang, case=case, body="我是同事，补充一下订单号")

    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "dave",
        "li",
    ]
    assert [m.body for m in messages_for(actor=li, case=case)] == ["我是同事，补充一下订单号"]
