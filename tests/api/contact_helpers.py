"""Building contacts API requests, and contacts and bodies to ask about."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONTACT_FIELDS = {
    "id",
    "channel",
    "direction",
    "occurred_at",
    "counterpart",
    "body",
    "filing_type",
    "external_reference",
    "summary",
    "follow_up_on",
    "evidence",
    "logged_by",
    "logged_at",
    "corrected_at",
}


def list_url(case, *, reference=None) -> str:
    return reverse("channels-api:contact-list", kwargs={"reference": reference or case.reference})


def contact_url(entry, *, reference=None) -> str:
    return reverse(
        "channels-api:contact-detail",
        kwargs={"reference": reference or entry.case.reference, "contact_id": entry.pk},
    )


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def payload(**overrides) -> dict:
    """A valid contact as a client sends it: a call to Douyin shop's desk two hours ago."""
    body = {
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": hours_ago(2).astimezone(SHANGHAI).isoformat(),
        "counterpart": "抖店客服",
        "filing_type": "inquiry",
        "external_reference": "GD2026102200117",
        "summary": "客服称保证金退还已转财务审核，3 个工作日内回复。",
    }
    body.update(overrides)
    return {name: value for name, value in body.items() if value is not ...}


def make_body(slug: str, **fields):
    """An external body with known values, whether or not the shipped directory has it."""
    from channels.models import ExternalBody

    defaults = {
        "kind": "regulator",
        "name": slug,
        "name_zh": slug,
        "consumer_only_filings": [],
        "active": True,
    }
    defaults.update(fields)
    return ExternalBody.objects.update_or_create(slug=slug, defaults=defaults)[0]


def log(actor, case, **overrides):
    """A contact logged through the service, for tests about what follows."""
    from channels.services import contact_log

    fields = payload(**overrides)
    if isinstance(fields["occurred_at"], str):
        fields["occurred_at"] = datetime.datetime.fromisoformat(fields["occurred_at"])
    return contact_log(actor=actor, case=case, **fields).entry
