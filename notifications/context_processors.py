from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count

# The badge counts to here and shows "99+" beyond (templates/base.html).
BADGE_CAP = 100


def notifications(request) -> dict:
    """`unread_notifications` for the top navigation's badge, at most BADGE_CAP. Lazy: the one
    COUNT (over the partial index notifications_unread) runs only when a page shows the
    navigation; anonymous visitors get nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user=user, cap=BADGE_CAP))
    }
