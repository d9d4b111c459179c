from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    DEPOSIT_REFUND = "deposit_refund", _("Deposit refund")
    STORE_REMOVAL = "store_removal", _("Store removal")
    ACCOUNT_BAN = "account_ban", _("Account ban")
    CONTENT_TAKEDOWN = "content_takedown", _("Content takedown")
    PURCHASE_COMPLAINT = "purchase_complaint", _("Purchase complaint")


class Platform(models.TextChoices):
    DOUYIN = "douyin", _("Douyin")
    DOUYIN_SHOP = "douyin_shop", _("Douyin shop")
    KUAISHOU = "kuaishou", _("Kuaishou")
    TAOBAO = "taobao", _("Taobao")
    TMALL = "tmall", _("Tmall")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    JD = "jd", _("JD.com")
    XIAOHONGSHU = "xiaohongshu", _("Xiaohongshu")
    WECHAT_SHOP = "wechat_shop", _("WeChat shop")
    TIKTOK_SHOP = "tiktok_shop", _("TikTok Shop")
    AMAZON = "amazon", _("Amazon")
    OTHER = "other", _("Other platform")


class PartyRole(models.TextChoices):
    MERCHANT = "merchant", _("Merchant")
    CREATOR = "creator", _("Creator")
    CONSUMER = "consumer", _("Consumer")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    DECIDED = "decided", _("Decided")
    APPEALED = "appealed", _("Appealed")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Priority(models.TextChoices):
    # Alphabetical order puts "urgent" after "normal": ORDER BY priority DESC is urgent first.
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Outcome(models.TextChoices):
    WON = "won", _("Won")
    PARTLY_WON = "partly_won", _("Partly won")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EventKind(models.TextChoices):
    CREATED = "created", _("Case created")
    STATUS_CHANGED = "status_changed", _("Status changed")
    FIELDS_CHANGED = "fields_changed", _("Details edited")
    NOTE = "note", _("Note")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_EDITED = "evidence_edited", _("Evidence edited")
    EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
    CONTACT_LOGGED = "contact_logged", _("Contact logged")
    CONTACT_CORRECTED = "contact_corrected", _("Contact corrected")
    DEADLINE_STARTED = "deadline_started", _("Deadline started")
    DEADLINE_PAUSED = "deadline_paused", _("Deadline paused")
    DEADLINE_RESUMED = "deadline_resumed", _("Deadline resumed")
    DEADLINE_WARNED = "deadline_warned", _("Deadline due soon")
    DEADLINE_MET = "deadline_met", _("Deadline met")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline breached")
    DEADLINE_CANCELLED = "deadline_cancelled", _("Deadline cancelled")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("Deadline recalculated")
    ASSIGNED = "assigned", _("Assigned")
    MESSAGE = "message", _("Message")
    # Staff only: never shown to the seller (page, API, bundle, e-mail, export).
    INTERNAL_NOTE = "internal_note", _("Internal note")


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


class BreachAction(models.TextChoices):
    NOTIFY = "notify", _("Notify owner and assignee")
    RAISE_PRIORITY = "raise_priority", _("Raise priority to urgent")
    SUGGEST = "suggest", _("Suggest the next step")
    CLOSE_WINDOW = "close_window", _("Close the window (the right lapses)")


class NotificationKind(models.TextChoices):
    DEADLINE_WARNING = "deadline_warning", _("Deadline due soon")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline breached")
    STATUS_CHANGED = "status_changed", _("Status changed")
    CONTACT_LOGGED = "contact_logged", _("New contact")
    EVIDENCE_ADDED = "evidence_added", _("New evidence")
    CASE_CHANGED = "case_changed", _("Case changed")
    ASSIGNED = "assigned", _("Case assigned to you")
    MESSAGE = "message", _("New message")
