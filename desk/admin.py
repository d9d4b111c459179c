from django.contrib import admin

from cases.admin import ReadOnlyAdmin
from desk.models import CaseStatusCount, SavedView


@admin.register(CaseStatusCount)
class CaseStatusCountAdmin(ReadOnlyAdmin):
    """The services keep these; `manage.py desk_rebuild` recounts."""

    list_display = ["status", "count"]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "query", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    raw_id_fields = ["owner"]
