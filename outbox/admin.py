from django.contrib import admin

from outbox.models import PendingTask


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "created_at"]
    readonly_fields = ["task_name", "args", "kwargs", "created_at"]

    def has_add_permission(self, request):
        return False
