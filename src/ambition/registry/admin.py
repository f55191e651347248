from django.contrib import admin

from .models import Authority, Membership, Partnership, PoliticalControl


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("authority",)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("slug", "name")
    inlines = [MembershipInline]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "region", "end_date")
    list_filter = ("kind", "region")
    search_fields = ("code", "name", "snac")


@admin.register(PoliticalControl)
class PoliticalControlAdmin(admin.ModelAdmin):
    list_display = ("authority", "year", "control", "source")
    list_filter = ("year", "control")
