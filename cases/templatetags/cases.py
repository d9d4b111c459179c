"""How cases read on the page: money, labels for stored values, details and timeline changes."""

from decimal import Decimal, InvalidOperation

from django import forms, template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.kinds import KINDS
from cases.models import Case

register = template.Library()

EMPTY = "—"


@register.filter
def count(value: int) -> str:
    """1100000 → "1,100,000": commas in both languages, as amounts are written (Django's
    zh-Hans number format has no separator at all)."""
    return f"{value:,}"


@register.filter
def money(value, currency=None) -> str:
    """1234.5 → "¥1,234.50" in CNY; other currencies by their code: "USD 1,234.50"."""
    if value in (None, ""):
        return EMPTY
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    currency = (currency or settings.DEFAULT_CURRENCY).upper()
    text = f"{amount:,.2f}"
    return f"¥{text}" if currency == "CNY" else f"{currency}\u00a0{text}"


def choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def _details_field(kind: str, name: str) -> forms.Field | None:
    spec = KINDS.get(kind)
    return spec.details_form.base_fields.get(name) if spec else None


def _details_value(kind: str, name: str, value) -> str:
    if value in (None, ""):
        return EMPTY
    field = _details_field(kind, name)
    if isinstance(field, forms.ChoiceField):
        return choice_label(field.choices, value)
    if isinstance(field, forms.DecimalField):
        # The details forms label their amounts in ¥.
        return money(value, "CNY")
    return str(value)


def _details_label(kind: str, name: str) -> str:
    field = _details_field(kind, name)
    return str(field.label) if field else name


def _details_order(kind: str, names) -> list[str]:
    """The kind's own fields first, the shared ones after (as the form shows them), then any
    stored name the form no longer knows."""
    known = list(KINDS[kind].details_form.base_fields) if kind in KINDS else []
    shared = ["harm_learned_on"]
    order = [n for n in known if n not in shared] + [n for n in known if n in shared]
    return [n for n in order if n in names] + sorted(n for n in names if n not in order)


@register.filter
def details_rows(case: Case) -> list[dict]:
    """The case's kind-specific details, labelled, in the form's order; only those given."""
    given = {name for name, value in case.details.items() if value not in (None, "")}
    return [
        {
            "label": _details_label(case.kind, name),
            "value": _details_value(case.kind, name, case.details[name]),
            "is_url": isinstance(_details_field(case.kind, name), forms.URLField),
        }
        for name in _details_order(case.kind, given)
    ]


CASE_FIELD_LABELS = {
    "platform_account": _("Account or store ID"),
    "party_role": _("Your role"),
    "platform_reference": _("Platform's ticket number"),
}


def _case_label(name: str) -> str:
    if name in CASE_FIELD_LABELS:
        return str(CASE_FIELD_LABELS[name])
    try:
        return capfirst(str(Case._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _case_value(name: str, value, currency: str) -> str:
    if value in (None, ""):
        return EMPTY
    try:
        field = Case._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
        return choice_label(field.choices, value)
    if name.startswith("amount_"):
        return money(value, currency)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return date_format(timezone.localtime(moment), "Y-m-d H:i")
    return str(value)


@register.filter
def event_changes(event, case: Case) -> list[dict]:
    """An event's `changes` as rows of label, old and new, ready to show; the details are
    unfolded into one row per detail that changed. Entries that are not an old/new pair
    (a clock's summary, a suggestion) are not field changes and are left out."""
    rows = []
    for name, change in (event.changes or {}).items():
        if not isinstance(change, dict) or not ({"old", "new"} & set(change)):
            continue
        old, new = change.get("old"), change.get("new")
        if name == "details" and isinstance(old, dict) and isinstance(new, dict):
            for key in _details_order(case.kind, {*old, *new}):
                if old.get(key) != new.get(key):
                    rows.append(
                        {
                            "label": _details_label(case.kind, key),
                            "old": _details_value(case.kind, key, old.get(key)),
                            "new": _details_value(case.kind, key, new.get(key)),
                            "long": False,
                        }
                    )
            continue
        rows.append(
            {
                "label": _case_label(name),
                "old": _case_value(name, old, case.currency),
                "new": _case_value(name, new, case.currency),
                "long": name == "description",
            }
        )
    return rows


@register.inclusion_tag("cases/_status_badge.html")
def status_badge(case_or_status, label=None):
    """A coloured badge for a case (or a bare status value with its label)."""
    if isinstance(case_or_status, Case):
        return {"status": case_or_status.status, "label": case_or_status.get_status_display()}
    from cases.choices import Status

    return {
        "status": case_or_status,
        "label": label or choice_label(Status.choices, case_or_status),
    }
