"""Delivery: a notification's one line of text and its e-mail, in the recipient's language and
time zone, and the sending of the outbox (at least once; see notifications.services)."""

import logging
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.choices import EventKind, Status
from cases.formats import format_due
from cases.selectors import cases_visible_to
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.preferences import wants_email

logger = logging.getLogger(__name__)

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


# --- One line of text ----------------------------------------------------------------------


def _person(user: User | None) -> str:
    if user is None:
        return _("Someone")
    return user.display


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
                # The field's own label (the outbox sits below the clocks and does not import
                # their choices); nothing for a value outside them.
                deadline.get_waiting_on_display()
                if deadline is not None
                and deadline.waiting_on in dict(type(deadline).waiting_on.field.choices)
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
    the partial index notifications_outbox."""
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
