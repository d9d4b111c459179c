"""What platforms and regulators usually ask for, per kind of case (issue 3's vocabulary)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cases.choices import CaseKind
from evidence.choices import EvidenceKind as E


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    # Any current evidence of one of these kinds ticks the item.
    kinds: frozenset[str]
    hint: str = ""


def _item(label, *kinds, hint=""):
    return ChecklistItem(label=label, kinds=frozenset(kinds), hint=hint)


CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    CaseKind.DEPOSIT_REFUND: (
        _item(_("Deposit payment vouchers"), E.PAYMENT_RECEIPT, E.TRANSACTION_RECORD),
        _item(
            _("Screenshots of the exit application"),
            E.SCREENSHOT,
            E.SCREEN_RECORDING,
            hint=_("The application page with its date and status."),
        ),
        _item(_("Platform notices about the deposit"), E.PLATFORM_NOTICE),
        _item(_("Business licence"), E.BUSINESS_LICENCE),
        _item(_("Proof of the bank account for the refund"), E.BANK_ACCOUNT_PROOF),
    ),
    CaseKind.STORE_REMOVAL: (
        _item(_("The violation notice"), E.PLATFORM_NOTICE),
        _item(_("Purchase invoices for the goods"), E.INVOICE),
        _item(_("Brand authorisation"), E.BRAND_AUTHORISATION),
        _item(_("Proof of rectification"), E.RECTIFICATION_PROOF),
    ),
    CaseKind.ACCOUNT_BAN: (
        _item(_("The ban notice"), E.PLATFORM_NOTICE, E.SCREENSHOT),
        _item(
            _("A screen recording of the account"),
            E.SCREEN_RECORDING,
            hint=_("Show the account page and the ban message, with the phone's clock visible."),
        ),
        _item(_("ID document"), E.ID_DOCUMENT),
    ),
    CaseKind.CONTENT_TAKEDOWN: (
        _item(_("The takedown notice"), E.PLATFORM_NOTICE, E.SCREENSHOT),
        _item(
            _("Proof the content is original"),
            E.ORIGINALITY_PROOF,
            E.NOTARISED_CERTIFICATE,
            hint=_("Raw footage, project files or a copyright registration."),
        ),
    ),
    CaseKind.PURCHASE_COMPLAINT: (
        _item(_("Order or payment receipt"), E.PAYMENT_RECEIPT, E.TRANSACTION_RECORD),
        _item(_("Snapshot of the product listing"), E.LISTING_SNAPSHOT),
        _item(_("Chat log with the merchant"), E.CHAT_LOG),
        _item(_("Unboxing video"), E.UNBOXING_VIDEO),
        _item(_("Logistics record"), E.LOGISTICS_RECORD),
    ),
}
