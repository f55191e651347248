from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attachment, CaseStudy, Network, NetworkEvent, NetworkMember, NetworkOutput


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(CaseStudy)
class CaseStudyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "lead", "service_area", "status", "evidence_level", "illustrative"]
    list_filter = ["status", "evidence_level", "service_area"]
    search_fields = ["title", "summary"]
    # The strength of evidence and publishing go through the office's pages, which record
    # the ledger entry and who set the level.
    readonly_fields = ["evidence_level", "evidence_note", "evidence_set_by", "evidence_set_at"]
    readonly_fields += ["status", "published_on"]
    inlines = [AttachmentInline]


class MemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0


class EventInline(admin.TabularInline):
    model = NetworkEvent
    extra = 0


class OutputInline(admin.TabularInline):
    model = NetworkOutput
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "service_area", "illustrative"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline, EventInline, OutputInline]
