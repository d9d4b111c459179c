"""Admin for evidence and integrity checks: read-only.

Evidence changes only through the services (upload, edit, remove), each leaving a timeline
entry; files are downloaded through the case page or the API, which check access. Integrity
checks are written by `verify_evidence` and the weekly task and never edited.
"""

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from evidence.models import EvidenceItem, IntegrityCheck


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "case",
        "kind",
        "content_type",
        "size_display",
        "uploaded_at",
        "uploaded_by",
        "is_current",
    )
    list_filter = ("kind", "content_type", ("removed_at", admin.EmptyFieldListFilter))
    search_fields = ("case__reference", "original_name", "sha256")
    list_select_related = ("case", "uploaded_by")
    date_hierarchy = "uploaded_at"
    ordering = ("-uploaded_at", "-id")
    show_full_result_count = False
    fields = (
        "id",
        "case",
        "kind",
        "description",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "stored_name",
        "thumbnail_name",
        "captured_on",
        "uploaded_by",
        "uploaded_at",
        "removed_at",
        "removed_by",
    )
    readonly_fields = fields

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, item):
        return filesizeformat(item.size)

    @admin.display(description=_("current"), boolean=True, ordering="removed_at")
    def is_current(self, item):
        return not item.is_removed


@admin.register(IntegrityCheck)
class IntegrityCheckAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "finished_at",
        "scope_display",
        "checked",
        "changed_count",
        "missing_count",
        "ok_display",
    )
    date_hierarchy = "started_at"
    ordering = ("-started_at",)
    fields = (
        "started_at",
        "finished_at",
        "scope_display",
        "checked",
        "ok_display",
        "changed_files",
        "missing_files",
    )
    readonly_fields = fields

    @admin.display(description=_("scope"), ordering="scope")
    def scope_display(self, check):
        return check.scope or _("all evidence")

    @admin.display(description=_("changed"))
    def changed_count(self, check):
        return len(check.mismatches)

    @admin.display(description=_("missing"))
    def missing_count(self, check):
        return len(check.missing)

    @admin.display(description=_("all intact"), boolean=True)
    def ok_display(self, check):
        return check.ok

    @admin.display(description=_("changed files"))
    def changed_files(self, check):
        if not check.mismatches:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} ({})<br><small>{} {}<br>{} {}</small></li>",
                (
                    (
                        m.get("case"),
                        m.get("name"),
                        m.get("id"),
                        _("expected"),
                        m.get("expected"),
                        _("actual"),
                        m.get("actual"),
                    )
                    for m in check.mismatches
                ),
            ),
        )

    @admin.display(description=_("missing files"))
    def missing_files(self, check):
        if not check.missing:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} ({})</li>",
                ((m.get("case"), m.get("name"), m.get("id")) for m in check.missing),
            ),
        )
