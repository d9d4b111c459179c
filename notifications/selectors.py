"""Reading notifications: a user's own, about cases they may still see."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from cases.selectors import _visible
from notifications.models import Notification

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
    Served by the index notifications_page (the whole order, so only a page is joined)."""
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
    """One COUNT over the partial index notifications_unread. With `cap`, counting stops there:
    the navigation's badge shows "99+" rather than counting thousands of rows on every page."""
    unread = _own(user).filter(read_at__isnull=True)
    return unread[:cap].count() if cap else unread.count()
