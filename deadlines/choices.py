"""The clocks' vocabulary: states, units, triggers, who is waited on, breach actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


class DeadlineUnit(models.TextChoices):
    HOURS = "hours", _("Hours")
    WORKING_DAYS = "working_days", _("Working days")
    NATURAL_DAYS = "natural_days", _("Natural days")
    MONTHS = "months", _("Months")
    YEARS = "years", _("Years")
    UNTIL_DATE = "until_date", _("Until a given date")


class Trigger(models.TextChoices):
    STATUS_ENTERED = "status_entered", _("Case enters a status")
    CONTACT_LOGGED = "contact_logged", _("Contact logged")
    DETAIL_DATE = "detail_date", _("Date in the case details")


class WaitingOn(models.TextChoices):
    PLATFORM = "platform", _("The platform")
    SELLER = "seller", _("You")
    BODY = "body", _("The external body")
    # The merchant a consumer bought from (消费者权益保护法 第二十五条): not the platform, so
    # the platform asking for information does not pause its clock.
    MERCHANT = "merchant", _("The merchant")


class BreachAction(models.TextChoices):
    NOTIFY = "notify", _("Notify owner and assignee")
    RAISE_PRIORITY = "raise_priority", _("Raise priority to urgent")
    SUGGEST = "suggest", _("Suggest the next step")
    CLOSE_WINDOW = "close_window", _("Close the window (the right lapses)")
