"""The reader on real published files: the GLA's 116 periods of spend over £250 in two
layouts (the GLA's own columns, and ODI Leeds' uniform ones) and Lambeth's monthly files,
with their drifting headings, preamble, bare CRs and damaged rows. Totals are proved to
the penny against plain `csv` + `Decimal` sums of the same columns and the totals the
files state themselves."""

from __future__ import annotations

import csv
import gzip
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ambition.spend.reading import Reading, read_spend
from ambition.spend.reading.decoding import repaired
from ambition.spend.reading.values import parse_spend_period, period_in_name

from .test_store import DATA, LAMBETH, needs_data

pytestmark = needs_data

GLA = DATA / "spend-gla"
GLA_FILES = sorted(path.name for path in (GLA / "clean").glob("*.csv.gz"))
LAMBETH_FILES = sorted(path.name for path in LAMBETH.glob("*.csv"))


@cache
def gla_labels() -> dict[str, str]:
    # The file names' years are not consistent (2021-P10 holds P10 of 2020/21): the period
    # is the `name` the manifest gives, damaged dashes and all.
    labels: dict[str, str] = {}
    for entry in json.loads((GLA / "index.json").read_text())["files"]:
        labels.setdefault(entry["file"] + ".gz", entry["name"])
    return labels


@cache
def gla(layout: str, name: str) -> Reading:
    period = parse_spend_period(repaired(gla_labels()[name]))
    return read_spend((GLA / layout / name).read_bytes(), period=period)


def plain_sum(path: Path, column: str) -> Decimal:
    """The column's sum read with nothing of ours: csv and Decimal, brackets as credits."""
    total = Decimal(0)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row[column].replace(",", "")
            total += -Decimal(text[1:-1]) if text.startswith("(") else Decimal(text)
    return total


@pytest.mark.parametrize("name", GLA_FILES)
def test_every_gla_period_reads_to_the_penny_in_both_layouts(name: str) -> None:
    clean, processed = gla("clean", name), gla("processed", name)
    assert not clean.problems and not processed.problems
    assert not clean.ambiguities and not processed.ambiguities
    assert clean.total() == plain_sum(GLA / "clean" / name, "Amount")
    assert processed.total() == plain_sum(GLA / "processed" / name, "Amount")
    assert len(clean.records) == len(processed.records)
    # Row by row, the two layouts agree on the supplier (once the processed file's extra
    # round of mis-decoding is undone), the day and the size of each payment...
    for ours, theirs in zip(clean.records, processed.records, strict=True):
        assert (ours.supplier, ours.date, ours.row) == (theirs.supplier, theirs.date, theirs.row)
        assert abs(ours.amount) == theirs.amount
    # ...but not its sign: the processed layout lost every credit's brackets, so its total
    # is more by exactly twice the credits the GLA's own file shows.
    credits = sum((r.amount for r in clean.records if r.amount < 0), Decimal(0))
    assert processed.total() - clean.total() == -2 * credits


def test_gla_credits_are_where_the_layouts_disagree() -> None:
    differing = [n for n in GLA_FILES if gla("clean", n).total() != gla("processed", n).total()]
    with_credits = [n for n in GLA_FILES if any(r.amount < 0 for r in gla("clean", n).records)]
    assert differing == with_credits
    assert len(with_credits) == 70  # of 116 periods
    assert all(r.amount >= 0 for n in GLA_FILES for r in gla("processed", n).records)


def test_gla_layouts_map_as_their_headings_say() -> None:
    wide = gla("clean", "2021-P05.csv.gz").layouts[0].mapping
    assert {wide.labels[i]: f.value for i, f in wide.fields.items()} == {
        "Vendor ID": "supplier_id", "Vendor Name": "supplier", "Cost Element": "account",
        "Expenditure Account Code Description": "expense_type",
        "Document No": "transaction_id", "Amount": "amount", "Clearing Date": "date",
        "Directorate": "directorate", "Service Expenditure Analysis": "service",
    }  # fmt: skip
    # A column of values under no heading (rounded amounts, in 2014 P02) is left unread
    # and said to be, not taken for the amount.
    assert gla("clean", "2014-P02.csv.gz").layouts[0].mapping.unmapped == ["column H"]


def test_gla_rows_without_a_day_keep_the_period() -> None:
    reading = gla("clean", "2019-P05.csv.gz")
    undated = [r for r in reading.records if r.date is None]
    assert len(undated) == 14  # corporate card payments
    period = undated[0].period
    assert period is not None and (period.start.isoformat(), period.end.isoformat()) == (
        "2019-07-21",
        "2019-08-17",
    )
    without_period = read_spend((GLA / "clean" / "2019-P05.csv.gz").read_bytes())
    assert {p.reason for p in without_period.problems} == {
        "there is no date, and no period for the row or the file"
    }


def test_gla_names_damaged_by_decoding_are_repaired() -> None:
    suppliers = {r.supplier for r in gla("processed", "2014-P08.csv.gz").records}
    assert "DU PR\u00c9 PLC" in suppliers


def lambeth(name: str) -> Reading:
    return read_spend((LAMBETH / name).read_bytes(), period=period_in_name(name))


def lambeth_plain_sum(name: str) -> Decimal:
    """Column B of every row under the header whose A is not a total, with csv alone."""
    with (LAMBETH / name).open(encoding="utf-8", newline="") as handle:
        rows = [[c.strip() for c in row] for row in csv.reader(handle)]
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Supplier Name") + 1
    sums = [row[1] for row in rows[start:] if len(row) == 2 and row[0] != "Grand Total" and row[1]]
    return sum((Decimal(text) for text in sums), Decimal(0))


# The rows the files damaged: cells run together where a separator was lost.
GENUINE = {
    "2011-10-payments.csv": {954},  # "Inter High Education/Academy21740": no amount
    "2011-11-payments.csv": {912},  # 107 suppliers run together on one line
    "2012-02-payments.csv": {882},  # the same supplier, the same fault
}


@pytest.mark.parametrize("name", [n for n in LAMBETH_FILES if n != "2012-06-payments.csv"])
def test_lambeth_monthly_totals_to_the_penny(name: str) -> None:
    reading = lambeth(name)
    assert {p.row for p in reading.problems} == GENUINE.get(name, set())
    assert reading.total() == lambeth_plain_sum(name)
    assert all(r.period == period_in_name(name) and r.date is None for r in reading.records)
    stated = [t.amount for t in reading.totals]
    if name in ("2011-10-payments.csv", "2012-02-payments.csv"):
        # The damaged row's £740.00 (its supplier "...Academy21") is the whole difference.
        assert stated == [reading.total() + Decimal("740.00")]
    elif name not in ("2011-01-payments.csv", "2011-11-payments.csv"):  # no total stated
        assert stated == [reading.total()]


def test_lambeth_headers_are_found_under_titles() -> None:
    rows = {name: lambeth(name).layouts[0].header_row for name in LAMBETH_FILES}
    assert rows["2011-01-payments.csv"] == 1  # no title
    assert rows["2011-02-payments.csv"] == 2  # " Sum of Invoice Nett Amount ," above
    assert rows["2011-10-payments.csv"] == 3  # and a blank line between
    assert rows["2012-06-payments.csv"] == 10  # under nine lines of report preamble


def test_lambeth_bare_cr_file_reads() -> None:
    reading = lambeth("2011-11-payments.csv")
    assert reading.layouts[0].header_row == 2
    first = reading.records[0]
    assert (first.row, first.supplier, first.amount) == (
        3,
        "Transport Trading Limited",
        Decimal("2837397.00"),
    )
    assert len(reading.records) == 909
    run_together = [p for p in reading.problems if p.column == "column C"]
    assert run_together and "rows run together" in run_together[0].reason


def test_lambeth_transactions_to_the_penny() -> None:
    """June 2012: 2,516 rows read; 639 damaged rows (an amount under £1,000 run into its
    date, "25/06/2012900") reported; and the money in them is exactly what the stated total
    has beyond the rows read."""
    name = "2012-06-payments.csv"
    reading = read_spend((LAMBETH / name).read_bytes())
    mapping = reading.layouts[0].mapping
    assert mapping.amount_kind is not None and mapping.amount_kind.value == "net"
    assert len(reading.records) == 2516
    damaged = sorted({p.row for p in reading.problems})
    assert len(damaged) == 639
    with (LAMBETH / name).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    in_damaged = sum((_run_in_amount(rows[n - 1]) for n in damaged), Decimal(0))
    [stated] = reading.totals
    assert stated.amount == reading.total() + in_damaged == Decimal("40292334.84")
    assert reading.records[0].fields["expense_type"] == "FLOATING SUPPORT SERVICES"


def _run_in_amount(cells: list[str]) -> Decimal:
    for cell in cells:
        if found := re.fullmatch(r".*\d\d/\d\d/\d{4}(\d+(?:\.\d+)?)", cell):
            return Decimal(found[1])
    return next(Decimal(cell) for cell in cells if re.fullmatch(r"\d+\.\d+", cell))
