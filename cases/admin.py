"""Admin for cases and their audit trail.

The admin is one more interface over the services: a case's status moves only through the
lifecycle (the web page or the API), so it is read-only here, and saving an edit goes through
`case_update`, which writes the "details edited" event. Events are never added, changed or
deleted, here or anywhere.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseEvent, CaseStatusCount
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


@admin.register(CaseStatusCount)
class CaseStatusCountAdmin(ReadOnlyAdmin):
    """The services keep these; `manage.py desk_rebuild` recounts."""

    list_display = ["status", "count"]
