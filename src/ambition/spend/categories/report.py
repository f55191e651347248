"""An authority's current spend by procurement category: how much of it (money and rows) is
categorised, the total and count of each category and of each way categories were decided
(label, rules, model: `assign`), the commonest reasons rows are left uncategorised, and the
uncategorised combinations of fields by spend. The stored spend is summed by the spend engine
for each combination and category (`categories.current`); the report is worked out from those
sums in Polars."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ambition.registry.models import Authority

from ..engine import Step
from .assign import SOURCE, SOURCES, assign
from .current import Spend, current_spend, where
from .keys import combination_keys
from .labels import Standing
from .rules import FIELDS, Rules, shipped

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
class Combination:
    """One combination of the fields the rules read that no category was given: the texts
    of its commonest spelling (the key stands for every spelling the rules read alike)."""

    key: str
    texts: dict[str, str | None]
    why: str
    transactions: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class CategoryReport:
    transactions: int
    amount: Decimal
    categorised_transactions: int
    categorised_amount: Decimal
    categories: list[Line]
    reasons: list[Line]  # the TOP_REASONS commonest, by rows then amount
    sources: list[Line]  # rows and amount each way of deciding gave a category, SOURCES order
    uncategorised: list[Combination]  # every one, the largest spend first

    @property
    def uncategorised_amount(self) -> Decimal:
        return self.amount - self.categorised_amount

    @property
    def passed_on_amount(self) -> Decimal:
        """Spend in categories that buy nothing (grants and transfers): left out of the
        procurement share, which is what buying together can act on."""
        return sum((c.amount for c in self.categories if not c.procurement), Decimal(0))


def spend_categories(
    authority: Authority | None = None, spend: Spend | None = None
) -> CategoryReport:
    """The report over one authority's current transactions, or every authority's, as the
    one reading of categorised spend gives them (`categories.current`; `spend` if given,
    else the current)."""
    columns = ", ".join((*FIELDS, "category", "why", SOURCE))
    clause, parameters = where(authority=authority.code if authority is not None else None)
    summed = (spend or current_spend()).frame(
        Step(
            "categorised_combinations",
            f"SELECT {columns}, COUNT(*) AS transactions, SUM(amount) AS amount "
            f"FROM categorised {clause} GROUP BY {columns}",
        ),
        parameters,
    )
    return report(summed)


def report(
    frame: pl.DataFrame, rules: Rules | None = None, labels: Standing | None = None
) -> CategoryReport:
    """The report of a frame of transactions (`amount` and the fields the rules read, and
    `transactions` where each row stands for that many), as categorised already (with
    `category`, `why` and `source`) or to be categorised here."""
    rules = rules or shipped()
    if "transactions" not in frame.columns:
        frame = frame.with_columns(pl.lit(1, pl.Int64).alias("transactions"))
    given_categories = {"category", "why", SOURCE} <= set(frame.columns)
    done = (frame if given_categories else assign(frame, rules, labels)).select(
        "amount", "transactions", *FIELDS, "category", "why", SOURCE
    )
    given = done.filter(pl.col("category").is_not_null())
    known = {c.code: c for c in rules.categories}
    categories = [
        Line(code, known[code].name, count, total, known[code].procurement)
        for code, count, total in _totals(given, "category").iter_rows()
    ]
    left = done.filter(pl.col("category").is_null())
    reasons = [Line(why, "", n, total) for why, n, total in _totals(left, "why").iter_rows()]
    by_source = {k: (n, total) for k, n, total in _totals(given, SOURCE).iter_rows()}
    sources = [Line(k, "", *by_source.get(k, (0, Decimal(0)))) for k in SOURCES]
    return CategoryReport(
        _count(done),
        _sum(done),
        _count(given),
        _sum(given),
        sorted(categories, key=lambda line: (-line.amount, line.key)),
        reasons[:TOP_REASONS],
        sources,
        _combinations(left),
    )


def _combinations(left: pl.DataFrame) -> list[Combination]:
    """The uncategorised rows by combination (as keyed), the largest spend first."""
    spelt = left.group_by(*FIELDS, "why").agg(pl.col("transactions").sum(), pl.col("amount").sum())
    spelt = spelt.with_columns(combination_keys(spelt).alias("key")).sort(
        ["transactions", *FIELDS], descending=[True, False, False, False, False], nulls_last=True
    )
    combined = spelt.group_by("key", maintain_order=True).agg(
        *[pl.col(f).first() for f in (*FIELDS, "why")],
        pl.col("transactions").sum(),
        pl.col("amount").sum(),
    )
    ordered = combined.sort(["amount", "transactions", "key"], descending=[True, True, False])
    return [
        Combination(
            r["key"], {f: r[f] for f in FIELDS}, r["why"], r["transactions"], Decimal(r["amount"])
        )
        for r in ordered.iter_rows(named=True)
    ]


def _totals(frame: pl.DataFrame, by: str) -> pl.DataFrame:
    return (
        frame.group_by(by)
        .agg(pl.col("transactions").sum(), pl.col("amount").sum())
        .sort(["transactions", "amount", by], descending=[True, True, False])
    )


def _count(frame: pl.DataFrame) -> int:
    return int(frame.get_column("transactions").sum() or 0)


def _sum(frame: pl.DataFrame) -> Decimal:
    total = frame.get_column("amount").sum()
    return Decimal(total or 0)
