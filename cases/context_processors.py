from django.utils.functional import SimpleLazyObject

from cases.notifications import unread_count


def notifications(request) -> dict:
    """`unread_notifications` for the top navigation's badge. Lazy: the one COUNT (over the
    partial index cases_notif_unread) runs only when a page shows the navigation; anonymous
    visitors get nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
