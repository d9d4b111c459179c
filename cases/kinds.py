"""Kind-specific case details: one form per kind, used by the web form and the API alike.

Adding a kind means adding it to `CaseKind` and one entry in `KINDS` with its details form.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseKind, PartyRole

ISO_DATE = ["%Y-%m-%d"]
EARLIEST_DATE = datetime.date(2000, 1, 1)


def _date(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=ISO_DATE,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _money(label):
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )


def _text(label, *, max_length=200, help_text=""):
    return forms.CharField(label=label, max_length=max_length, help_text=help_text)


class DetailsForm(forms.Form):
    """Fields every kind shares. Dates are ISO `YYYY-MM-DD`; money is a decimal string."""

    harm_learned_on = _date(
        _("Date you learned of the harm"),
        required=False,
        help_text=_("Starts the three-year civil limitation period."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "details")
        super().__init__(*args, **kwargs)
        # The shared field reads best last, after what is specific to the kind.
        self.order_fields([name for name in self.fields if name != "harm_learned_on"])

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name, value in list(cleaned.items()):
            if isinstance(value, datetime.date):
                if value > today + datetime.timedelta(days=1):
                    self.add_error(name, _("This date is in the future."))
                elif value < EARLIEST_DATE:
                    self.add_error(name, _("Enter a date after 2000-01-01."))
        return cleaned

    def to_json(self) -> dict:
        """The cleaned details as stored in `Case.details`: ISO dates, decimal strings."""
        data = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            data[name] = value
        return data


class DepositRefundDetails(DetailsForm):
    store_id = _text(_("Store ID"), max_length=100)
    deposit_amount = _money(_("Deposit amount (¥)"))
    store_closed_on = _date(
        _("Store closed on"),
        required=False,
        help_text=_("Starts the clock for the deposit to come back."),
    )
    exit_applied_on = _date(
        _("Exit applied for on"),
        required=False,
        help_text=_("Starts the platform's exit review clock."),
    )


class StoreRemovalDetails(DetailsForm):
    store_id = _text(_("Store ID"), max_length=100)
    violation_cited = _text(_("Violation cited by the platform"), max_length=500)
    notice_received_on = _date(
        _("Notice received on"), help_text=_("Starts the window to appeal the removal.")
    )


BAN_TYPES = [
    ("permanent", _("Permanent ban")),
    ("temporary", _("Temporary ban")),
    ("feature_limited", _("Features limited")),
]
TAKEDOWN_REASONS = [
    ("policy", _("Community policy")),
    ("copyright", _("Copyright claim")),
    ("other", _("Other reason")),
]
PURCHASE_ISSUES = [
    ("quality", _("Quality problem")),
    ("not_as_described", _("Not as described")),
    ("false_advertising", _("False advertising")),
    ("after_sales", _("After-sales service")),
    ("fraud", _("Fraud")),
    ("other", _("Other problem")),
]


class AccountBanDetails(DetailsForm):
    account_id = _text(_("Account ID"), max_length=100)
    ban_type = forms.ChoiceField(label=_("Type of ban"), choices=BAN_TYPES)
    banned_on = _date(_("Banned on"), help_text=_("Starts the window to appeal the ban."))


class ContentTakedownDetails(DetailsForm):
    content_url = forms.URLField(
        label=_("Link to the content"), max_length=500, assume_scheme="https"
    )
    takedown_reason = forms.ChoiceField(label=_("Reason given"), choices=TAKEDOWN_REASONS)
    taken_down_on = _date(
        _("Taken down on"), help_text=_("Starts the window for your counter-notice.")
    )


class PurchaseComplaintDetails(DetailsForm):
    order_number = _text(_("Order number"), max_length=100)
    amount_paid = _money(_("Amount paid (¥)"))
    merchant_name = _text(_("Merchant name"), max_length=200)
    purchased_on = _date(_("Purchased on"))
    goods_received_on = _date(
        _("Goods received on"),
        required=False,
        help_text=_("Starts the seven-day no-reason return window."),
    )
    return_received_on = _date(
        _("Merchant received your return on"),
        required=False,
        help_text=_("Starts the merchant's seven days to refund you."),
    )
    issue = forms.ChoiceField(label=_("What went wrong"), choices=PURCHASE_ISSUES)

    def clean(self):
        cleaned = super().clean()
        bought, received = cleaned.get("purchased_on"), cleaned.get("goods_received_on")
        if bought and received and received < bought:
            self.add_error("goods_received_on", _("Goods cannot arrive before they were bought."))
        returned = cleaned.get("return_received_on")
        if returned and (received or bought) and returned < (received or bought):
            self.add_error(
                "return_received_on",
                _("The merchant cannot receive the return before you received the goods."),
            )
        return cleaned


@dataclass(frozen=True)
class KindSpec:
    details_form: type[DetailsForm]
    default_party_role: str
    summary: str


KINDS: dict[str, KindSpec] = {
    CaseKind.DEPOSIT_REFUND: KindSpec(
        DepositRefundDetails,
        PartyRole.MERCHANT,
        _("The platform holds your deposit (保证金) after you closed or left the store."),
    ),
    CaseKind.STORE_REMOVAL: KindSpec(
        StoreRemovalDetails,
        PartyRole.MERCHANT,
        _("Your store was removed or cleared out (清退) for an alleged violation."),
    ),
    CaseKind.ACCOUNT_BAN: KindSpec(
        AccountBanDetails,
        PartyRole.CREATOR,
        _("Your account was banned (封号) or its features were limited."),
    ),
    CaseKind.CONTENT_TAKEDOWN: KindSpec(
        ContentTakedownDetails,
        PartyRole.CREATOR,
        _("A video or post of yours was taken down."),
    ),
    CaseKind.PURCHASE_COMPLAINT: KindSpec(
        PurchaseComplaintDetails,
        PartyRole.CONSUMER,
        _("Something you bought went wrong and the merchant will not put it right."),
    ),
}


def details_form_for(kind: str, *args, **kwargs) -> DetailsForm:
    return KINDS[kind].details_form(*args, **kwargs)


def details_field_labels(kind: str) -> dict[str, str]:
    return {name: field.label for name, field in KINDS[kind].details_form.base_fields.items()}
