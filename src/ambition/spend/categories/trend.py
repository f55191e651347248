"""An authority's current spend in procurement categories, financial year by financial year:
what a claimed procurement saving is weighed against. The category of a transaction is
the one reading of categorised spend's (`categories.current`); the money is Decimal to the
penny.

A year is "full" when the authority's current spend files cover all twelve of its months: a
part year's total says nothing about a trend, so a caller comparing years compares full
ones only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ambition.indicators.periods import financial_year
from ambition.registry.models import Authority

from ..engine import Step
from ..parquet import PENNY
from .assign import assign
from .current import current_spend, where
from .rules import Rules, shipped

MONTHS_IN_YEAR = 12


class UnknownCategory(ValueError):
    """A category code the rules do not have."""


@dataclass(frozen=True, slots=True)
class YearSpend:
    year: int  # the financial year, by the year it starts
    amount: Decimal  # the category's current spend, to the penny (0.00 where there was none)
    transactions: int
    full: bool  # the authority's spend files cover every month of the year


def category_trends(
    authority: Authority, categories: Iterable[str], rules: Rules | None = None
) -> dict[str, list[YearSpend]]:
    """For each category code, the authority's spend in it in every financial year the
    authority has any spend data for, oldest first."""
    wanted = known(categories, rules)
    if not wanted:
        return {}
    # The one reading of categorised spend (labels, rules, model, the supplier's category),
    # so a claim is weighed against the same figures the opportunities pages show.
    clause, parameters = where(authority=authority.code)
    summed = current_spend().frame(
        Step(
            "categorised_by_month",
            "SELECT year, coverage_month, category, COUNT(*) AS transactions, "
            f"SUM(amount) AS amount FROM categorised {clause} "
            "GROUP BY year, coverage_month, category",
        ),
        parameters,
    )
    return trends(summed, wanted, rules)


def known(categories: Iterable[str], rules: Rules | None = None) -> list[str]:
    """The codes, each once, in the order given; an UnknownCategory naming any the rules
    do not have."""
    codes = list(dict.fromkeys(categories))
    strangers = [code for code in codes if code not in (rules or shipped()).names()]
    if strangers:
        raise UnknownCategory(f"no procurement category {', '.join(map(repr, strangers))}")
    return codes


def trends(
    frame: pl.DataFrame, categories: Iterable[str], rules: Rules | None = None
) -> dict[str, list[YearSpend]]:
    """The trends of a frame of transactions (`year`, `coverage_month`, `amount`, optionally
    `transactions` when rows are already counted, and `category` or the fields the rules
    read)."""
    codes = known(categories, rules)
    if "transactions" not in frame.columns:
        frame = frame.with_columns(pl.lit(1, pl.Int64).alias("transactions"))
    years = sorted({int(y) for y in frame.get_column("year").unique().drop_nulls()})
    full = full_years(frame)
    done = frame if "category" in frame.columns else assign(frame, rules)
    totals = _category_totals(done)
    return {
        code: [
            YearSpend(year, *totals.get((code, year), (Decimal("0.00"), 0)), year in full)
            for year in years
        ]
        for code in codes
    }


def full_years(frame: pl.DataFrame) -> set[int]:
    """The financial years all twelve of whose months the rows' files cover."""
    months = frame.get_column("coverage_month").drop_nulls().unique().to_list()
    counted = Counter(financial_year(month) for month in months)
    return {year for year, n in counted.items() if n == MONTHS_IN_YEAR}


def _category_totals(done: pl.DataFrame) -> dict[tuple[str, int], tuple[Decimal, int]]:
    summed = (
        done.filter(pl.col("category").is_not_null())
        .group_by("category", "year")
        .agg(pl.col("amount").sum(), pl.col("transactions").sum())
    )
    return {
        (code, int(year)): (_pence(amount), int(count))
        for code, year, amount, count in summed.iter_rows()
    }


def _pence(amount: object) -> Decimal:
    return Decimal(str(amount or 0)).quantize(PENNY)
