from django.contrib import admin

from desk.models import CaseStatusCount, SavedView


@admin.register(CaseStatusCount)
class CaseStatusCountAdmin(admin.ModelAdmin):
    """Read-only: the services keep these; `manage.py desk_rebuild` recounts."""

    list_display = ["status", "count"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "query", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    raw_id_fields = ["owner"]
