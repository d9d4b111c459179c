"""Who is notified of a change, and how the e-mail outbox delivers: once, in the recipient's
language and time zone, through SMTP outages and broker outages alike."""

import importlib
import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMultiAlternatives
from kombu.exceptions import OperationalError

from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.services import case_add_note, case_transition, case_update
from channels.services import contact_correct, contact_log
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import rule_snapshot
from deadlines.sweep import sweep_deadlines
from evidence.services import evidence_attach, evidence_remove, evidence_update
from notifications.choices import NotificationKind
from notifications.delivery import (
    EMAIL_MAX_ATTEMPTS,
    deliver_pending,
    email_backoff,
    notification_text,
)
from notifications.models import Notification
from notifications.services import notify_case_change
from notifications.tasks import deliver_notifications
from tests.channels.web import contact_fields
from tests.evidence import corpus

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
SHIPPED_RULES = importlib.import_module("cases.migrations.0006_deadline_rules").RULES


@pytest.fixture
def at():
    """Move the one clock: `at(moment)` until the test ends."""
    with mock.patch("cases.clock.now", return_value=NOW) as now:

        def move(moment):
            now.return_value = moment

        yield move


@pytest.fixture
def assigned_case(alice_case, carol):
    Case.objects.filter(pk=alice_case.pk).update(assignee=carol)
    alice_case.refresh_from_db()
    return alice_case


def _rule(key: str) -> DeadlineRule:
    rule = DeadlineRule.objects.filter(key=key).first()
    if rule is None:
        rule = DeadlineRule.objects.create(**next(r for r in SHIPPED_RULES if r["key"] == key))
    return rule


def _deadline(case, *, due_at, key="samr.accept_decision", warn_at=None) -> Deadline:
    rule = _rule(key)
    return Deadline.objects.create(
        case=case,
        rule=rule,
        rule_snapshot=rule_snapshot(rule),
        waiting_on=rule.waiting_on,
        started_at=due_at - timedelta(days=10),
        due_at=due_at,
        warn_at=warn_at,
    )


def _notified(case, **filters) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(case=case, **filters).select_related("recipient")
    return sorted((n.recipient.username, n.kind) for n in rows)


# --- Who is told ----------------------------------------------------------------------------


def test_staff_moving_a_case_notifies_the_seller_not_the_staff(alice, carol, alice_case):
    case_transition(actor=carol, case=alice_case, to="filed")

    [notification] = Notification.objects.filter(case=alice_case)
    assert notification.recipient == alice
    assert notification.kind == NotificationKind.STATUS_CHANGED
    assert notification.event == CaseEvent.objects.get(
        case=alice_case, kind=EventKind.STATUS_CHANGED
    )
    assert notification.created_at == notification.event.created_at
    assert notification.read_at is None
    assert notification.email_wanted is True


def test_the_owners_own_change_notifies_nobody_when_no_one_is_assigned(alice, alice_case):
    case_transition(actor=alice, case=alice_case, to="filed")
    case_add_note(actor=alice, case=alice_case, note="打了客服电话")

    assert not Notification.objects.filter(case=alice_case).exists()


def test_a_sellers_change_notifies_the_assignee_not_the_seller(alice, assigned_case):
    case_add_note(actor=alice, case=assigned_case, note="平台客服说三天内回复")

    assert _notified(assigned_case) == [("carol", NotificationKind.CASE_CHANGED)]


def test_a_third_person_notifies_both_owner_and_assignee(alice, assigned_case, make_user):
    dora = make_user("dora", role="staff")

    case_update(actor=dora, case=assigned_case, title="抖店保证金 2000 元未退")

    assert _notified(assigned_case) == [
        ("alice", NotificationKind.CASE_CHANGED),
        ("carol", NotificationKind.CASE_CHANGED),
    ]


def test_filing_a_case_notifies_nobody(alice, make_case):
    case = make_case(alice)

    assert not Notification.objects.filter(case=case).exists()


def test_an_edit_that_changes_nothing_notifies_nobody(carol, alice_case):
    case_update(actor=carol, case=alice_case, title=alice_case.title)

    assert not Notification.objects.filter(case=alice_case).exists()


def test_each_change_a_person_makes_is_notified_with_its_kind(alice, carol, alice_case):
    case_update(actor=carol, case=alice_case, priority="urgent")
    case_transition(actor=carol, case=alice_case, to="filed")
    case_add_note(actor=carol, case=alice_case, note="已联系平台")
    entry = contact_log(actor=carol, case=alice_case, **contact_fields(body=None)).entry
    contact_correct(actor=carol, entry=entry, summary="客服称三个工作日内回复。")
    item = evidence_attach(
        actor=carol,
        case=alice_case,
        upload=SimpleUploadedFile("截图.png", corpus.png()),
        kind="screenshot",
    )
    evidence_update(actor=carol, item=item, description="后台截图")
    evidence_remove(actor=carol, item=item, reason="重复上传")

    rows = Notification.objects.filter(recipient=alice).order_by("id")
    assert [(n.kind, n.event.kind) for n in rows] == [
        (NotificationKind.CASE_CHANGED, EventKind.FIELDS_CHANGED),
        (NotificationKind.STATUS_CHANGED, EventKind.STATUS_CHANGED),
        (NotificationKind.CASE_CHANGED, EventKind.NOTE),
        (NotificationKind.CONTACT_LOGGED, EventKind.CONTACT_LOGGED),
        (NotificationKind.CASE_CHANGED, EventKind.CONTACT_CORRECTED),
        (NotificationKind.EVIDENCE_ADDED, EventKind.EVIDENCE_ADDED),
        (NotificationKind.CASE_CHANGED, EventKind.EVIDENCE_EDITED),
        (NotificationKind.CASE_CHANGED, EventKind.EVIDENCE_REMOVED),
    ]
    assert not Notification.objects.filter(recipient=carol).exists()


def test_an_event_without_a_person_notifies_nobody(alice_case):
    event = CaseEvent.objects.create(case=alice_case, kind=EventKind.DEADLINE_STARTED)

    assert notify_case_change(event=event) == []
    assert not Notification.objects.exists()


# --- E-mail wanted or not ------------------------------------------------------------------


def test_an_opted_out_seller_gets_the_notification_in_the_app_but_no_email(
    alice, carol, alice_case, django_capture_on_commit_callbacks
):
    alice.email_notifications = False
    alice.save(update_fields=["email_notifications"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_transition(actor=carol, case=alice_case, to="filed")

    [notification] = Notification.objects.filter(recipient=alice)
    assert notification.email_wanted is False
    assert notification.email_sent_at is None
    assert callbacks == []  # nothing to deliver, no task enqueued
    assert mail.outbox == []


def test_a_recipient_without_an_address_gets_no_email(alice, carol, alice_case):
    alice.email = ""
    alice.save(update_fields=["email"])

    case_transition(actor=carol, case=alice_case, to="filed")

    assert Notification.objects.get(recipient=alice).email_wanted is False


def test_opting_out_after_the_change_stops_the_pending_email(alice, carol, alice_case):
    case_transition(actor=carol, case=alice_case, to="filed")
    alice.email_notifications = False
    alice.save(update_fields=["email_notifications"])

    assert deliver_pending() == 0

    notification = Notification.objects.get(recipient=alice)
    assert notification.email_wanted is False
    assert mail.outbox == []


def test_a_change_sends_its_email_once_committed(
    alice, carol, alice_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_transition(actor=carol, case=alice_case, to="filed")

    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["alice@example.cn"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert alice_case.reference in message.subject
    notification = Notification.objects.get(recipient=alice)
    assert notification.email_sent_at is not None
    assert notification.email_attempts == 1


# --- Language, time zone, content ----------------------------------------------------------


def test_the_email_is_in_the_recipients_language_and_time_zone(
    alice, carol, assigned_case, make_user, at
):
    alice.language, alice.time_zone = "en", "America/New_York"
    alice.save(update_fields=["language", "time_zone"])
    carol.language, carol.time_zone = "zh-hans", "Asia/Shanghai"
    carol.save(update_fields=["language", "time_zone"])
    # 2026-11-06 24:00 in Shanghai is 2026-11-06 11:00 in New York (EST).
    due = datetime(2026, 11, 6, 16, 0, tzinfo=UTC)
    deadline = _deadline(assigned_case, due_at=due)
    snapshot = deadline.rule_snapshot

    at(due + timedelta(minutes=1))
    sweep_deadlines()
    assert deliver_pending() == 2

    by_address = {m.to[0]: m for m in mail.outbox}
    english, chinese = by_address["alice@example.cn"], by_address["carol@example.cn"]
    assert english.subject == (
        f"[{assigned_case.reference}] Deadline passed: {snapshot['name']}, was due 2026-11-06 11:00"
    )
    assert "2026-11-06 11:00 (America/New_York)" in english.body
    assert snapshot["name_zh"] not in english.body
    assert snapshot["name_zh"] in chinese.subject
    assert "2026-11-06 24:00" in chinese.subject
    assert "2026-11-06 24:00 (Asia/Shanghai)" in chinese.body
    assert snapshot["name"] not in chinese.body
    for message in (english, chinese):
        case_url = f"{settings.SITE_URL}/cases/{assigned_case.reference}/"
        assert case_url in message.body
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html"
        assert case_url in html


def test_a_status_change_email_says_who_moved_it_and_to_what(alice, carol, alice_case):
    alice.language = "en"
    alice.save(update_fields=["language"])
    carol.first_name, carol.last_name = "Carol", "Chen"
    carol.save(update_fields=["first_name", "last_name"])

    case_transition(actor=carol, case=alice_case, to="filed", note="Ticket TK-1 opened")
    deliver_pending()

    [message] = mail.outbox
    assert message.subject == f"[{alice_case.reference}] Carol Chen moved the case to “Filed”"
    assert "Changed by: Carol Chen" in message.body
    assert "Ticket TK-1 opened" in message.body
    assert f"{settings.SITE_URL}/cases/{alice_case.reference}/" in message.body


def test_the_one_line_text_follows_the_active_language(alice, carol, alice_case):
    from django.utils import translation

    case_transition(actor=carol, case=alice_case, to="filed")
    notification = Notification.objects.get(recipient=alice)

    with translation.override("en"):
        english = notification_text(notification)
    with translation.override("zh-hans"):
        chinese = notification_text(notification)

    assert english == "carol moved the case to “Filed”"
    assert "Filed" not in chinese  # the status label comes from the Chinese catalogue


# --- Delivery: once, with backoff, through outages -----------------------------------------


def test_delivering_twice_sends_once(alice, carol, alice_case):
    case_transition(actor=carol, case=alice_case, to="filed")

    assert deliver_pending() == 1
    assert deliver_pending() == 0
    deliver_notifications.delay().get()

    assert len(mail.outbox) == 1


def test_a_row_another_worker_leased_is_left_to_it(alice, carol, alice_case, at):
    case_transition(actor=carol, case=alice_case, to="filed")
    notification = Notification.objects.get(recipient=alice)
    # Another worker claimed it a moment ago and is talking to the SMTP server.
    Notification.objects.filter(pk=notification.pk).update(email_next_at=NOW + timedelta(minutes=5))

    assert deliver_pending(ids=[notification.pk]) == 0
    assert mail.outbox == []

    # That worker died before marking it: once the lease runs out, the row goes again.
    at(NOW + timedelta(minutes=5))
    assert deliver_pending() == 1
    assert len(mail.outbox) == 1


def test_an_smtp_failure_backs_off_then_sends_once(alice, carol, alice_case, at):
    case_transition(actor=carol, case=alice_case, to="filed")
    notification = Notification.objects.get(recipient=alice)
    refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=refused):
        assert deliver_pending() == 0
    notification.refresh_from_db()
    assert notification.email_attempts == 1
    assert notification.email_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert notification.email_next_at == NOW + timedelta(minutes=1)
    assert notification.email_sent_at is None

    # Within the backoff nothing is tried.
    at(NOW + timedelta(seconds=59))
    with mock.patch.object(EmailMultiAlternatives, "send") as send:
        assert deliver_pending() == 0
    send.assert_not_called()

    at(NOW + timedelta(minutes=1))
    assert deliver_pending() == 1
    at(NOW + timedelta(minutes=10))
    assert deliver_pending() == 0

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_sent_at == NOW + timedelta(minutes=1)
    assert notification.email_attempts == 2
    assert notification.email_error == ""
    assert notification.email_next_at is None


def test_the_backoff_doubles_up_to_six_hours():
    assert [email_backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert email_backoff(9) == timedelta(minutes=256)
    assert email_backoff(10) == timedelta(hours=6)
    assert email_backoff(30) == timedelta(hours=6)


def test_delivery_gives_up_after_the_last_attempt_and_keeps_the_error(alice, carol, alice_case, at):
    case_transition(actor=carol, case=alice_case, to="filed")
    notification = Notification.objects.get(recipient=alice)
    Notification.objects.filter(pk=notification.pk).update(email_attempts=EMAIL_MAX_ATTEMPTS - 1)

    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=OSError("refused")):
        deliver_pending()
    at(NOW + timedelta(days=2))
    assert deliver_pending() == 0

    notification.refresh_from_db()
    assert notification.email_attempts == EMAIL_MAX_ATTEMPTS
    assert notification.email_error == "OSError: refused"
    assert notification.email_sent_at is None
    assert mail.outbox == []


def test_with_the_broker_down_the_change_succeeds_and_the_resend_tick_sends_later(
    alice, carol, alice_case, api_as, settings, django_capture_on_commit_callbacks
):
    settings.SECURE_SSL_REDIRECT = False
    broker_down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with (
        mock.patch.object(deliver_notifications, "delay", side_effect=broker_down) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_as(carol).post(
            f"/api/v1/cases/{alice_case.reference}/transitions/", {"to": "filed"}, format="json"
        )

    assert response.status_code == 200, response.content
    delay.assert_called_once()
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=alice)
    assert notification.email_sent_at is None

    # Beat's tick once the broker is back: the task with no ids sends what is pending.
    deliver_notifications.delay().get()

    [message] = mail.outbox
    assert message.to == ["alice@example.cn"]
    notification.refresh_from_db()
    assert notification.email_sent_at is not None


def test_beat_resends_the_outbox_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["resend-notifications"]
    assert (
        entry["task"] == deliver_notifications.name == "notifications.tasks.deliver_notifications"
    )
    assert entry["schedule"] == 60
    assert entry["options"]["expires"] <= entry["schedule"]


# --- The sweep's notifications --------------------------------------------------------------


def test_the_sweep_sets_email_wanted_from_each_recipient_and_enqueues_one_delivery(
    alice, carol, make_case, at, django_capture_on_commit_callbacks
):
    alice.email_notifications = False
    alice.save(update_fields=["email_notifications"])
    cases = [make_case(alice) for _ in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(assignee=carol)
    for case in cases:
        _deadline(case, due_at=NOW - timedelta(minutes=1))

    with (
        mock.patch.object(deliver_notifications, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_deadlines().breached == 3

    rows = Notification.objects.filter(kind=NotificationKind.DEADLINE_BREACHED)
    assert sorted((n.recipient.username, n.email_wanted) for n in rows) == [
        ("alice", False),
        ("alice", False),
        ("alice", False),
        ("carol", True),
        ("carol", True),
        ("carol", True),
    ]
    delay.assert_called_once()
    ids = delay.call_args.kwargs["ids"]
    assert sorted(ids) == sorted(n.pk for n in rows if n.recipient == carol)
    assert deliver_pending(ids=ids) == 3
    assert [m.to for m in mail.outbox] == [["carol@example.cn"]] * 3


def test_a_warning_email_gives_the_due_moment(alice, alice_case, at):
    alice.language = "en"
    alice.save(update_fields=["language"])
    due = NOW + timedelta(days=2)
    _deadline(alice_case, due_at=due, warn_at=NOW - timedelta(minutes=1))

    assert sweep_deadlines().warned == 1
    deliver_pending()

    [message] = mail.outbox
    name = _rule("samr.accept_decision").name
    assert message.subject == (f"[{alice_case.reference}] Due soon: {name}, by 2026-11-04 10:00")
    assert "Due: 2026-11-04 10:00 (Asia/Shanghai)" in message.body


# --- Admin ----------------------------------------------------------------------------------


def test_the_admin_shows_failed_deliveries_with_their_error(
    client, make_user, alice, carol, alice_case, make_case
):
    from django.urls import reverse

    root = make_user("root", role="staff", is_superuser=True, is_staff=True)
    client.force_login(root)
    case_transition(actor=carol, case=alice_case, to="filed")
    other = make_case(alice, title="快手账号被误封")
    case_transition(actor=carol, case=other, to="filed")
    given_up = Notification.objects.get(case=alice_case)
    Notification.objects.filter(pk=given_up.pk).update(
        email_attempts=EMAIL_MAX_ATTEMPTS, email_error="SMTPRecipientsRefused: 550 no such user"
    )
    url = reverse("admin:notifications_notification_changelist")

    failed = client.get(url, {"email": "given_up"}, secure=True)
    pending = client.get(url, {"email": "pending"}, secure=True)

    assert failed.status_code == pending.status_code == 200
    assert "550 no such user" in failed.text
    assert alice_case.reference in failed.text
    assert other.reference not in failed.text
    assert other.reference in pending.text
    assert alice_case.reference not in pending.text
    detail = client.get(
        reverse("admin:notifications_notification_change", args=[given_up.pk]), secure=True
    )
    assert "550 no such user" in detail.text


def test_the_email_names_who_is_waited_on_and_nothing_for_an_unknown_value(alice, alice_case):
    """The deadline e-mail says who the clock waits on, with the field's label; a value outside
    the choices (written around the services) leaves the line out rather than show the code."""
    from notifications.delivery import render_email

    deadline = _deadline(alice_case, due_at=NOW + timedelta(days=2))
    notification = Notification.objects.create(
        recipient=alice, case=alice_case, deadline=deadline, kind="deadline_warning"
    )
    alice.language = "en"
    notification.recipient = alice
    assert "Waiting on: The external body" in render_email(notification).body

    Deadline.objects.filter(pk=deadline.pk).update(waiting_on="nobody_known")
    notification.deadline.refresh_from_db()
    assert "Waiting on" not in render_email(notification).body
