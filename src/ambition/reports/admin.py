from django.contrib import admin

from .models import AgreedAction, Attendee, Meeting


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    raw_id_fields = ("authority",)


class AgreedActionInline(admin.TabularInline):
    model = AgreedAction
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "authority")
    list_filter = ("kind",)
    search_fields = ("authority__name", "authority__code", "notes")
    list_select_related = ("authority",)
    raw_id_fields = ("authority",)
    date_hierarchy = "date"
    inlines = [AttendeeInline, AgreedActionInline]
