"""Helpers for the contact pages' tests: an HTTPS client in English, URLs, a form payload."""

import datetime
from zoneinfo import ZoneInfo

from django.test import Client
from django.urls import reverse
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on), in
    English unless a test asks otherwise."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


def new_url(case) -> str:
    return reverse("contacts:new", kwargs={"reference": case.reference})


def list_url(case) -> str:
    return reverse("contacts:list", kwargs={"reference": case.reference})


def edit_url(entry, case=None) -> str:
    reference = (case or entry.case).reference
    return reverse("contacts:edit", kwargs={"reference": reference, "contact_id": entry.pk})


def local_minutes(moment: datetime.datetime) -> str:
    """What a datetime-local input sends for this moment, in Shanghai (the personas' zone)."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def form_data(**overrides) -> dict:
    """A phone call to Douyin shop's desk two hours ago, as the form posts it. A value of None
    leaves the field out."""
    data = {
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": local_minutes(hours_ago(2)),
        "body": "douyin_shop",
        "counterpart": "抖音客服",
        "filing_type": "inquiry",
        "external_reference": "GD2026102200117",
        "summary": "客服称保证金退还已转财务审核，3 个工作日内回复。",
        "follow_up_on": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def contact_fields(**overrides) -> dict:
    """The same call as `contact_log` takes it."""
    fields = {
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": hours_ago(2),
        "body": "douyin_shop",
        "counterpart": "抖音客服",
        "filing_type": "inquiry",
        "external_reference": "GD2026102200117",
        "summary": "客服称保证金退还已转财务审核，3 个工作日内回复。",
    }
    fields.update(overrides)
    return fields
