"""An authority's current spend by procurement category: how much of it (money and rows) the
rules categorise, the total and count of each category, and the commonest reasons rows are
left uncategorised. Read through the spend engine, worked out in Polars."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ambition.registry.models import Authority

from ..engine import Step
from ..transactions import open_transactions
from .assign import assign
from .rules import FIELDS, Rules, shipped

# Only what the rules read, and the money.
COLUMNS = Step("categorise_spend_columns", f"SELECT amount, {', '.join(FIELDS)} FROM transactions")
TOP_REASONS = 20


@dataclass(frozen=True, slots=True)
class Line:
    """One category, or one reason rows were left uncategorised."""

    key: str
    name: str
    transactions: int
    amount: Decimal
    procurement: bool = True  # a category of money passed on (grants) buys nothing


@dataclass(frozen=True, slots=True)
class CategoryReport:
    transactions: int
    amount: Decimal
    categorised_transactions: int
    categorised_amount: Decimal
    categories: list[Line]
    reasons: list[Line]  # the TOP_REASONS commonest, by rows then amount

    @property
    def uncategorised_amount(self) -> Decimal:
        return self.amount - self.categorised_amount

    @property
    def passed_on_amount(self) -> Decimal:
        """Spend in categories that buy nothing (grants and transfers): left out of the
        procurement share, which is what buying together can act on."""
        return sum((c.amount for c in self.categories if not c.procurement), Decimal(0))


def spend_categories(authority: Authority | None = None) -> CategoryReport:
    """The report over one authority's current transactions, or every authority's."""
    engine = open_transactions(authority)
    try:
        frame = engine.frame(COLUMNS)
    finally:
        engine.close()
    return report(frame)


def report(frame: pl.DataFrame, rules: Rules | None = None) -> CategoryReport:
    """The report of a frame of transactions (`amount` and the fields the rules read)."""
    rules = rules or shipped()
    done = assign(frame, rules).select("amount", "category", "why")
    given = done.filter(pl.col("category").is_not_null())
    known = {c.code: c for c in rules.categories}
    categories = [
        Line(code, known[code].name, count, total, known[code].procurement)
        for code, count, total in _totals(given, "category").iter_rows()
    ]
    left = done.filter(pl.col("category").is_null())
    reasons = [Line(why, "", n, total) for why, n, total in _totals(left, "why").iter_rows()]
    return CategoryReport(
        done.height,
        _sum(done),
        given.height,
        _sum(given),
        sorted(categories, key=lambda line: (-line.amount, line.key)),
        reasons[:TOP_REASONS],
    )


def _totals(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    return (
        frame.group_by(by)
        .agg(pl.len().alias("transactions"), pl.col("amount").sum().alias("amount"))
        .sort(["transactions", "amount", by], descending=[True, True, False])
    )


def _sum(frame: pl.DataFrame) -> Decimal:
    total = frame.get_column("amount").sum()
    return Decimal(total or 0)
