"""Web forms for cases. They parse and validate input; services do the writing."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseKind, DecisionResult, Outcome, PartyRole, Platform, Priority, Status
from cases.search import SearchField
from cases.services import NOTE_MAX_LENGTH
from config.errors import DomainError


def _with_blank(choices, label):
    return [("", label), *choices]


def _amount(label, help_text=""):
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )


def _note_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def refuse_unknown_params(form: forms.Form, other: frozenset = frozenset()) -> None:
    """A form error for each query parameter the page does not know (a misspelt filter),
    as the API answers 400: a silent 200 would show an unfiltered list as if filtered."""
    for name in sorted(set(form.data) - set(form.fields) - other):
        form.add_error(None, _("Unknown filter “%(name)s”.") % {"name": name[:50]})


class CaseFilterForm(forms.Form):
    """The list's filters (GET), and its search. An unknown value is a form error, never a
    500; so is a search longer than the search takes (rather than cut short unseen)."""

    q = SearchField()
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_with_blank(Status.choices, _("Any status"))
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_with_blank(CaseKind.choices, _("Any kind"))
    )
    platform = forms.ChoiceField(
        label=_("Platform"),
        required=False,
        choices=_with_blank(Platform.choices, _("Any platform")),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=_with_blank(Priority.choices, _("Any priority")),
    )

    # Query parameters the list takes besides its filters.
    OTHER_PARAMS = frozenset({"page", "export"})

    def clean(self):
        cleaned = super().clean()
        refuse_unknown_params(self, self.OTHER_PARAMS)
        return cleaned

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters; an invalid field is left out (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value and name != "q"}

    def search(self) -> str:
        """The search text, or "" when there is none or it is invalid (shown as an error)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get("q") or ""


def add_domain_error(form: forms.Form, error: DomainError, *, strip_prefix: str = "") -> bool:
    """Show a service's `DomainError` on the fields of `form` it names (`errors` per field, or
    `field`). Returns True when something landed; the caller shows the rest as a form error.

    `strip_prefix` maps the service's names to the form's: "details." for the details form."""
    errors = error.extra.get("errors") or {error.field: [error.message]}
    landed = False
    for name, messages in errors.items():
        if not name or not name.startswith(strip_prefix):
            continue
        name = name.removeprefix(strip_prefix)
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            landed = True
    return landed


class CaseForm(forms.Form):
    """The fields every kind of case shares (the kind's own details are a second form)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short line you will recognise, e.g. “Douyin shop deposit not refunded”."),
    )
    platform = forms.ChoiceField(
        label=_("Platform"), choices=_with_blank(Platform.choices, _("Choose a platform"))
    )
    platform_account = forms.CharField(
        label=_("Your account or store ID on the platform"), max_length=200, required=False
    )
    party_role = forms.ChoiceField(
        label=_("Your role in this dispute"),
        choices=PartyRole.choices,
        help_text=_("Decides which outside bodies you can turn to."),
    )
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Dates, amounts, what the platform said. You can add notes later."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    amount_claimed = _amount(_("Amount claimed (¥)"))
    platform_reference = forms.CharField(
        label=_("Platform's ticket or appeal number"), max_length=100, required=False
    )

    def clean_description(self):
        # Browsers send CRLF; store LF, so saving an untouched text is not an edit.
        return self.cleaned_data["description"].replace("\r\n", "\n")


class CaseEditForm(CaseForm):
    """Editing adds what only makes sense later: the amount recovered and the currency."""

    # The currency is editable here, so the amounts' labels do not say ¥.
    amount_claimed = _amount(_("Amount claimed"))
    amount_recovered = _amount(_("Amount recovered"))
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("Three-letter code: CNY unless the platform pays in another currency."),
    )

    field_order = [
        "title",
        "platform",
        "platform_account",
        "party_role",
        "description",
        "priority",
        "amount_claimed",
        "amount_recovered",
        "currency",
        "platform_reference",
    ]

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if not currency.isascii() or not currency.isalpha():
            raise forms.ValidationError(_("Enter a three-letter currency code such as CNY."))
        return currency


class TransitionForm(forms.Form):
    """Move a case to its next status; the outcome fields are only for resolving."""

    # Sent by the button pressed: one button per allowed next status.
    to = forms.ChoiceField(label=_("Next step"), choices=Status.choices)
    # The status the page showed, to explain a refusal when someone moved the case meanwhile.
    seen_status = forms.ChoiceField(choices=Status.choices, required=False)
    note = _note_field(_("Note (optional)"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=_with_blank(Outcome.choices, _("How did it end?")),
    )
    amount_recovered = _amount(_("Amount recovered"))
    decision_result = forms.ChoiceField(
        label=_("What did the platform decide?"),
        required=False,
        choices=_with_blank(DecisionResult.choices, _("Choose…")),
    )
    decision_notified_at = forms.DateTimeField(
        label=_("When were you notified?"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "The appeal window counts from this moment. Leave it empty for the time the "
            "decision was logged as a contact, or now."
        ),
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"to": data["to"], "note": data["note"]}
        if data["to"] == Status.RESOLVED:
            kwargs["outcome"] = data["outcome"] or None
            kwargs["amount_recovered"] = data["amount_recovered"]
        if data["to"] == Status.DECIDED:
            kwargs["decision_result"] = data["decision_result"] or None
            kwargs["decision_notified_at"] = data["decision_notified_at"]
        return kwargs


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Add a note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A call, a reply from the platform, anything worth remembering."),
    )
