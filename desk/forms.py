"""Forms of the staff desk: the queue's filters (GET) and saving a view."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.choices import CaseKind, PartyRole, Platform, Priority, Status
from cases.search import SearchField
from desk.selectors import QueueFilters

DUE_WITHIN_MAX = 365
# Deep pages by OFFSET get slower; nobody triages past page 200 (search or filter instead).
MAX_PAGE = 200
QUEUE_PAGE_SIZE = 50
# Date filters outside these are a mistake; at the ends of the calendar the day's local
# midnight (or the day after) cannot even be computed (OverflowError, a 500).
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(9000, 12, 31)


def _blank(choices, label):
    return [("", label), *choices]


class QueueFilterForm(forms.Form):
    """The queue's filters. A bad value is a form error shown on the page (never a 500); the
    valid filters still apply."""

    q = SearchField(
        help_text=_("Reference, title, description, platform or contact reference, seller.")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (filed, not closed)")), ("all", _("Any status")), *Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(CaseKind.choices, _("Any kind"))
    )
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=_blank(Platform.choices, _("Any platform"))
    )
    party_role = forms.ChoiceField(
        label=_("Seller's role"), required=False, choices=_blank(PartyRole.choices, _("Any role"))
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=_blank(Priority.choices, _("Any priority"))
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    awaiting_reply = forms.BooleanField(label=_("Awaiting our reply"), required=False)
    due_within = forms.IntegerField(
        label=_("Due within (days)"), required=False, min_value=0, max_value=DUE_WITHIN_MAX
    )
    created_from = forms.DateField(label=_("Opened from"), required=False)
    created_to = forms.DateField(label=_("Opened until"), required=False)
    updated_from = forms.DateField(label=_("Updated from"), required=False)
    updated_to = forms.DateField(label=_("Updated until"), required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data=None, *, staff: list[User], **kwargs):
        super().__init__(data, **kwargs)
        self.staff = staff
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *[(member.username, member.username) for member in staff],
        ]
        for name in ("created_from", "created_to", "updated_from", "updated_to"):
            self.fields[name].widget = forms.DateInput(attrs={"type": "date"})
            self.fields[name].validators += [
                MinValueValidator(DATE_MIN),
                MaxValueValidator(DATE_MAX),
            ]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "aria-keyshortcuts": "/"}
        )
        self.fields["due_within"].widget.attrs.update({"inputmode": "numeric"})
        self.unknown = sorted(set(data or {}) - set(self.fields))

    def clean(self):
        cleaned = super().clean()
        for start, end in (("created_from", "created_to"), ("updated_from", "updated_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(end, _("The end date is before the start date."))
        return cleaned

    def filters(self) -> QueueFilters:
        """The valid filters; a field with an error is left out (and shown as an error)."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name in self.fields}
        data.pop("page", None)
        # A seller waiting for our answer is waiting whatever the case's status (a message on
        # a draft or a closed case too): with "awaiting our reply", no status means any.
        data["status"] = data.get("status") or ("all" if data.get("awaiting_reply") else "active")
        for name in ("q", "kind", "platform", "party_role", "priority", "assignee"):
            data[name] = data.get(name) or ""
        data["overdue"] = bool(data.get("overdue"))
        data["awaiting_reply"] = bool(data.get("awaiting_reply"))
        return QueueFilters(**{k: v for k, v in data.items() if k in QueueFilters.__annotations__})

    @property
    def page_number(self) -> int:
        if not self.is_bound or (not self.is_valid() and "page" in self.errors):
            return 1
        return self.cleaned_data.get("page") or 1

    @property
    def active(self) -> bool:
        """Whether any filter (beyond the default) is set."""
        return bool(self.is_bound and any(self.data.get(n) for n in self.fields if n != "page"))


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=80)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
