"""Support staff's actions on one clock of a case: pause, resume, extend, with a reason."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from cases import clock
from config.errors import ConflictError, DomainError
from deadlines.forms import DeadlineExtendForm, DeadlineReasonForm
from deadlines.selectors import (
    calendar_for_clocks,
    case_clocks,
    deadline_get_for_staff,
    deadlines_breached,
    deadlines_due_soon,
)
from deadlines.staff import deadline_extend, deadline_staff_pause, deadline_staff_resume
from deadlines.templatetags.deadlines import clock_name

# The dashboard's clocks: due within the next three days, and breached; ten of each.
DUE_SOON_WITHIN = timedelta(days=3)
CLOCKS_ON_DASHBOARD = 10


def dashboard_context(request, case, context: dict) -> dict:
    """The home page's part (cases.hooks.PAGES): the reader's clocks due soon and breached."""
    now = clock.now()
    due_soon = deadlines_due_soon(
        actor=request.user, now=now, within=DUE_SOON_WITHIN, limit=CLOCKS_ON_DASHBOARD
    )
    return {
        "due_soon": due_soon,
        "breached": deadlines_breached(actor=request.user, limit=CLOCKS_ON_DASHBOARD),
        "clock_calendar": calendar_for_clocks(due_soon, now=now),
    }


def case_page_context(request, case, context: dict) -> dict:
    """The case page's part (cases.hooks.PAGES): the clock panel."""
    clocks = case_clocks(case=case)
    for deadline in clocks:
        deadline.case = case  # the panel reads the platform and owner from it
    return {
        "clocks": clocks,
        "clock_calendar": calendar_for_clocks(clocks, now=clock.now()),
        # Names for the timeline's clock events that the sweep wrote without one.
        "clocks_by_id": {deadline.pk: deadline for deadline in clocks},
    }


# Staff actions on a clock: form, service, page title, button and what to say when done.
DEADLINE_ACTIONS = {
    "pause": (
        DeadlineReasonForm,
        deadline_staff_pause,
        gettext_lazy("Pause a deadline"),
        gettext_lazy("Pause the clock"),
        gettext_lazy("Paused “%(name)s”. It keeps the time it had left."),
    ),
    "resume": (
        DeadlineReasonForm,
        deadline_staff_resume,
        gettext_lazy("Resume a deadline"),
        gettext_lazy("Resume the clock"),
        gettext_lazy("Resumed “%(name)s” with the time it had left."),
    ),
    "extend": (
        DeadlineExtendForm,
        deadline_extend,
        gettext_lazy("Extend a deadline"),
        gettext_lazy("Extend"),
        gettext_lazy("Extended “%(name)s”."),
    ),
}


@login_required
def deadline_action(request, reference, deadline_id, action):
    """Support staff pause, resume or extend one clock, with a reason (audited, on the
    timeline). Anyone else gets the 404 of a missing page."""
    deadline = deadline_get_for_staff(
        actor=request.user, reference=reference, deadline_id=deadline_id
    )
    form_class, service, title, button, done = DEADLINE_ACTIONS[action]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, deadline=deadline, **form.service_kwargs())
            except DomainError as error:
                status = 409 if isinstance(error, ConflictError) else 400
                # The form asks for a day where the service takes a moment.
                field = {"due_at": "due_on"}.get(error.field, error.field)
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(request, done % {"name": clock_name(deadline.rule_snapshot)})
                return redirect(f"{deadline.case.get_absolute_url()}#clocks")
        else:
            status = 400
    else:
        form = form_class()
    return render(
        request,
        "deadlines/action.html",
        {
            "case": deadline.case,
            "deadline": deadline,
            "deadline_list": [deadline],
            "clock_calendar": calendar_for_clocks([deadline], now=clock.now()),
            "action": action,
            "title": title,
            "button": button,
            "form": form,
        },
        status=status,
    )
