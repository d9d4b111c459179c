"""Writing to a case's conversation: messages between the seller and staff, and staff's
internal notes."""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from cases import clock
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.selectors import cases_visible_to
from config.errors import DomainError
from conversations.models import BODY_MAX_LENGTH, Message
from notifications.choices import NotificationKind
from notifications.services import case_people, notify_of_event


def _check_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write a message first."), field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise DomainError(
            _("A message has at most %(max)d characters (this one has %(length)d).")
            % {"max": BODY_MAX_LENGTH, "length": len(body)},
            field="body",
        )
    return body


def _recipients(*, case: Case, actor: User, internal: bool) -> list[User]:
    """Who hears of a new message: the other side. The seller's message goes to the assignee
    (nobody when the case has none: the queue shows it); staff's message goes to the owner
    and, when someone else wrote it, the assignee. An internal note goes only to the
    assignee, and only to staff: never to a seller, whatever the case's state."""
    ids = {case.assignee_id} - {None, actor.pk} if internal else case_people(case, besides=actor.pk)
    if not ids:
        return []
    recipients = User.objects.filter(pk__in=ids)
    if internal:
        recipients = [user for user in recipients if user.is_support_staff]
    return sorted(recipients, key=lambda user: user.pk)


@transaction.atomic
def message_post(*, actor: User, case: Case, body: str, internal: bool = False) -> Message:
    """Add a message (or, for staff, an internal note) to the case's conversation.

    1. The actor must see the case (the same 404 as everywhere else); only staff write
       internal notes. The body is stripped, required and at most BODY_MAX_LENGTH long.
    2. Save the message and its timeline event: MESSAGE carries the text (the seller and
       staff both read it); INTERNAL_NOTE carries only the message's id, so the note's text
       lives in one row that only staff selectors read.
    3. A message is activity on the case (its `updated_at` moves); an internal note is not,
       since the seller would see the case change with nothing to show for it. A seller's
       message marks the case as awaiting staff's reply (the queue shows it, also when nobody
       is assigned to be notified); a message from staff clears the mark.
    4. Notify the other side (`_recipients`), e-mail after commit."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise Http404("No such case.")
    internal = bool(internal)
    if internal and not actor.is_support_staff:
        raise DomainError(
            _("Only support staff can write internal notes. Send a message instead."),
            code="internal_not_allowed",
            field="internal",
        )
    body = _check_body(body)
    now = clock.now()
    message = Message.objects.create(
        case=case, author=actor, body=body, internal=internal, created_at=now
    )
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.INTERNAL_NOTE if internal else EventKind.MESSAGE,
        actor=actor,
        created_at=now,
        changes={"message": {"id": message.pk}},
        note="" if internal else body,
    )
    if not internal:
        # The seller's message waits for an answer (from its first unanswered one); staff's
        # answers it.
        awaiting = None if actor.is_support_staff else Coalesce(F("awaiting_reply_since"), now)
        Case.objects.filter(pk=case.pk).update(updated_at=now, awaiting_reply_since=awaiting)
        case.updated_at = now
        case.awaiting_reply_since = (
            None if actor.is_support_staff else case.awaiting_reply_since or now
        )
    notify_of_event(
        event=event,
        kind=NotificationKind.MESSAGE,
        recipients=_recipients(case=case, actor=actor, internal=internal),
    )
    return message
