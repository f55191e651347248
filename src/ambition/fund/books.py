"""The fund's books as the reconciliation reads them: one aggregate query per table (claims,
awards, variations, payments, returns), grouped by the database, never row by row."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from .budgeting import total, totals_by
from .models import Award, Budget, Claim, Payment, Return, Variation
from .reconcile import AwardRow, BudgetRow, Reconciliation, Totals, reconcile

ZERO = Decimal(0)


def reconciliation(year: int | None = None) -> Reconciliation:
    """Every budget (of `year`, if given) and its awards, reconciled."""
    return reconcile(budget_rows(year), award_rows(year), totals(year))


def _in_year(queryset: QuerySet, path: str, year: int | None) -> QuerySet:
    return queryset if year is None else queryset.filter(**{path: year})


def budget_rows(year: int | None) -> list[BudgetRow]:
    claims = totals_by(
        _in_year(Claim.objects.committed(), "budget__year", year), "budget_id", "amount"
    )
    budgets = _in_year(Budget.objects.order_by("year", "name"), "year", year)
    return [
        BudgetRow(b["id"], b["name"], b["year"], Decimal(b["amount"]), claims.get(b["id"], ZERO))
        for b in budgets.values("id", "name", "year", "amount")
    ]


def award_rows(year: int | None) -> list[AwardRow]:
    path = "award__budget__year"
    varied = totals_by(_in_year(Variation.objects.all(), path, year), "award_id", "change")
    paid = totals_by(_in_year(Payment.objects.all(), path, year), "award_id", "amount")
    back = totals_by(_in_year(Return.objects.all(), path, year), "award_id", "amount")
    awards = _in_year(Award.objects.order_by(), "budget__year", year)
    return [
        AwardRow(
            a["id"],
            a["budget_id"],
            Decimal(a["awarded"]),
            Decimal(a["amount"]),
            varied.get(a["id"], ZERO),
            paid.get(a["id"], ZERO),
            back.get(a["id"], ZERO),
            Decimal(a["paid_to_date"]),
            Decimal(a["returned_to_date"]),
        )
        for a in awards.values(
            "id", "budget_id", "awarded", "amount", "paid_to_date", "returned_to_date"
        )
    ]


def totals(year: int | None) -> Totals:
    path = "award__budget__year"
    return Totals(
        varied=total(_in_year(Variation.objects.all(), path, year), "change"),
        paid=total(_in_year(Payment.objects.all(), path, year)),
        returned=total(_in_year(Return.objects.all(), path, year)),
    )
