"""Admin for the directory of external bodies (edited by staff) and the contact log (read-only).

Bodies ship as data (migration 0002) and staff keep them current here: texts in both languages,
the deadline rules a filing starts and the filings only a consumer may make. Contacts are part of
a case's record: they are logged and corrected through `channels.services` (the case page and
the API), which write the timeline event, so here they can only be read.
"""

import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cases.choices import FilingType
from channels.choices import BodyKind
from channels.models import ChannelEntry, ExternalBody


def deadline_rule_keys() -> list[str]:
    """The keys a body may name: the deadline rules as they are in the database, so a rule
    staff add is usable at once and a typo (which would start no clock) is refused."""
    from deadlines.models import DeadlineRule

    return list(DeadlineRule.objects.order_by("key").values_list("key", flat=True))


def _with_values(message, values):
    """`message` with its %(values)s filled in when shown, in the language of the request."""
    return lazy(lambda: str(message) % {"values": ", ".join(values)}, str)()


class KeyListField(forms.CharField):
    """A JSON list of known keys, typed as "a, b, c" (or as a JSON list) and shown that way."""

    widget = forms.TextInput(attrs={"size": 80})

    def __init__(self, *, allowed, **kwargs):
        # A callable is read at validation time (the rules live in the database).
        self._allowed = allowed if callable(allowed) else tuple(allowed)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(self._allowed()) if callable(self._allowed) else self._allowed

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return []
        if text.startswith("["):
            try:
                items = json.loads(text)
            except ValueError:
                raise forms.ValidationError(
                    _("Enter the values separated by commas, or as a JSON list of strings."),
                    code="invalid",
                ) from None
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise forms.ValidationError(
                    _("Enter the values separated by commas, or as a JSON list of strings."),
                    code="invalid",
                )
        else:
            # Chinese keyboards type a full-width comma.
            items = text.replace("，", ",").replace("\n", ",").split(",")
        keys = []
        for item in (i.strip() for i in items):
            if item and item not in keys:
                keys.append(item)
        return keys

    def validate(self, value):
        super().validate(value)
        unknown = [key for key in value if key not in self.allowed]
        if unknown:
            raise forms.ValidationError(
                _("Unknown: %(unknown)s. Allowed: %(values)s."),
                code="unknown",
                params={"unknown": ", ".join(unknown), "values": ", ".join(self.allowed)},
            )


class ExternalBodyForm(forms.ModelForm):
    rule_keys = KeyListField(
        label=_("deadline rules"),
        allowed=deadline_rule_keys,
        help_text=_(
            "Keys of the deadline rules that filing here starts, separated by commas "
            "(see Deadline rules)."
        ),
    )
    consumer_only_filings = KeyListField(
        label=_("consumer-only filings"),
        allowed=FilingType.values,
        help_text=_with_values(
            _(
                "Types of filing only a consumer may make here (12315 takes a merchant's matter "
                "as a report, not a complaint), separated by commas. Allowed: %(values)s."
            ),
            FilingType.values,
        ),
    )

    class Meta:
        model = ExternalBody
        fields = (
            "slug",
            "kind",
            "platform",
            "name",
            "name_zh",
            "how_to_file",
            "how_to_file_zh",
            "reference_hint",
            "reference_hint_zh",
            "clock",
            "clock_zh",
            "rule_keys",
            "consumer_only_filings",
            "url",
            "phone",
            "source",
            "sort_order",
            "active",
        )

    def clean(self):
        cleaned = super().clean()
        kind, platform = cleaned.get("kind"), cleaned.get("platform")
        if kind == BodyKind.PLATFORM and not platform:
            self.add_error("platform", _("A platform's desk names its platform."))
        elif kind and kind != BodyKind.PLATFORM and platform:
            self.add_error("platform", _("Only a platform's desk names a platform."))
        return cleaned


@admin.register(ExternalBody)
class ExternalBodyAdmin(admin.ModelAdmin):
    form = ExternalBodyForm
    list_display = ("name_zh", "name", "slug", "kind", "platform", "phone", "sort_order", "active")
    list_display_links = ("name_zh", "name")
    list_editable = ("sort_order", "active")
    list_filter = ("kind", "platform", "active")
    search_fields = ("slug", "name", "name_zh", "phone", "url")
    ordering = ("sort_order", "slug")
    fieldsets = (
        (None, {"fields": ("slug", "kind", "platform", "name", "name_zh", "sort_order", "active")}),
        (
            _("How to file"),
            {
                "fields": (
                    "how_to_file",
                    "how_to_file_zh",
                    "reference_hint",
                    "reference_hint_zh",
                    "url",
                    "phone",
                )
            },
        ),
        (
            _("Clock and routes"),
            {
                "fields": (
                    "clock",
                    "clock_zh",
                    "rule_keys",
                    "consumer_only_filings",
                    "source",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # Guidance, the API and logged contacts refer to a body by its slug.
        return ("slug",) if obj else ()


@admin.register(ChannelEntry)
class ChannelEntryAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "case_link",
        "channel",
        "direction",
        "filing_type",
        "body",
        "counterpart",
        "external_reference",
        "follow_up_on",
        "is_corrected",
    )
    list_filter = ("channel", "filing_type", "direction", "body")
    search_fields = (
        "case__reference",
        "external_reference",
        "counterpart",
        "body__slug",
        "body__name",
        "body__name_zh",
    )
    list_select_related = ("case", "body")
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at", "-id")
    show_full_result_count = False
    fields = (
        "case_link",
        "channel",
        "direction",
        "occurred_at",
        "counterpart",
        "body",
        "filing_type",
        "external_reference",
        "summary",
        "follow_up_on",
        "evidence_list",
        "logged_by",
        "logged_at",
        "corrected_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "body", "logged_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("case"), ordering="case__reference")
    def case_link(self, entry):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:cases_case_change", args=[entry.case_id]),
            entry.case.reference,
        )

    @admin.display(description=_("corrected"), boolean=True, ordering="corrected_at")
    def is_corrected(self, entry):
        return entry.is_corrected

    @admin.display(description=_("evidence"))
    def evidence_list(self, entry):
        items = list(entry.evidence.order_by("uploaded_at", "id"))
        if not items:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} <small>({})</small></li>",
                ((item.original_name, item.sha256[:12]) for item in items),
            ),
        )
