"""The efficiency programme in the admin: read, and correct where the pages cannot."""

from django.contrib import admin

from .models import (
    AgreementPartner,
    AgreementTarget,
    Flag,
    LocalAreaAgreement,
    NetBudget,
    SavingsLine,
    SavingsReturn,
)


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


class PartnerInline(admin.TabularInline):
    model = AgreementPartner
    extra = 0


class TargetInline(admin.TabularInline):
    model = AgreementTarget
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(LocalAreaAgreement)
class LocalAreaAgreementAdmin(admin.ModelAdmin):
    list_display = ["pk", "authority", "start_year", "end_year", "title", "illustrative"]
    list_filter = ["start_year", "illustrative", "reward_rule"]
    search_fields = ["authority__name", "authority__code", "title"]
    readonly_fields = ["created_by", "created_at"]
    inlines = [PartnerInline, TargetInline]
