from django.contrib import admin

from .models import Application, Award, Budget, Claim, Payment, Return


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "programme", "source", "amount", "illustrative")
    list_filter = ("year", "programme", "source")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims are decided on their pages, where the budget is checked."""

    list_display = ("claimant", "budget", "amount", "state", "decided_at", "paid_on")
    list_filter = ("state", "budget")
    list_select_related = ("claimant", "budget")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ReadOnly(admin.ModelAdmin):
    """Grants change only through their pages and the API, where the limits are checked
    under lock and every step is recorded: the admin reads."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("title", "lead", "budget", "amount", "state", "illustrative")
    list_filter = ("state", "budget")
    list_select_related = ("lead", "budget")


@admin.register(Award)
class AwardAdmin(ReadOnly):
    list_display = ("application", "budget", "awarded", "amount", "decided_on")
    list_select_related = ("application", "budget")


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ("award", "amount", "paid_on", "illustrative")


@admin.register(Return)
class ReturnAdmin(ReadOnly):
    list_display = ("award", "kind", "amount", "returned_on")
