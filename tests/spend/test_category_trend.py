"""A category's spend by financial year: on a hand-made frame (whole and part years, years
with no spend in the category, an unknown code refused), and on the GLA's real files for
2013-14 and 2014-15 through the stored Parquet and the engine, to the penny against plain
`csv` + `Decimal` sums of the source files (each row put in its category by the rules: with no
labels stored, `assign` gives the rules' categories)."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ambition.indicators.periods import financial_year
from ambition.registry.models import Authority
from ambition.spend.categories.rules import FIELDS, categorise, cpv_of, shipped
from ambition.spend.categories.suppliers import clear_categories
from ambition.spend.categories.trend import (
    UnknownCategory,
    YearSpend,
    category_trends,
    full_years,
    trends,
)
from ambition.spend.reading.values.markers import is_redacted

from .test_store import GLA, GLA_FILES, gla_period, needs_data, store_gla

# The GLA's 2013-14 and 2014-15: 26 four-weekly periods, every month of both years.
GLA_TWO_YEARS = [n for n in GLA_FILES if n[:4] in ("2013", "2014")]
# The GLA's headings for the fields the rules read (it gives no purpose).
GLA_FIELDS = {
    "expense_type": "Expenditure Account Code Description",
    "account": "Cost Element",
    "service": "Service Expenditure Analysis",
}


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


def months(first: date, count: int) -> list[date]:
    return [
        date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def frame(rows: list[tuple[int, date, str, str]]) -> pl.DataFrame:
    """Rows of (year, month of cover, expense type, amount)."""
    return pl.DataFrame(
        {
            "year": [r[0] for r in rows],
            "coverage_month": [r[1] for r in rows],
            "expense_type": [r[2] for r in rows],
            "amount": [Decimal(r[3]) for r in rows],
        },
        schema={
            "year": pl.Int32,
            "coverage_month": pl.Date,
            "expense_type": pl.String,
            "amount": pl.Decimal(18, 2),
        },
    )


# `assign` reads people's standing labels from the database (there are none here), so even
# the hand-made frames need it.


def test_a_trend_sums_each_year_and_says_which_years_are_whole(db: None) -> None:
    # 2013-14 whole (a row in each of its months), 2014-15 only April and May.
    whole = [(2013, m, "Printing", "0.10") for m in months(date(2013, 4, 1), 12)]
    rows = [
        *whole,
        (2013, date(2013, 4, 1), "Software licences", "1000.01"),
        (2013, date(2014, 3, 1), "SOFTWARE LICENCES", "-0.02"),
        (2014, date(2014, 4, 1), "Consultancy fees", "5.00"),
        (2014, date(2014, 5, 1), "Consultancy fees", "5.00"),
    ]
    found = trends(frame(rows), ["ict", "consultancy", "legal"])
    assert found["ict"] == [
        YearSpend(2013, Decimal("999.99"), 2, True),
        YearSpend(2014, Decimal("0.00"), 0, False),
    ]
    assert found["consultancy"][1] == YearSpend(2014, Decimal("10.00"), 2, False)
    assert [y.amount for y in found["legal"]] == [Decimal("0.00")] * 2
    assert full_years(frame(rows)) == {2013}


def test_an_unknown_category_is_refused_by_name(db: None) -> None:
    with pytest.raises(UnknownCategory, match="'cake'"):
        trends(frame([(2013, date(2013, 4, 1), "Printing", "1")]), ["ict", "cake"])


def test_an_authority_with_no_spend_has_no_years(db: None) -> None:
    lambeth = Authority.objects.get(code="E09000022")
    assert category_trends(lambeth, ["ict"]) == {"ict": []}
    assert category_trends(lambeth, []) == {}


def gla_category_sums(names: list[str]) -> dict[tuple[str, int], Decimal]:
    """By category and financial year, with csv and Decimal alone; each row's category is
    the rules' for its fields, or, where they give none, its supplier's clear category among
    the other rows (no supplier run here: a supplier is its name as written)."""
    rows: list[dict[str, str | None]] = []
    amounts: list[tuple[int, Decimal]] = []
    for name in names:
        period = gla_period(name)
        with gzip.open(GLA / name, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                supplier = row["Vendor Name"].strip()
                rows.append(
                    {
                        **{f: (row.get(GLA_FIELDS.get(f, "")) or None) for f in FIELDS},
                        "supplier_key": None if is_redacted(supplier) else supplier or None,
                    }
                )
                text = row["Amount"].replace(",", "")
                amount = -Decimal(text[1:-1]) if text.startswith("(") else Decimal(text)
                day = row["Clearing Date"].strip()
                when = date.fromisoformat(day) if day else period.start
                amounts.append((financial_year(when), amount))
    given = pl.DataFrame(rows, schema=dict.fromkeys([*FIELDS, "supplier_key"], pl.String))
    given = given.with_columns(
        pl.Series("amount", [a for _, a in amounts], dtype=pl.Decimal(18, 2))
    )
    decided = categorise(given)
    known = decided.filter(pl.col("category").is_not_null() & pl.col("supplier_key").is_not_null())
    spent = known.group_by("supplier_key", "category").agg(
        pl.col("amount").abs().sum().alias("spend"), pl.len().alias("rows")
    )
    clear = dict(
        clear_categories(spent, cpv_of(shipped())).select("supplier_key", "category").rows()
    )
    categories = [
        category if category is not None else clear.get(supplier)
        for category, supplier in decided.select("category", "supplier_key").rows()
    ]
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for category, (year, amount) in zip(categories, amounts, strict=True):
        if category is not None:
            sums[(category, year)] += amount
    return sums


@needs_data
def test_gla_trends_to_the_penny(db: None) -> None:
    gla = Authority.objects.get(name="Greater London Authority")
    store_gla(gla, GLA_TWO_YEARS)
    expected = gla_category_sums(GLA_TWO_YEARS)
    codes = sorted({code for code, _ in expected})
    found = category_trends(gla, codes)
    for code in codes:
        assert [(y.year, y.full) for y in found[code]] == [(2013, True), (2014, True)], code
        for y in found[code]:
            assert y.amount == expected.get((code, y.year), Decimal("0.00")), (code, y.year)
    # The figures the efficiency test's GLA claims are weighed against.
    assert [y.amount for y in found["consultancy"]] == [
        Decimal("10961957.80"),
        Decimal("14006381.63"),
    ]
    assert [y.amount for y in found["ict"]] == [Decimal("2417330.22"), Decimal("2311989.42")]
