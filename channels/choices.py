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


class BodyKind(models.TextChoices):
    PLATFORM = "platform", _("Platform customer service")
    REGULATOR = "regulator", _("Market regulator")
    HOTLINE = "hotline", _("Government hotline")
    CONSUMER_ASSOCIATION = "consumer_association", _("Consumer association")
    CYBERSPACE = "cyberspace", _("Cyberspace administration")
    ARBITRATION = "arbitration", _("Arbitration")
    COURT = "court", _("Court")
    LEGAL_AID = "legal_aid", _("Legal aid")
