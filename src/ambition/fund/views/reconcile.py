"""The office's reconciliation page: the same books as `ambition fund-reconcile`, per budget
and overall, to the penny, with whatever does not tie named and highlighted."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ambition.indicators.periods import FIRST_YEAR
from ambition.web.parameters import whole_number
from ambition.web.tables import Column, Table, respond

from ..books import reconciliation
from ..reconcile import Line
from ..reconcile_words import words

# The latest year a budget may name (the budget form's own limit).
LAST_YEAR = 2100
LINE_COLUMNS = [
    Column("budget_id", "Budget"),
    Column("budget", "Name"),
    Column("year", "Year"),
    Column("amount", "Amount (GBP)"),
    Column("claims", "Committed claims (GBP)"),
    Column("awarded", "Awarded (GBP)"),
    Column("paid", "Paid (GBP)"),
    Column("returned", "Returned (GBP)"),
    Column("remaining", "Remaining (GBP)"),
    Column("ties", "Ties"),
]


def line_row(line: Line, wrong: set[int | None]) -> dict[str, Any]:
    budget = line.budget
    return {
        "budget_id": budget.id if budget else None,
        "budget": budget.name if budget else "All budgets",
        "year": budget.year if budget else None,
        **{k: getattr(line, k) for k in ("amount", "claims", "awarded", "paid", "returned")},
        "remaining": line.remaining,
        "ties": (budget.id if budget else None) not in wrong,
    }


def chosen_year(request: HttpRequest) -> int | None:
    """The financial year asked for, or None for every year (also when the text names no
    year a budget could have)."""
    return whole_number(request.GET.get("year"), FIRST_YEAR, LAST_YEAR)


@login_required
@permission_required("fund.add_payment", raise_exception=True)
@require_safe
def reconcile(request: HttpRequest) -> HttpResponse:
    year = chosen_year(request)
    books = reconciliation(year)
    # A problem with no budget (a total that does not tie) marks the overall line.
    wrong = {p.budget_id for p in books.problems}
    rows = [line_row(line, wrong) for line in (*books.lines, books.overall)]
    if download := respond(request, lambda: Table("fund-reconciliation", LINE_COLUMNS, rows)):
        return download
    context = {
        "rows": rows,
        "year": year,
        "ties": books.ties,
        "problems": [words(p) for p in books.problems],
    }
    return render(request, "fund/reconcile.html", context)
