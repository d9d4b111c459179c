"""The staff queue: parse the filters, read through desk.selectors, render. Staff only: anyone
else gets the same 404 as a page that does not exist."""

import hashlib
from functools import cache, wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import clock
from cases.counts import status_counts
from cases.export import cases_csv_response
from config.errors import DomainError
from desk.assignment import staff_members
from desk.forms import QUEUE_PAGE_SIZE, QueueFilterForm, SavedViewForm
from desk.selectors import queue_cases, queue_page, saved_views_for
from desk.services import saved_view_create, saved_view_delete


@cache
def filters_fragment_version() -> str:
    """Part of the cached filter form's key: it changes with the queue's template and the
    form's fields, so after a deploy nobody is served the previous release's form."""
    source = get_template("desk/queue.html").template.source
    return hashlib.sha256(f"{source}{list(QueueFilterForm.base_fields)}".encode()).hexdigest()[:12]


def staff_only(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_support_staff:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def _filter_form(request) -> QueueFilterForm:
    # Names too: the bulk form shows each member by name (User.display).
    staff = list(staff_members().only("id", "username", "first_name", "last_name", "display_name"))
    return QueueFilterForm(request.GET or None, staff=staff)


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.lists() for v in v if k != "page"])


@staff_only
def queue(request):
    """Cases by urgency: breached clocks, soonest due, urgent, oldest update. A fixed number
    of queries whatever the page size: user and session, the unread badge, staff for the
    assignee filter (and the bulk form's), the status counts, the saved views, the page."""
    form = _filter_form(request)
    filters = form.filters()
    number = form.page_number
    cases = queue_cases(actor=request.user, filters=filters)
    rows, has_next = queue_page(cases, number=number, size=QUEUE_PAGE_SIZE)
    counts = status_counts()
    bad = bool(form.errors or form.unknown)
    return render(
        request,
        "desk/queue.html",
        {
            "form": form,
            "cases": rows,
            "page_number": number,
            "has_next": has_next,
            "has_previous": number > 1,
            "counts": counts,
            "total": sum(c["count"] for c in counts),
            "saved_views": saved_views_for(request.user),
            "save_form": SavedViewForm(initial={"query": _query_without_page(request)}),
            "query": _query_without_page(request),
            # The cached filter form shows the page field's error too: keyed on the page
            # as well when there is one, so an error is never served for a good page or
            # missing from a bad one.
            "form_key": request.GET.urlencode() if bad else "",
            "bulk_url": reverse("desk-bulk:bulk"),
            "now": clock.now(),
            "filtered": form.active,
            "staff": form.staff,
            "staff_key": " ".join(member.username for member in form.staff),
            "filters_version": filters_fragment_version(),
        },
        status=400 if bad else 200,
    )


@staff_only
def export(request):
    """The queue's current filters as CSV, every column, every matching case (streamed)."""
    form = _filter_form(request)
    if form.is_bound and (not form.is_valid() or form.unknown):
        return queue(request)
    cases = queue_cases(actor=request.user, filters=form.filters())
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    return cases_csv_response(cases, staff=True, filename=f"recourse-queue-{stamp}.csv")


@staff_only
@require_POST
def view_save(request):
    form = SavedViewForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            view = saved_view_create(
                actor=request.user, name=form.cleaned_data["name"], query=query
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    url = reverse("desk:queue")
    return redirect(f"{url}?{query.lstrip('?')}" if query else url)


@staff_only
@require_POST
def view_delete(request, view_id: int):
    saved_view_delete(actor=request.user, view_id=view_id)
    messages.success(request, _("Deleted the saved view."))
    return redirect("desk:queue")
