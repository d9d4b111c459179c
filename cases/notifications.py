"""Notifications: in-app rows that are also the e-mail outbox.

A change a person makes to a case (status, edit, note, contact, evidence) notifies the case's
owner and assignee, except the person who made it. The rows are written in the transaction of
the change; one delivery task is enqueued after commit, and the beat's re-send sweep sends
whatever is still unsent, so a broker or SMTP outage delays mail but loses none.
"""

from django.db.models import Q

from accounts.models import User
from cases.choices import EventKind, NotificationKind
from cases.models import CaseEvent, Notification
from config.tasks import enqueue_on_commit

# The kind of notification a person's change makes; anything else is "case changed".
KIND_BY_EVENT = {
    EventKind.STATUS_CHANGED: NotificationKind.STATUS_CHANGED,
    EventKind.CONTACT_LOGGED: NotificationKind.CONTACT_LOGGED,
    EventKind.EVIDENCE_ADDED: NotificationKind.EVIDENCE_ADDED,
}


def wants_email(user: User) -> bool:
    return bool(user.email_notifications and user.email)


def notify_case_change(*, event: CaseEvent) -> list[Notification]:
    """Tell the case's owner and assignee about a change a person made, except that person.

    1. Nothing for events without a person (the sweep writes its own notifications).
    2. One query for the recipients; e-mail only for those who want it and have an address.
    3. Write the rows in the caller's transaction; enqueue one delivery after commit."""
    if event.actor_id is None:
        return []
    case = event.case
    ids = {case.owner_id, case.assignee_id} - {None, event.actor_id}
    if not ids:
        return []
    recipients = User.objects.filter(pk__in=ids).only("id", "email", "email_notifications")
    kind = KIND_BY_EVENT.get(event.kind, NotificationKind.CASE_CHANGED)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                case=case,
                kind=kind,
                event=event,
                created_at=event.created_at,
                email_wanted=wants_email(user),
            )
            for user in recipients.order_by("pk")
        ]
    )
    enqueue_delivery(notifications)
    return notifications


def enqueue_delivery(notifications: list[Notification]) -> None:
    """One delivery task after commit for the rows that want e-mail (if any)."""
    ids = [n.pk for n in notifications if n.email_wanted]
    if ids:
        from cases.tasks import deliver_notifications

        enqueue_on_commit(deliver_notifications, ids=ids)


def pending_email() -> Q:
    """Rows still to be e-mailed (served by the partial index cases_notif_outbox)."""
    return Q(email_wanted=True, email_sent_at__isnull=True)


def deliver_pending(*, ids: list[int] | None = None) -> int:
    """Placeholder until e-mail rendering lands: sends nothing yet."""
    return 0
