"""Whether a person wants a notification e-mailed: their own choice, an address and an active
account. Asked when a row is written and again just before it is sent."""

from accounts.models import User
from notifications.models import Notification


def wants_email(user: User) -> bool:
    return bool(user.is_active and user.email_notifications and user.email)


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
