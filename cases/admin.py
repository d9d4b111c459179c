"""Admin for cases and their audit trail.

The admin is one more interface over the services: a case's status moves only through the
lifecycle (the web page or the API), so it is read-only here, and saving an edit goes through
`case_update`, which writes the "details edited" event. Events are never added, changed or
deleted, here or anywhere.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases.calendar_services import calendar_override_delete, calendar_override_save
from cases.choices import BreachAction, CaseKind, Platform, Status
from cases.models import (
    CalendarOverride,
    Case,
    CaseEvent,
    Deadline,
    DeadlineRule,
    Notification,
)
from cases.notifications import EMAIL_MAX_ATTEMPTS
from cases.services import EDITABLE_FIELDS, case_update, validate_details
from config.errors import DomainError


class CaseAdminForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = EDITABLE_FIELDS

    def clean_details(self):
        # The same per-kind rules as the web form and the API, shown next to the field.
        try:
            return validate_details(kind=self.instance.kind, details=self.cleaned_data["details"])
        except DomainError as error:
            raise forms.ValidationError(
                [
                    f"{name}: {msg}"
                    for name, msgs in error.extra.get("errors", {}).items()
                    for msg in msgs
                ]
                or error.message
            ) from None


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    verbose_name = _("timeline entry")
    verbose_name_plural = _("timeline")
    fields = ("created_at", "kind", "actor", "from_status", "to_status", "note", "changes")
    readonly_fields = fields
    ordering = ("created_at", "id")
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
    list_display = (
        "reference",
        "title",
        "kind",
        "platform",
        "status",
        "priority",
        "owner",
        "assignee",
        "updated_at",
    )
    list_display_links = ("reference", "title")
    list_filter = ("status", "kind", "platform", "priority", "party_role", "outcome")
    search_fields = ("reference", "title", "platform_reference")
    list_select_related = ("owner", "assignee")
    date_hierarchy = "created_at"
    ordering = ("-updated_at", "-id")
    show_full_result_count = False  # COUNT(*) over every case on each page is not worth it.
    inlines = (CaseEventInline,)
    fieldsets = (
        (
            None,
            {"fields": ("reference", "kind", "status", "outcome", "owner", "organisation")},
        ),
        (
            _("Dispute"),
            {
                "fields": (
                    "platform",
                    "platform_account",
                    "party_role",
                    "title",
                    "description",
                    "priority",
                    "platform_reference",
                    "details",
                )
            },
        ),
        (_("Money"), {"fields": ("amount_claimed", "amount_recovered", "currency")}),
        (
            _("Handling"),
            {"fields": ("assignee", "created_at", "updated_at", "closed_at")},
        ),
    )
    # Everything the lifecycle or another service owns is read-only: status and outcome move
    # through `case_transition`, assignment will get its own service with its own event.
    readonly_fields = (
        "reference",
        "kind",
        "status",
        "outcome",
        "owner",
        "organisation",
        "assignee",
        "created_at",
        "updated_at",
        "closed_at",
    )

    def has_add_permission(self, request):
        # Cases are filed by their owner (web or API), which takes the next reference.
        return False

    def has_delete_permission(self, request, obj=None):
        # The audit trail must outlive its case; withdraw or resolve instead.
        return False

    def save_model(self, request, obj, form, change):
        """Apply the edited fields through `case_update`, so the edit is validated by the same
        rules as the web and the API and leaves a "details edited" event with old and new
        values."""
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS
        }
        if not changes:
            return
        try:
            case_update(actor=request.user, case=obj, **changes)
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):  # read-only: see the permissions below
    list_display = ("created_at", "case", "kind", "from_status", "to_status", "actor")
    list_filter = ("kind", "to_status")
    search_fields = ("case__reference",)
    list_select_related = ("case", "actor")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    fields = ("case", "kind", "actor", "created_at", "from_status", "to_status", "changes", "note")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: the admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
            "duration",
            "unit",
            "roll_over",
            "warn_before",
            "on_breach",
            "suggestion",
            "suggestion_zh",
            "waiting_on",
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
    background (cases.calendar_services)."""

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


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("case", "rule", "state", "waiting_on", "due_at", "provisional")
    list_filter = ("state", "waiting_on", "provisional", "rule")
    list_select_related = ("case", "rule")
    search_fields = ("case__reference",)
    show_full_result_count = False


class EmailStateFilter(admin.SimpleListFilter):
    """Where a notification's e-mail stands, so failed deliveries are easy to find."""

    title = _("e-mail")
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [
            ("sent", _("Sent")),
            ("pending", _("Waiting to be sent")),
            ("failing", _("Failed, will retry")),
            ("given_up", _("Failed, given up")),
            ("not_wanted", _("Not wanted")),
        ]

    def queryset(self, request, queryset):
        unsent = queryset.filter(email_wanted=True, email_sent_at__isnull=True)
        return {
            "sent": queryset.filter(email_sent_at__isnull=False),
            "pending": unsent.filter(email_attempts=0),
            "failing": unsent.filter(email_attempts__gt=0, email_attempts__lt=EMAIL_MAX_ATTEMPTS),
            "given_up": unsent.filter(email_attempts__gte=EMAIL_MAX_ATTEMPTS),
            "not_wanted": queryset.filter(email_wanted=False),
        }.get(self.value(), queryset)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "recipient",
        "case",
        "kind",
        "read_at",
        "email_sent_at",
        "email_attempts",
        "email_next_at",
        "email_error",
    )
    list_filter = ("kind", EmailStateFilter)
    list_select_related = ("recipient", "case")
    search_fields = ("case__reference", "recipient__username")
    show_full_result_count = False
