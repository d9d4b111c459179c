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

import logging
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.calendar import format_due
from cases.choices import EventKind, NotificationKind, Status, WaitingOn
from cases.models import Case, CaseEvent, Notification
from cases.selectors import _visible, cases_visible_to
from config.errors import DomainError
from config.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

# The kind of notification a person's change makes; anything else is "case changed".
KIND_BY_EVENT = {
    EventKind.STATUS_CHANGED: NotificationKind.STATUS_CHANGED,
    EventKind.CONTACT_LOGGED: NotificationKind.CONTACT_LOGGED,
    EventKind.EVIDENCE_ADDED: NotificationKind.EVIDENCE_ADDED,
}

# How a person's change reads in one line; the event kind's own label otherwise.
CHANGE_TEXT = {
    EventKind.FIELDS_CHANGED: gettext_lazy("%(actor)s edited the case"),
    EventKind.NOTE: gettext_lazy("%(actor)s added a note"),
    EventKind.EVIDENCE_ADDED: gettext_lazy("%(actor)s added evidence"),
    EventKind.EVIDENCE_EDITED: gettext_lazy("%(actor)s edited evidence"),
    EventKind.EVIDENCE_REMOVED: gettext_lazy("%(actor)s removed evidence"),
    EventKind.CONTACT_LOGGED: gettext_lazy("%(actor)s logged a contact"),
    EventKind.CONTACT_CORRECTED: gettext_lazy("%(actor)s corrected a contact"),
    EventKind.DEADLINE_PAUSED: gettext_lazy("%(actor)s paused a deadline"),
    EventKind.DEADLINE_RESUMED: gettext_lazy("%(actor)s resumed a deadline"),
    EventKind.DEADLINE_EXTENDED: gettext_lazy("%(actor)s extended a deadline"),
    EventKind.DEADLINE_CANCELLED: gettext_lazy("%(actor)s cancelled a deadline"),
    EventKind.MESSAGE: gettext_lazy("%(actor)s sent a message"),
    # Only staff are ever notified of these; the line never holds the note's text.
    EventKind.INTERNAL_NOTE: gettext_lazy("%(actor)s wrote an internal note"),
}

# A claimed row is left alone this long: longer than one SMTP attempt (10 s timeout) with room.
EMAIL_LEASE = timedelta(minutes=5)
# After the n-th failed attempt, wait 2^(n-1) minutes (1, 2, 4 … capped), and stop after the
# last: about 8½ hours of trying; the row and its error stay visible in the admin.
EMAIL_BACKOFF_CAP = timedelta(hours=6)
EMAIL_MAX_ATTEMPTS = 10
# Rows one re-send run claims: a backlog is worked off a batch a minute.
EMAIL_BATCH = 200


# --- Writing --------------------------------------------------------------------------------


def wants_email(user: User) -> bool:
    return bool(user.is_active and user.email_notifications and user.email)


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


def with_email_preferences(notifications: list[Notification]) -> list[Notification]:
    """Set each unsaved row's `email_wanted` from its recipient: `wants_email` for the whole
    batch in one indexed query (the sweep writes hundreds of rows at once)."""
    ids = {n.recipient_id for n in notifications}
    wanted = set(
        User.objects.filter(
            pk__in=ids, is_active=True, email_notifications=True, email__gt=""
        ).values_list("pk", flat=True)
        if ids
        else ()
    )
    for notification in notifications:
        notification.email_wanted = notification.recipient_id in wanted
    return notifications


def enqueue_delivery(notifications: list[Notification]) -> None:
    """One delivery task after commit for the rows that want e-mail (if any). A broker that is
    down is logged and left to the re-send tick."""
    ids = [n.pk for n in notifications if n.email_wanted]
    if not ids:
        return
    from cases.tasks import deliver_notifications

    # Without returned primary keys (a backend without RETURNING), send whatever is pending.
    enqueue_on_commit(deliver_notifications, ids=None if None in ids else ids)


def _check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            _("Choose one of: %(languages)s.")
            % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)},
            field="language",
        )
    return language


def user_set_notification_preferences(
    *, actor: User, language: str, email_notifications: bool
) -> User:
    """The language the actor's e-mails (and pages) are written in, and whether notifications
    are also e-mailed. Rows already waiting in the outbox follow the new choice: delivery checks
    the preference again before sending."""
    actor.language = _check_language(language)
    actor.email_notifications = bool(email_notifications)
    actor.save(update_fields=["language", "email_notifications"])
    return actor


def user_set_language(*, actor: User, language: str) -> User:
    """The language switcher's choice, kept for the actor's e-mails too."""
    language = _check_language(language)
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
    return actor


# --- Reading --------------------------------------------------------------------------------


def _own(user: User) -> QuerySet[Notification]:
    """The user's notifications about cases they may still see (`cases_visible_to`'s rule): a
    row written while they could see the case (staff since moved back to a seller, say) shows
    nothing of it once they cannot."""
    rows = Notification.objects.filter(recipient=user)
    rule = _visible(user, "case__")
    return rows if rule is None else rows.filter(rule)


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first, with what their text needs (one query).
    Served by the index cases_notif_page (the whole order, so only a page is joined)."""
    return (
        _own(user)
        .select_related("case", "deadline", "event", "event__actor")
        .order_by("-created_at", "-id")
    )


def notification_get_for(*, user: User, notification_id: int) -> Notification:
    """The user's own notification; 404 alike for missing and someone else's."""
    try:
        return _own(user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None


def unread_count(*, user: User, cap: int | None = None) -> int:
    """One COUNT over the partial index cases_notif_unread. With `cap`, counting stops there:
    the navigation's badge shows "99+" rather than counting thousands of rows on every page."""
    unread = _own(user).filter(read_at__isnull=True)
    return unread[:cap].count() if cap else unread.count()


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


# --- One line of text ----------------------------------------------------------------------


def _person(user: User | None) -> str:
    if user is None:
        return _("Someone")
    return user.get_full_name() or user.username


def _localized(name: str | None, name_zh: str | None) -> str:
    chinese = (get_language() or "").startswith("zh")
    return ((name_zh if chinese else None) or name or "").strip()


def deadline_name(notification: Notification) -> str:
    """The clock's name in the active language: from the deadline, else from the event."""
    if notification.deadline_id is not None:
        snapshot = notification.deadline.rule_snapshot or {}
    elif notification.event_id is not None:
        snapshot = (notification.event.changes or {}).get("deadline") or {}
    else:
        return ""
    return _localized(snapshot.get("name"), snapshot.get("name_zh")) or snapshot.get(
        "key", snapshot.get("rule", "")
    )


def due_text(notification: Notification) -> str:
    """The deadline's due moment in the active time zone, or "" when it has none."""
    if notification.deadline_id is None:
        return ""
    return format_due(notification.deadline.due_at, timezone.get_current_timezone())


def notification_text(notification: Notification) -> str:
    """What happened, in one line, in the active language and time zone: the notifications
    page, the API's `text` and the e-mail subject all use it."""
    if notification.kind == NotificationKind.DEADLINE_WARNING:
        return _("Due soon: %(name)s, by %(due)s") % {
            "name": deadline_name(notification),
            "due": due_text(notification),
        }
    if notification.kind == NotificationKind.DEADLINE_BREACHED:
        return _("Deadline passed: %(name)s, was due %(due)s") % {
            "name": deadline_name(notification),
            "due": due_text(notification),
        }
    event = notification.event
    if event is None:
        return str(NotificationKind(notification.kind).label)
    actor = _person(event.actor)
    if event.kind == EventKind.STATUS_CHANGED:
        return _("%(actor)s moved the case to “%(status)s”") % {
            "actor": actor,
            "status": Status(event.to_status).label if event.to_status else "",
        }
    if event.kind == EventKind.ASSIGNED:
        return _assignment_text(notification, event, actor)
    template = CHANGE_TEXT.get(event.kind)
    if template is None:
        text = _("%(actor)s: %(change)s") % {"actor": actor, "change": event.get_kind_display()}
    else:
        text = str(template) % {"actor": actor}
    name = deadline_name(notification)
    if name:
        text = _("%(change)s: %(deadline)s") % {"change": text, "deadline": name}
    return text


def _assignment_text(notification: Notification, event, actor: str) -> str:
    """Who has the case now, said to the person it concerns."""
    new = (event.changes.get("assignee") or {}).get("new")
    if notification.kind == NotificationKind.ASSIGNED:
        return _("%(actor)s assigned the case to you") % {"actor": actor}
    if not new:
        return _("%(actor)s unassigned the case") % {"actor": actor}
    if event.actor is not None and new == event.actor.get_username():
        return _("%(actor)s took the case") % {"actor": actor}
    return _("%(actor)s assigned the case to %(assignee)s") % {"actor": actor, "assignee": new}


# --- E-mail ---------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _zone(user: User):
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail for a notification, in its recipient's language and time zone."""
    user = notification.recipient
    with translation.override(user.language), timezone.override(_zone(user)):
        case = notification.case
        text = notification_text(notification)
        event = notification.event
        deadline = notification.deadline
        context = {
            "user": user,
            "name": _person(user),
            "case": case,
            "text": text,
            "kind": notification.get_kind_display(),
            "actor": _person(event.actor) if event is not None else "",
            "note": event.note if event is not None else "",
            "deadline_name": deadline_name(notification),
            "due": due_text(notification),
            "time_zone": str(timezone.get_current_timezone()),
            "waiting_on": (
                WaitingOn(deadline.waiting_on).label
                if deadline is not None and deadline.waiting_on in WaitingOn.values
                else ""
            ),
            "suggestion": (
                _localized(
                    deadline.rule_snapshot.get("suggestion"),
                    deadline.rule_snapshot.get("suggestion_zh"),
                )
                if deadline is not None and notification.kind == NotificationKind.DEADLINE_BREACHED
                else ""
            ),
            "case_url": absolute_url(case.get_absolute_url()),
            "settings_url": absolute_url(reverse("accounts:profile")),
        }
        # One line: a header cannot hold a line break.
        subject = " ".join(
            (_("[%(reference)s] %(text)s") % {"reference": case.reference, "text": text}).split()
        )
        body = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message


def email_backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most EMAIL_BACKOFF_CAP."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), EMAIL_BACKOFF_CAP)


def _due_for_email(now: datetime) -> Q:
    """Pending rows not leased nor backing off, with tries left. The outbox half is served by
    the partial index cases_notif_outbox."""
    return Q(
        email_wanted=True, email_sent_at__isnull=True, email_attempts__lt=EMAIL_MAX_ATTEMPTS
    ) & (Q(email_next_at__isnull=True) | Q(email_next_at__lte=now))


def _claim(pk: int) -> bool:
    """Lease one row for sending: true only for the one worker whose UPDATE matched it."""
    now = clock.now()
    return bool(
        Notification.objects.filter(_due_for_email(now), pk=pk).update(
            email_next_at=now + EMAIL_LEASE
        )
    )


def deliver_pending(*, ids: list[int] | None = None, limit: int = EMAIL_BATCH) -> int:
    """Send the pending e-mails among `ids` (the oldest pending ones when None); returns how
    many went out. Safe to run on several workers at once, and outside any transaction: SMTP
    is slow and must not hold locks.

    1. List candidates: pending, not leased, not backing off, tries left.
    2. Claim each with a conditional UPDATE; skip it when another worker did.
    3. Recipient no longer wants e-mail (opted out, no address, deactivated) or may no longer
       see the case: stop wanting.
    4. Send. Success marks it sent; failure counts the attempt, keeps the error and backs off."""
    candidates = Notification.objects.filter(_due_for_email(clock.now()))
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    sent = 0
    for pk in candidates.order_by("created_at", "id").values_list("pk", flat=True)[:limit]:
        if not _claim(pk):
            continue
        notification = Notification.objects.select_related(
            "recipient", "case", "deadline", "event", "event__actor"
        ).get(pk=pk)
        attempts = notification.email_attempts + 1
        rows = Notification.objects.filter(pk=pk)
        recipient = notification.recipient
        if not (
            wants_email(recipient)
            and cases_visible_to(recipient).filter(pk=notification.case_id).exists()
        ):
            rows.update(email_wanted=False, email_next_at=None)
            continue
        try:
            render_email(notification).send()
        except Exception as error:  # SMTP, network or rendering: counted and retried later
            logger.warning("E-mail for notification %s failed (attempt %s)", pk, attempts)
            rows.update(
                email_attempts=attempts,
                email_error=f"{type(error).__name__}: {error}"[:500],
                email_next_at=clock.now() + email_backoff(attempts),
            )
            continue
        rows.update(
            email_sent_at=clock.now(), email_attempts=attempts, email_next_at=None, email_error=""
        )
        sent += 1
    return sent
