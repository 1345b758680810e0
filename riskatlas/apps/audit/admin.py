from django.contrib import admin
from django.http import HttpRequest

from riskatlas.apps.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "via", "action", "object_type", "object_key", "assessment")
    list_filter = ("action", "object_type", "via")
    search_fields = ("object_key", "assessment", "username")

    def has_add_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
