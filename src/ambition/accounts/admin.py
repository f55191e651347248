from django.contrib import admin

from .models import RoleGrant


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "authority", "granted_at")
    list_filter = ("role",)
    search_fields = ("user__username", "authority__name", "authority__code")
    autocomplete_fields = ("authority",)
