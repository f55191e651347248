from django.contrib import admin

from .models import BrokerRun, Match, OfferPerson, SupportOffer, SupportRequest


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ("authority", "service_area", "kind", "staff_days", "window_start", "status")
    list_filter = ("status", "kind", "service_area")
    search_fields = ("authority__name", "authority__code", "problem")
    list_select_related = ("authority", "service_area")
    raw_id_fields = ("prompted_by_run", "prompted_by_area", "prompted_by_warning")
    filter_horizontal = ("avoid",)


class OfferPersonInline(admin.TabularInline):
    model = OfferPerson
    extra = 0

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return OfferPerson.private_objects.visible_to(request.user)


@admin.register(SupportOffer)
class SupportOfferAdmin(admin.ModelAdmin):
    list_display = ("authority", "service_area", "kind", "staff_days", "year")
    list_filter = ("year", "kind", "service_area")
    search_fields = ("authority__name", "authority__code")
    list_select_related = ("authority", "service_area")
    inlines = [OfferPersonInline]


@admin.register(OfferPerson)
class OfferPersonAdmin(admin.ModelAdmin):
    """Personal data: each person sees only the rows the policy lets them see."""

    list_display = ("name", "role", "offer")
    search_fields = ("name", "role", "expertise")
    list_select_related = ("offer__authority", "offer__service_area")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return OfferPerson.private_objects.visible_to(request.user)


@admin.register(BrokerRun)
class BrokerRunAdmin(admin.ModelAdmin):
    """Read-only: a broker run is written once, by the broker."""

    list_display = ("pk", "created_at", "created_by", "solver_status", "objective", "seconds")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    """Read-only: proposals are made by the broker and decided on their own pages."""

    list_display = ("request", "supporter", "days", "score", "state", "decided_at")
    list_filter = ("state",)
    list_select_related = ("request__authority", "request__service_area", "supporter")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
