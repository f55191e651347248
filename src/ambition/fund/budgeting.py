"""What a budget has promised and what it has left: the one reading of a budget's room, used
under a row lock by every decision that spends it (a claim approved, a grant awarded or
varied) and by every page and the reconciliation that shows it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from .models import Award, Budget, Claim, Return

PENNY = Decimal("0.01")


def pence(value: object) -> Decimal:
    """A sum of money from the database, to the penny. SQLite adds decimals as floats, so
    100,000 payments come back a few millionths out; every stored sum is whole pence and
    the error is far below half a penny, so rounding restores the exact total."""
    return Decimal(str(value or 0)).quantize(PENNY)


def total(queryset: QuerySet, column: str = "amount") -> Decimal:
    """The sum of a money column over the rows, to the penny."""
    return pence(queryset.aggregate(total=Sum(column))["total"])


def totals_by(queryset: QuerySet, key: str, column: str = "amount") -> dict[Any, Decimal]:
    """The sum of a money column for each value of `key` (an award, a budget), to the
    penny, in one grouped query."""
    grouped = queryset.order_by().values(key).annotate(total=Sum(column))
    return {k: pence(t) for k, t in grouped.values_list(key, "total")}


def claims_committed(budget_id: int) -> Decimal:
    """Approved and paid claims on the budget."""
    return total(Claim.objects.filter(budget_id=budget_id).committed())


def awards_committed(budget_id: int) -> Decimal:
    """What the budget's awards promise now, net of money returned to it."""
    awarded = total(Award.objects.filter(budget_id=budget_id))
    return awarded - total(Return.objects.filter(award__budget_id=budget_id))


def committed(budget_id: int) -> Decimal:
    """Everything the budget has promised: claims and grants alike."""
    return claims_committed(budget_id) + awards_committed(budget_id)


def remaining(budget: Budget) -> Decimal:
    return Decimal(budget.amount) - committed(budget.pk)


def locked(budget_id: int) -> Budget:
    """The budget's row, locked until the transaction ends: every decision that spends it
    waits here for the one before to commit, so two cannot both see the same room."""
    return Budget.objects.select_for_update().get(pk=budget_id)
