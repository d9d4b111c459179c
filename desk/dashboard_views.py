"""The staff dashboard page: parse the filters, read the (cached) numbers, render the charts."""

from datetime import date

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseKind, Platform
from cases.forms import refuse_unknown_params
from desk.dashboard import Filters, dashboard_charts, dashboard_data
from desk.views import staff_only

# Dates outside these years are typing mistakes, and date arithmetic near year 9999 overflows.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). An unknown value is a form error, never a 500; the
    fields that are valid still apply."""

    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=[("", _("Any platform")), *Platform.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *CaseKind.choices]
    )
    opened_from = forms.DateField(
        label=_("Opened from"), required=False, input_formats=["%Y-%m-%d"], widget=DateInput()
    )
    opened_to = forms.DateField(
        label=_("Opened until"), required=False, input_formats=["%Y-%m-%d"], widget=DateInput()
    )
    amounts_by = forms.ChoiceField(
        label=_("Amounts by"),
        required=False,
        choices=[("kind", _("Kind")), ("platform", _("Platform"))],
    )

    def _clean_date(self, name):
        value = self.cleaned_data.get(name)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                params={"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
            )
        return value

    def clean_opened_from(self):
        return self._clean_date("opened_from")

    def clean_opened_to(self):
        return self._clean_date("opened_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", _("The end of the range is before its start."))
        refuse_unknown_params(self)
        return data

    def filters(self) -> Filters:
        """The valid filters; an invalid field is left out (and shown as an error)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = self.cleaned_data
        return Filters(
            platform=data.get("platform") or "",
            kind=data.get("kind") or "",
            opened_from=data.get("opened_from"),
            # A range the wrong way round drops its end (the error says so).
            opened_to=data.get("opened_to"),
        )

    def amounts_grouping(self) -> str:
        return (self.cleaned_data.get("amounts_by") if self.is_bound else None) or "kind"


@staff_only
def dashboard(request):
    """Charts of every case (or a platform's, a kind's, a period's) for support staff."""
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    page = dashboard_charts(
        dashboard_data(filters), filters=filters, amounts_by=form.amounts_grouping()
    )
    return render(
        request,
        "desk/dashboard.html",
        {
            **page,
            "form": form,
            "filtered": filters != Filters(),
            "queue_url": reverse("desk:queue"),
        },
        status=400 if form.errors else 200,
    )
