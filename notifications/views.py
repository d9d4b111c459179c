"""The notifications page and marking notifications read. Thin: the selectors find the
user's own rows (404 for anyone else's), the services mark them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from notifications.delivery import notification_text
from notifications.selectors import notification_get_for, notifications_for
from notifications.services import notification_mark_read, notifications_mark_all_read

NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request):
    """The user's notifications, newest first; unread ones marked."""
    page = Paginator(notifications_for(user=request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for notification in page:
        notification.text = notification_text(notification)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_read(request, notification_id: int):
    """Mark one read and go to its case."""
    notification = notification_get_for(user=request.user, notification_id=notification_id)
    notification_mark_read(actor=request.user, notification=notification)
    return redirect("cases:detail", reference=notification.case.reference)


@require_POST
@login_required
def notification_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked read.",
                "%(count)d notifications marked read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect("notifications:list")
