"""Admin for the clocks: the rules (editable; running clocks keep their snapshot), the calendar
overrides (saving one recomputes the clocks over that day) and the clocks (read-only)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases.admin import ReadOnlyAdmin
from cases.choices import CaseKind, Platform, Status
from config.errors import DomainError
from deadlines.calendar_services import (
    calendar_override_delete,
    calendar_override_save,
    published_year_delete,
    published_year_save,
    year_recompute,
)
from deadlines.choices import BreachAction
from deadlines.models import CalendarOverride, Deadline, DeadlineRule, PublishedYear


def _check_list(value, allowed, label):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise forms.ValidationError(_('Enter a JSON list of names, e.g. ["a", "b"].'))
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise forms.ValidationError(
            _("Unknown %(label)s: %(unknown)s.") % {"label": label, "unknown": ", ".join(unknown)}
        )
    return value


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = [
            "key",
            "name",
            "name_zh",
            "trigger",
            "trigger_statuses",
            "trigger_filing_type",
            "trigger_bodies",
            "trigger_detail",
            "case_kinds",
            "platforms",
            "priority",
            "decision_results",
            "duration",
            "unit",
            "roll_over",
            "roll_over_reason",
            "roll_over_reason_zh",
            "warn_before",
            "on_breach",
            "suggestion",
            "suggestion_zh",
            "waiting_on",
            "met_by_statuses",
            "met_by_filing_types",
            "source",
            "secondary",
            "active",
        ]

    def clean_trigger_statuses(self):
        return _check_list(self.cleaned_data["trigger_statuses"], Status.values, _("status"))

    def clean_case_kinds(self):
        return _check_list(self.cleaned_data["case_kinds"], CaseKind.values, _("case kind"))

    def clean_platforms(self):
        return _check_list(self.cleaned_data["platforms"], Platform.values, _("platform"))

    def clean_on_breach(self):
        return _check_list(self.cleaned_data["on_breach"], BreachAction.values, _("action"))

    def clean_warn_before(self):
        value = self.cleaned_data["warn_before"]
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
        ):
            raise forms.ValidationError(_("Enter a JSON list of whole numbers, e.g. [3, 1]."))
        return sorted(value, reverse=True)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Editing a rule changes clocks started from now on; running clocks keep their snapshot."""

    form = DeadlineRuleForm
    list_display = ("key", "name_zh", "trigger", "duration", "unit", "secondary", "active")
    list_filter = ("trigger", "unit", "secondary", "active")
    list_editable = ("active",)
    search_fields = ("key", "name", "name_zh", "source")
    readonly_fields = ("key",)

    def get_readonly_fields(self, request, obj=None):
        # A new rule needs its key; a shipped one keeps it (clocks and data refer to it).
        return ("key",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Saving the rule is all: no running clock is touched (each keeps its snapshot).
        super().save_model(request, obj, form, change)
        # Not for the changelist's on/off switch: it changes which clocks start, not how.
        if change and set(form.changed_data) - {"active"}:
            self.message_user(
                request,
                _(
                    "Clocks already running keep the rule as it was when they started; "
                    "clocks started from now on use the new values."
                ),
            )


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "region", "is_working_day", "source", "note"]

    def clean_region(self):
        # Before the one-per-day check: the calendar reads upper-case codes ("CN").
        return self.cleaned_data["region"].strip().upper()


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Saving or deleting an override recomputes the running clocks over that day, in the
    background (deadlines.calendar_services)."""

    form = CalendarOverrideForm
    list_display = ("date", "region", "is_working_day", "source")
    list_filter = ("region", "is_working_day")
    search_fields = ("source", "note")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        try:
            calendar_override_save(actor=request.user, override=obj)
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)

    def delete_model(self, request, obj):
        calendar_override_delete(actor=request.user, overrides=[obj])

    def delete_queryset(self, request, queryset):
        calendar_override_delete(actor=request.user, overrides=queryset)


class PublishedYearForm(forms.ModelForm):
    class Meta:
        model = PublishedYear
        fields = ["region", "year", "source", "published_on", "note"]

    def clean_region(self):
        return self.cleaned_data["region"].strip().upper()


@admin.register(PublishedYear)
class PublishedYearAdmin(admin.ModelAdmin):
    """Mark a year final once its holidays and make-up days are entered as calendar overrides:
    its dates stop being provisional and the running clocks over it are recomputed once
    (deadlines.calendar_services). A year the bundled data covers needs no row."""

    form = PublishedYearForm
    list_display = ("year", "region", "published_on", "source")
    list_filter = ("region",)
    actions = ["recompute_clocks"]

    def save_model(self, request, obj, form, change):
        try:
            published_year_save(actor=request.user, published=obj)
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)

    def delete_model(self, request, obj):
        published_year_delete(actor=request.user, years=[obj])

    def delete_queryset(self, request, queryset):
        published_year_delete(actor=request.user, years=queryset)

    @admin.action(description=_("Recompute the running clocks over these years"))
    def recompute_clocks(self, request, queryset):
        for published in queryset:
            year_recompute(region=published.region, year=published.year, kind="year_published")
        self.message_user(
            request,
            _("The running clocks over %(count)d year(s) are being recomputed.")
            % {"count": queryset.count()},
        )


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("case", "rule", "state", "waiting_on", "due_at", "provisional")
    list_filter = ("state", "waiting_on", "provisional", "rule")
    list_select_related = ("case", "rule")
    search_fields = ("case__reference",)
    show_full_result_count = False
