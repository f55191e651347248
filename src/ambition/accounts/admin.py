from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry, RoleGrant


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "authority", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "authority__name", "authority__code")
    autocomplete_fields = ("authority",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are only ever added, by the audit log itself."""

    list_display = ("at", "username", "action", "model", "object_id", "object_repr", "via")
    list_filter = ("action", "via", "model")
    search_fields = ("username", "model", "object_id", "object_repr", "path")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
