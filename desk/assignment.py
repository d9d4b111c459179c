"""Who works on a case: support staff take, assign, reassign and unassign cases.

Every assignment is one `CaseEvent` (kind ASSIGNED, changes {"assignee": {"old", "new"}} by
username) written with the change, under the case's row lock. Notifications, in the same
transaction: the new assignee is told the case is now theirs (kind ASSIGNED), the owner and
the previous assignee that it changed hands (kind "case changed"); never the person who did it,
and nobody twice. E-mail goes out after commit through the outbox, as for every notification.
"""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import SUPPORT_STAFF, User
from cases import clock
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.services import check_note
from config.errors import DomainError
from desk.services import require_staff
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.preferences import with_email_preferences
from notifications.services import enqueue_delivery


def staff_members() -> QuerySet[User]:
    """Active support staff (superusers count), by username: who a case can be assigned to."""
    return User.objects.filter(SUPPORT_STAFF & Q(is_active=True)).order_by("username")


def staff_member_get(value) -> User:
    """An active support staff member by username, or by id when `value` is a number and no
    username matches. Anyone else, or no one: a DomainError on `assignee`."""
    text = str(value if value is not None else "").strip()
    member = None
    if text:
        members = staff_members()
        member = members.filter(username=text).first()
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        if member is None and text.isascii() and text.isdigit() and len(text) < 19:
            member = members.filter(pk=int(text)).first()
    if member is None:
        raise DomainError(
            _("“%(value)s” is not an active support staff member.") % {"value": text[:150]},
            field="assignee",
        )
    return member


def check_assignee(assignee: User | None) -> None:
    if assignee is not None and not (assignee.is_active and assignee.is_support_staff):
        raise DomainError(_("Only active support staff can be assigned a case."), field="assignee")


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User | None, note: str = "") -> Case:
    """Assign the case to `assignee` (None: nobody).

    1. Staff only (anyone else: 404); the assignee must be active support staff.
    2. Lock the case row and read its current assignee; assigning to whom it already is
       changes nothing and writes nothing.
    3. Save, and write the ASSIGNED event with the old and new usernames and the note.
    4. Notify: the new assignee (ASSIGNED), the owner and the previous assignee (case
       changed), except the actor and nobody twice.
    """
    require_staff(actor)
    check_assignee(assignee)
    note = check_note(note)
    # No join in the locking read: under READ COMMITTED, a row locked after waiting is re-read,
    # but a joined assignee would still be the one from before the wait.
    case = Case.objects.select_for_update().get(pk=case.pk)
    new_id = assignee.pk if assignee is not None else None
    if case.assignee_id == new_id:
        return case
    previous = User.objects.filter(pk=case.assignee_id).first() if case.assignee_id else None
    now = clock.now()
    case.assignee = assignee
    case.updated_at = now
    case.save(update_fields=["assignee", "updated_at"])
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.ASSIGNED,
        actor=actor,
        changes={"assignee": {"old": _username(previous), "new": _username(assignee)}},
        note=note,
        created_at=now,
    )
    _notify_assignment(event=event, previous=previous)
    return case


def case_take(*, actor: User, case: Case, note: str = "") -> Case:
    """The actor takes the case: assigned to themselves."""
    return case_assign(actor=actor, case=case, assignee=actor, note=note)


def _notify_assignment(*, event: CaseEvent, previous: User | None) -> list[Notification]:
    """One row per person: the new assignee's says the case is theirs; the owner's and the
    previous assignee's that it changed hands. Written in the caller's transaction; e-mail
    after commit."""
    case = event.case
    kinds: dict[int, str] = {}
    if case.assignee_id is not None:
        kinds[case.assignee_id] = NotificationKind.ASSIGNED
    for person_id in (case.owner_id, previous.pk if previous is not None else None):
        if person_id is not None:
            kinds.setdefault(person_id, NotificationKind.CASE_CHANGED)
    kinds.pop(event.actor_id, None)
    if not kinds:
        return []
    rows = with_email_preferences(
        [
            Notification(
                recipient_id=person_id,
                case=case,
                kind=kind,
                event=event,
                created_at=event.created_at,
            )
            for person_id, kind in sorted(kinds.items())
        ]
    )
    notifications = Notification.objects.bulk_create(rows)
    enqueue_delivery(notifications)
    return notifications
