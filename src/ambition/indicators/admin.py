from django.contrib import admin

from .models import ImportBatch, Indicator, Observation, Period, ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "service_area", "unit", "polarity", "year_basis")
    list_filter = ("service_area", "polarity", "year_basis")
    search_fields = ("code", "name", "definition")


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "basis", "start", "end")
    list_filter = ("kind", "basis")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("file_name", "origin", "user", "started_at", "created", "revised", "unchanged")
    list_filter = ("origin",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Read-only: observations change only by import, which keeps every revision."""

    list_display = ("indicator", "authority", "period", "revision", "value", "status", "is_latest")
    list_filter = ("is_latest", "indicator__service_area")
    search_fields = ("indicator__code", "authority__code", "authority__name")
    list_select_related = ("indicator", "authority", "period")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        """What this person may see elsewhere: restricted data only their scope's."""
        return Observation.private_objects.visible_to(request.user)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
