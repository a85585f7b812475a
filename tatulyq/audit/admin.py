from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: entries are never added, changed or deleted by hand."""

    list_display = ("id", "created_at", "actor_email", "action", "target_type", "target_id",
                    "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_email", "target_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
