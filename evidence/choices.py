from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    SCREENSHOT = "screenshot", _("Screenshot")
    SCREEN_RECORDING = "screen_recording", _("Screen recording")
    UNBOXING_VIDEO = "unboxing_video", _("Unboxing video")
    PAYMENT_RECEIPT = "payment_receipt", _("Payment receipt")
    TRANSACTION_RECORD = "transaction_record", _("Transaction record")
    CHAT_LOG = "chat_log", _("Chat log")
    LOGISTICS_RECORD = "logistics_record", _("Logistics record")
    INVOICE = "invoice", _("Invoice")
    PLATFORM_NOTICE = "platform_notice", _("Platform notice")
    LISTING_SNAPSHOT = "listing_snapshot", _("Listing snapshot")
    TEST_REPORT = "test_report", _("Test report")
    BRAND_AUTHORISATION = "brand_authorisation", _("Brand authorisation")
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    ID_DOCUMENT = "id_document", _("ID document")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")
    BANK_ACCOUNT_PROOF = "bank_account_proof", _("Bank account proof")
    RECTIFICATION_PROOF = "rectification_proof", _("Rectification proof")
    ORIGINALITY_PROOF = "originality_proof", _("Originality proof")
    NOTARISED_CERTIFICATE = "notarised_certificate", _("Notarised certificate")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")
