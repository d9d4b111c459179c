from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    WEB_TICKET = "web_ticket", _("Web ticket")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social media")
    REGULATOR = "regulator", _("Regulator")
    ARBITRATION = "arbitration", _("Arbitration")
    COURT = "court", _("Court")
    LEGAL_AID = "legal_aid", _("Legal aid")
    OTHER = "other", _("Other channel")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("We contacted them")
    INBOUND = "inbound", _("They contacted us")


class FilingType(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    REPORT = "report", _("Report (举报)")
    APPEAL = "appeal", _("Appeal")
    COUNTER_NOTICE = "counter_notice", _("Counter-notice")
    EXIT_APPLICATION = "exit_application", _("Exit application")
    APPLICATION = "application", _("Application")
    LAWSUIT = "lawsuit", _("Lawsuit")
    FOLLOW_UP = "follow_up", _("Follow-up")
    RESPONSE_RECEIVED = "response_received", _("Response received")
    DECISION_RECEIVED = "decision_received", _("Decision received")


class BodyKind(models.TextChoices):
    PLATFORM = "platform", _("Platform customer service")
    REGULATOR = "regulator", _("Market regulator")
    HOTLINE = "hotline", _("Government hotline")
    CONSUMER_ASSOCIATION = "consumer_association", _("Consumer association")
    CYBERSPACE = "cyberspace", _("Cyberspace administration")
    ARBITRATION = "arbitration", _("Arbitration")
    COURT = "court", _("Court")
    LEGAL_AID = "legal_aid", _("Legal aid")
