"""Notifications: in-app rows that are also the e-mail outbox.

A change a person makes to a case (status, edit, note, contact, evidence, a clock moved by
staff) notifies the case's owner and assignee, except the person who made it; the deadline
sweep writes its own rows (due soon, breached). Rows are written in the transaction of the
change. One delivery task is enqueued after commit, and beat's re-send tick
(`deliver_notifications` with no ids) sends whatever is still unsent, so a broker or SMTP outage
delays mail but loses none.

Delivery is at least once: each row is claimed with a conditional UPDATE that sets a lease
(`email_next_at` a few minutes ahead), so of two workers only the one whose UPDATE hit the row
sends it. A worker that dies between sending and marking leaves the lease to expire, and the
mail goes again: a duplicate is better than a lost deadline warning.
"""

from datetime import datetime

from django.http import Http404

from accounts.models import User
from cases import clock
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from config.tasks import enqueue_on_commit
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.preferences import wants_email
from notifications.selectors import _own

# The kind of notification a person's change makes; anything else is "case changed".
KIND_BY_EVENT = {
    EventKind.STATUS_CHANGED: NotificationKind.STATUS_CHANGED,
    EventKind.CONTACT_LOGGED: NotificationKind.CONTACT_LOGGED,
    EventKind.EVIDENCE_ADDED: NotificationKind.EVIDENCE_ADDED,
}


# --- Writing --------------------------------------------------------------------------------


def case_people(case: Case, *, besides: int | None) -> set[int]:
    """Who hears of a change to the case: its owner and its assignee, not the person who
    made it (`besides`)."""
    return {case.owner_id, case.assignee_id} - {None, besides}


def notify_case_change(*, event: CaseEvent) -> list[Notification]:
    """Tell the case's owner and assignee about a change a person made, except that person.

    1. Nothing for events without a person (the sweep writes its own notifications).
    2. One query for the recipients; e-mail only for those who want it and have an address.
    3. Write the rows in the caller's transaction; enqueue one delivery after commit."""
    if event.actor_id is None:
        return []
    case = event.case
    ids = case_people(case, besides=event.actor_id)
    if not ids:
        return []
    recipients = User.objects.filter(pk__in=ids).only(
        "id", "email", "email_notifications", "is_active"
    )
    kind = KIND_BY_EVENT.get(event.kind, NotificationKind.CASE_CHANGED)
    return notify_of_event(event=event, kind=kind, recipients=recipients.order_by("pk"))


def notify_of_event(*, event: CaseEvent, kind: str, recipients) -> list[Notification]:
    """One notification of `kind` about `event` for each recipient, e-mail wanted as
    `wants_email` says, written in the caller's transaction; one delivery after commit."""
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                case=event.case,
                kind=kind,
                event=event,
                created_at=event.created_at,
                email_wanted=wants_email(user),
            )
            for user in recipients
        ]
    )
    enqueue_delivery(notifications)
    return notifications


def enqueue_delivery(notifications: list[Notification]) -> None:
    """One delivery task after commit for the rows that want e-mail (if any). A broker that is
    down is logged and left to the re-send tick."""
    ids = [n.pk for n in notifications if n.email_wanted]
    if not ids:
        return
    from notifications.tasks import deliver_notifications

    # Without returned primary keys (a backend without RETURNING), send whatever is pending.
    enqueue_on_commit(deliver_notifications, ids=None if None in ids else ids)


# --- Marking read ---------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (a second time changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise Http404("No such notification.")
    now = clock.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: User, until: datetime | None = None) -> int:
    """Mark the actor's unread notifications read, those created up to `until` when given (a
    client marks what it has shown, not what arrived since); returns how many."""
    # The ones the actor is shown (`_own`), so the count said is the count they saw.
    unread = _own(actor).filter(read_at__isnull=True)
    if until is not None:
        unread = unread.filter(created_at__lte=until)
    return unread.update(read_at=clock.now())
