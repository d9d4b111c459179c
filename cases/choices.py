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


class DecisionResult(models.TextChoices):
    """What the platform decided when a case entered "decided": the appeal window runs against
    a rejection or partial grant, a refund's arrival clock against a grant."""

    GRANTED = "granted", _("Granted")
    PARTLY_GRANTED = "partly_granted", _("Partly granted")
    REJECTED = "rejected", _("Rejected")


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


# What a contact files or receives (channels.ChannelEntry.filing_type). Here, with the case's
# vocabulary, because the clocks' rules (deadlines) trigger on it too, below the contacts.
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
    # A body's answers to a complaint or application, each with its own effect on the clocks:
    # acceptance starts the regulator's mediation, a refusal starts nothing, the end of
    # mediation meets it.
    ACCEPTED = "accepted", _("Accepted (受理)")
    REFUSED = "refused", _("Refused (不予受理)")
    MEDIATION_ENDED = "mediation_ended", _("Mediation ended (调解终结)")
    # The merchant received the goods the consumer sent back: its 7 days to refund start.
    RETURN_RECEIVED = "return_received", _("Merchant received the returned goods")
