"""Seller and staff web pages for cases. Thin: forms parse, selectors find, services change."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import clock
from cases.choices import CaseKind, Status
from cases.counts import cases_counted
from cases.export import cases_csv_response
from cases.forms import (
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    NoteForm,
    TransitionForm,
    add_domain_error,
)
from cases.hooks import page_context
from cases.kinds import KINDS, details_form_for
from cases.lifecycle import CLOSED, allowed_targets
from cases.search import case_search
from cases.selectors import case_counts_by_status, case_get_for, cases_visible_to, dashboard_cases
from cases.services import case_add_note, case_create, case_transition, case_update
from config.errors import ConflictError, DomainError

CASES_PER_PAGE = 25
DASHBOARD_SIZE = 20


@login_required
def dashboard(request):
    """Open cases, urgent first then newest (a seller's own; staff: everyone's), with counts;
    the clocks and the staff's banners come from their apps (cases.hooks.PAGES)."""
    counts = case_counts_by_status(actor=request.user)
    status_counts = [
        {"status": status, "label": label, "count": counts[status]}
        for status, label in Status.choices
        if counts.get(status)
    ]
    open_cases = dashboard_cases(actor=request.user).exclude(status__in=CLOSED)
    context = {
        "cases": open_cases[:DASHBOARD_SIZE],
        "status_counts": status_counts,
        "total": sum(counts.values()),
        "open_total": sum(n for status, n in counts.items() if status not in CLOSED),
    }
    return render(
        request, "cases/dashboard.html", page_context("dashboard", request, None, context)
    )


@login_required
def case_list(request):
    """Your cases (staff: all), filtered and searched with the staff desk's search; `?export=csv`
    streams the same list as CSV (a seller's own cases, seller-safe columns)."""
    form = CaseFilterForm(request.GET or None)
    search = form.search()
    cases = case_search(cases_visible_to(request.user).filter(**form.filters()), search)
    if request.GET.get("export") == "csv" and not form.errors:
        stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
        return cases_csv_response(
            cases.order_by("-updated_at", "-id"),
            staff=request.user.is_support_staff,
            filename=f"recourse-cases-{stamp}.csv",
        )
    paginator = Paginator(cases, CASES_PER_PAGE)
    filters = form.filters()
    if request.user.is_support_staff and not search and set(filters) <= {"status"}:
        # Every case, or every case in one status: the desk's counts table knows how many
        # without a COUNT over a million rows.
        paginator.count = cases_counted(status=filters.get("status"))
    page = paginator.get_page(request.GET.get("page"))
    filtered = bool(form.is_bound and any(request.GET.get(n) for n in form.fields)) or search
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "search": search,
            "filtered": filtered,
        },
        status=400 if form.errors else 200,
    )


@login_required
def case_new(request):
    """Step 1 of filing a case: pick its kind."""
    kinds = [
        {"value": kind, "label": CaseKind(kind).label, "summary": spec.summary}
        for kind, spec in KINDS.items()
    ]
    return render(request, "cases/new.html", {"kinds": kinds})


@login_required
def case_new_kind(request, kind):
    """Step 2: the common fields and the kind's details; saved as a draft by `case_create`."""
    if kind not in KINDS:
        raise Http404("No such kind of case.")
    status = 200
    if request.method == "POST":
        form = CaseForm(request.POST)
        details = details_form_for(kind, data=request.POST)
        if _all_valid(form, details):
            try:
                case = case_create(
                    actor=request.user, kind=kind, details=details.to_json(), **form.cleaned_data
                )
            except DomainError as error:
                _show_domain_error(error, form, details)
            else:
                messages.success(
                    request,
                    _(
                        "Case %(reference)s saved as a draft. Once you have contacted the "
                        "platform, mark it as filed."
                    )
                    % {"reference": case.reference},
                )
                return redirect(case)
        status = 400
    else:
        form = CaseForm(initial={"party_role": KINDS[kind].default_party_role})
        details = details_form_for(kind)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "details": details,
            "kind": kind,
            "kind_label": CaseKind(kind).label,
            "kind_summary": KINDS[kind].summary,
        },
        status=status,
    )


@login_required
def case_detail(request, reference):
    case = case_get_for(actor=request.user, reference=reference)
    return render_case_page(request, case)


@login_required
@require_POST
def case_transition_view(request, reference):
    case = case_get_for(actor=request.user, reference=reference)
    form = TransitionForm(request.POST, auto_id=_transition_auto_id(request.POST.get("to")))
    status = 400
    if form.is_valid():
        try:
            case = case_transition(actor=request.user, case=case, **form.service_kwargs())
        except DomainError as error:
            if isinstance(error, ConflictError):
                status = 409
            seen = form.cleaned_data.get("seen_status")
            if seen and seen != case.status:
                form.add_error(
                    None,
                    _("Someone moved this case to “%(status)s” after you opened the page.")
                    % {"status": case.get_status_display()},
                )
            # A refused move is about the whole form, not one field.
            if error.field == "to" or not add_domain_error(form, error):
                form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Moved to “%(status)s”.") % {"status": case.get_status_display()},
            )
            return redirect(case)
    return render_case_page(request, case, transition_form=form, status=status)


@login_required
@require_POST
def case_note(request, reference):
    case = case_get_for(actor=request.user, reference=reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            case_add_note(actor=request.user, case=case, note=form.cleaned_data["note"])
        except DomainError as error:
            _show_domain_error(error, form)
        else:
            messages.success(request, _("Note added."))
            return redirect(f"{case.get_absolute_url()}#timeline")
    return render_case_page(request, case, note_form=form, status=400)


@login_required
def case_edit(request, reference):
    case = case_get_for(actor=request.user, reference=reference)
    status = 200
    if request.method == "POST":
        form = CaseEditForm(request.POST)
        details = details_form_for(case.kind, data=request.POST)
        if _all_valid(form, details):
            seen_update = case.updated_at
            try:
                case = case_update(
                    actor=request.user, case=case, details=details.to_json(), **form.cleaned_data
                )
            except DomainError as error:
                _show_domain_error(error, form, details)
            else:
                if case.updated_at == seen_update:
                    messages.info(request, _("Nothing to save: the case is as it was."))
                else:
                    messages.success(request, _("Changes saved."))
                return redirect(case)
        status = 400
    else:
        initial = {name: getattr(case, name) for name in CaseEditForm.base_fields}
        form = CaseEditForm(initial=initial)
        details = details_form_for(case.kind, initial=case.details)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "details": details,
            "case": case,
            "kind": case.kind,
            "kind_label": case.get_kind_display(),
        },
        status=status,
    )


def _all_valid(*forms) -> bool:
    # Validate every form (not stopping at the first) so all errors show at once.
    return all([form.is_valid() for form in forms])


def _show_domain_error(error: DomainError, form, details=None) -> None:
    landed = add_domain_error(form, error)
    if details is not None:
        landed = add_domain_error(details, error, strip_prefix="details.") or landed
    if not landed or len(error.extra.get("errors") or {}) > 1:
        form.add_error(None, error.message)


# Moves with a form of their own (what was decided; how it ended) rather than a button.
_FORM_MOVES = {Status.DECIDED: "decide_%s", Status.RESOLVED: "resolve_%s"}


def _transition_auto_id(to) -> str:
    # The page has three move forms with the same field names: the buttons', the decision's
    # and the resolving one.
    return _FORM_MOVES.get(to, "id_%s")


def _decide_form(form):
    # What was decided is required here (the service refuses a move without it): marked so,
    # and the browser asks before sending.
    form.fields["decision_result"].required = True
    form.fields["decision_result"].widget.attrs["required"] = True
    return form


def render_case_page(request, case, *, status=200, **forms) -> HttpResponse:
    """The case page. Also redisplays a rejected move, note, upload or message with what was
    typed: `forms` are those forms (and what goes with them), in place of the empty ones.
    The clocks, files and contacts are drawn by their apps (cases.hooks.PAGES)."""
    transition_form = forms.pop("transition_form", None)
    targets = allowed_targets(case.status, is_staff=request.user.is_support_staff)
    failed_to = transition_form["to"].value() if transition_form is not None else None
    # A rejected decision or resolve is shown in its own form, unless that move is no longer on
    # offer (a stale page): then the note typed goes back into the form that is.
    redisplay = failed_to if failed_to in _FORM_MOVES and failed_to in targets else None

    def form_for(to):
        if redisplay == to:
            return transition_form
        return TransitionForm(auto_id=_transition_auto_id(to))

    context = {
        "case": case,
        "targets": [
            {"value": t, "label": Status(t).label} for t in targets if t not in _FORM_MOVES
        ],
        "can_decide": Status.DECIDED in targets,
        "can_resolve": Status.RESOLVED in targets,
        "transition_form": transition_form,
        "move_form": transition_form if transition_form and not redisplay else TransitionForm(),
        "decide_form": _decide_form(form_for(Status.DECIDED)),
        "resolve_form": form_for(Status.RESOLVED),
        "deciding": redisplay == Status.DECIDED,
        "resolving": redisplay == Status.RESOLVED,
        "note_form": forms.pop("note_form", None) or NoteForm(),
        **{name: form for name, form in forms.items() if form is not None},
    }
    return render(
        request, "cases/detail.html", page_context("case", request, case, context), status=status
    )
