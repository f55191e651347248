from django.contrib import admin

from .models import (
    ActionPlanItem,
    BrokerRun,
    LedgerEntry,
    Match,
    OfferPerson,
    PeerReview,
    ReviewTeamMember,
    Secondee,
    Secondment,
    StageChange,
    SupportOffer,
    SupportRequest,
)


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


class ReviewTeamMemberInline(admin.TabularInline):
    """Personal data: each person sees only the rows the policy lets them see."""

    model = ReviewTeamMember
    extra = 0

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return ReviewTeamMember.private_objects.visible_to(request.user)


class ActionPlanItemInline(admin.TabularInline):
    model = ActionPlanItem
    extra = 0


class StageChangeInline(admin.TabularInline):
    """The stage log: written by moving the review on its page, never here."""

    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "by", "at", "note")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PeerReview)
class PeerReviewAdmin(admin.ModelAdmin):
    """The stage moves only through support.review_lifecycle.advance (on the review's page)."""

    list_display = ("pk", "request", "stage", "on_site_start", "progress_review_due")
    list_filter = ("stage",)
    list_select_related = ("request__authority", "request__service_area")
    raw_id_fields = ("request",)
    readonly_fields = ("stage",)
    inlines = [ReviewTeamMemberInline, ActionPlanItemInline, StageChangeInline]


class SecondeeInline(admin.StackedInline):
    model = Secondee
    extra = 0

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return Secondee.private_objects.visible_to(request.user)


@admin.register(Secondment)
class SecondmentAdmin(admin.ModelAdmin):
    list_display = (
        "role",
        "from_authority",
        "to_authority",
        "start",
        "end",
        "days",
        "delivered_on",
    )
    list_select_related = ("from_authority", "to_authority")
    raw_id_fields = ("match", "request")
    readonly_fields = ("delivered_on",)
    inlines = [SecondeeInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only; corrections are reversing entries."""

    list_display = ("date", "authority", "direction", "kind", "amount", "counterparty", "source")
    list_filter = ("year", "kind", "direction", "source")
    list_select_related = ("authority", "counterparty")
    search_fields = ("authority__name", "description")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
