"""Staff pages: take or assign one case, act on a selection of cases.

A seller (anyone but support staff) gets the 404 of a missing page on every URL here. Thin:
the form checks the input, the service (desk.assignment, desk.bulk) does the change.
"""

from django import forms
from django.contrib import messages
from django.core.validators import ProhibitNullCharactersValidator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.choices import DecisionResult, Priority, Status
from cases.forms import add_domain_error
from cases.models import Case
from cases.selectors import case_get_for
from cases.services import NOTE_MAX_LENGTH
from config.errors import DomainError
from desk.assignment import case_assign, case_take, staff_member_get
from desk.bulk import MAX_SELECTION, REFERENCE_MAX_LENGTH, Action, bulk_apply
from desk.views import staff_only

# The assignee value that means "nobody" (the select's first option).
NOBODY = "none"


class AssignForm(forms.Form):
    take = forms.BooleanField(required=False)
    assignee = forms.CharField(label=gettext_lazy("Assign to"), required=False, max_length=150)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=NOTE_MAX_LENGTH)

    def clean(self):
        data = super().clean()
        if not data.get("take") and not (data.get("assignee") or "").strip():
            self.add_error("assignee", _("Choose who handles the case, or “Nobody”."))
        return data


class ReferencesField(forms.Field):
    """The selection: `case` repeated, one reference each."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return [str(v).strip()[:REFERENCE_MAX_LENGTH] for v in (value or []) if str(v).strip()]

    def validate(self, value):
        if not value:
            raise forms.ValidationError(_("Select at least one case."), code="required")
        for reference in value:
            ProhibitNullCharactersValidator()(reference)


def _with_blank(choices):
    return [("", "—"), *choices]


class BulkForm(forms.Form):
    case = ReferencesField(label=gettext_lazy("Cases"))
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=Action.choices)
    assignee = forms.CharField(label=gettext_lazy("Assign to"), required=False, max_length=150)
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"), required=False, choices=_with_blank(Priority.choices)
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=_with_blank(Status.choices)
    )
    decision_result = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        required=False,
        choices=_with_blank(DecisionResult.choices),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=NOTE_MAX_LENGTH)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        needed = {
            Action.ASSIGN: ("assignee", _("Choose who to assign the cases to, or “Nobody”.")),
            Action.PRIORITY: ("priority", _("Choose a priority.")),
            Action.STATUS: ("status", _("Choose a status to move the cases to.")),
        }
        if action in needed:
            name, message = needed[action]
            if not (data.get(name) or "").strip():
                self.add_error(name, message)
        return data


def _safe_next(request, url: str | None) -> str:
    """Back where the selection was made: a local URL only, else the queue."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("desk:queue")


def _assignee(value: str):
    """None for "nobody", else the staff member (DomainError on `assignee` when there is none)."""
    value = (value or "").strip()
    return None if value == NOBODY else staff_member_get(value)


@staff_only  # before require_POST: a seller's GET is a 404 too, not a 405
@require_POST
def assign(request, reference):
    """Take the case ("take"), or assign it to someone ("assignee": a username, or "none")."""
    case = case_get_for(actor=request.user, reference=reference)
    form = AssignForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["take"]:
                case = case_take(actor=request.user, case=case, note=note)
            else:
                assignee = _assignee(form.cleaned_data["assignee"])
                case = case_assign(actor=request.user, case=case, assignee=assignee, note=note)
        except DomainError as error:
            if not add_domain_error(form, error):
                form.add_error(None, error.message)
        else:
            if case.assignee_id == request.user.pk:
                messages.success(request, _("You are handling this case."))
            elif case.assignee is not None:
                messages.success(
                    request,
                    _("Assigned to %(name)s.") % {"name": case.assignee.username},
                )
            else:
                messages.success(request, _("Nobody is handling this case now."))
            return redirect(f"{case.get_absolute_url()}#assignment")
    chosen = "" if form.data.get("take") else form.data.get("assignee", "")
    return render(
        request,
        "desk/assign.html",
        {"case": case, "assign_form": form, "chosen": chosen},
        status=400,
    )


def _current(result) -> None:
    """Each found case as it is now, with its assignee: one query for the whole page."""
    found = [item.case.pk for item in result.results if item.case is not None]
    cases = Case.objects.select_related("assignee").in_bulk(found)
    for item in result.results:
        if item.case is not None:
            item.case = cases.get(item.case.pk)


@staff_only
@require_POST
def bulk(request):
    """Apply one action to the selected cases; the page lists what happened to each."""
    form = BulkForm(request.POST)
    result = None
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = bulk_apply(
                actor=request.user,
                references=data["case"],
                action=data["action"],
                assignee=_assignee(data["assignee"]) if data["action"] == Action.ASSIGN else None,
                priority=data["priority"] or None,
                status=data["status"] or None,
                decision_result=(data["decision_result"] or None)
                if data["action"] == Action.STATUS
                else None,
                note=data["note"],
            )
        except DomainError as error:
            name = {"references": "case"}.get(error.field, error.field)
            form.add_error(name if name in form.fields else None, error.message)
        else:
            status = 200
            _current(result)
    return render(
        request,
        "desk/bulk_result.html",
        {
            "form": form,
            "result": result,
            "action_label": dict(Action.choices).get(form.cleaned_data.get("action"))
            if result
            else None,
            "back_url": _safe_next(request, request.POST.get("next")),
            # The selection as posted, for trying again (at most the bulk cap's worth).
            "selected": [
                ref
                for ref in request.POST.getlist("case")[:MAX_SELECTION]
                if ref and "\x00" not in ref
            ],
        },
        status=status,
    )
