"""The efficiency programme in the admin: read, and correct where the pages cannot."""

from django.contrib import admin

from .models import Flag, NetBudget, SavingsLine, SavingsReturn


@admin.register(NetBudget)
class NetBudgetAdmin(admin.ModelAdmin):
    list_display = ["authority", "year", "revision", "amount", "illustrative"]
    list_filter = ["year", "illustrative"]
    search_fields = ["authority__name", "authority__code"]


class LineInline(admin.TabularInline):
    model = SavingsLine
    extra = 0


class FlagInline(admin.TabularInline):
    model = Flag
    extra = 0
    fk_name = "savings_return"


@admin.register(SavingsReturn)
class SavingsReturnAdmin(admin.ModelAdmin):
    list_display = ["pk", "authority", "year", "state", "illustrative", "submitted_at"]
    list_filter = ["year", "state", "illustrative"]
    search_fields = ["authority__name", "authority__code"]
    inlines = [LineInline, FlagInline]
