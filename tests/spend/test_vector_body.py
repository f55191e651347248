"""The column-wise read of a file's body gives what the row-by-row read gives: the same
records (amounts to the penny and to the places written), the same problems (row, column,
value, reason), the same stated totals and notes, on bodies generated from every way the
parsers' own tests write amounts and dates, and from cells they refuse."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ambition.indicators.periods import parse_period
from ambition.spend.reading import Reading, read_spend
from ambition.spend.reading.bodies import ArrowBody
from ambition.spend.reading.frame import frame_of, records_of
from ambition.spend.reading.tables import tables

from .test_amounts import AMOUNTS, styles
from .test_dates_periods import DAYS, written

HEADER = ["Supplier", "Amount", "Payment Date", "Period", "Description", "Company Number"]
ODD_AMOUNTS = [
    "", " ", "12,34", "1,2345.00", "£-(12)", "(-12)", "--12", "12--", "(0.00)", "-£0.00",
    "-0.00", "1e5", "$12", "12.00 CR", "CR 1.00", "GBP 3", "£ 12", " 12 ", "\t12.5\t",
    "1234567890123456789012345678901.5", "(1234567890123456789012345678901)", "12.345",
    "99999999999999999", "+£7", "£+7", "\uff11\uff12", "12-)", "(12", "12)",
]  # fmt: skip
ODD_DATES = ["", " ", "31/02/2015", "2015-13-01", "41366", "1/1/1980", "yesterday", "2015-04-02x"]
PERIODS = ["", "", "", "April 2015", "P01 2015/16", "Q1 2015/16", "2011-12", "July 2015-Sep 2015"]
SUPPLIERS = [
    "Acme Ltd", "ACME LTD", "REDACTED", "Redacted - personal data", "Individual", "Total",
    "Grand total", "Total Hygiene Ltd", "", "  ", " Spaced Ltd ", "Children\x92s Trust",
    "DU PR\u00c3\x89 PLC", "*****", "Caf\u00e9 \u00a3 Ltd", "\u00a0Nbsp Ltd", "x\x1c",
]  # fmt: skip
TEXTS = ["", "", "books", " padded ", "Children\x92s services", "\u2003", "12345678"]


@st.composite
def amounts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(styles(draw(AMOUNTS))))
    return draw(st.sampled_from(ODD_AMOUNTS))


@st.composite
def days(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)):
        return draw(st.sampled_from(written(draw(DAYS))))
    return draw(st.sampled_from(ODD_DATES))


@st.composite
def rows(draw: st.DrawFn) -> list[str]:
    kind = draw(st.integers(0, 9))
    if kind == 0:  # a blank row, a note, a total with its amount, a row run long
        return draw(st.sampled_from([[], ["", " "], ["-----"], ["A note"], ["", "", "n"]]))
    if kind == 1:
        return ["Total", draw(amounts())]
    cells = [
        draw(st.sampled_from(SUPPLIERS)),
        draw(amounts()),
        draw(days()),
        draw(st.sampled_from(PERIODS)),
        draw(st.sampled_from(TEXTS)),
        draw(st.sampled_from(TEXTS)),
    ]
    if kind == 2:
        cells += draw(st.lists(st.sampled_from(["", "stray", " "]), min_size=1, max_size=2))
    return cells[: draw(st.integers(2, len(cells)))] if kind == 3 else cells


def body(lines: list[list[str]]) -> bytes:
    handle = io.StringIO()
    out = csv.writer(handle, lineterminator="\r\n")
    out.writerow(HEADER)
    out.writerows(lines)
    return handle.getvalue().encode("utf-8")


def same(columns: Reading, by_row: Reading) -> None:
    assert columns.layouts == by_row.layouts  # the same header, widths and mapping
    assert columns.records == by_row.records
    assert [str(r.amount) for r in columns.records] == [str(r.amount) for r in by_row.records]
    assert columns.total() == by_row.total()
    assert columns.problems == by_row.problems
    assert columns.totals == by_row.totals
    assert columns.notes == by_row.notes


@settings(max_examples=150)
@given(st.lists(rows(), max_size=40), st.booleans())
def test_the_columns_read_what_the_rows_read(lines: list[list[str]], given_period: bool) -> None:
    data = body(lines)
    period = parse_period("2015/16") if given_period else None
    same(read_spend(data, period=period), read_spend(data, period=period, by_row=True))


@settings(max_examples=50)
@given(st.lists(amounts(), min_size=1, max_size=60), st.lists(days(), min_size=1, max_size=60))
def test_every_amount_and_date_reads_the_same_both_ways(
    written_amounts: list[str], written_days: list[str]
) -> None:
    lines = [
        ["Acme Ltd", amount, written_days[i % len(written_days)], "", "", ""]
        for i, amount in enumerate(written_amounts)
    ]
    data = body(lines)
    same(read_spend(data), read_spend(data, by_row=True))


def test_a_large_body_reads_the_same_and_to_the_penny() -> None:
    lines = [
        ["Acme Ltd" if i % 7 else "REDACTED", f"({i:,}.{i % 100:02d})" if i % 5 == 0
         else f"£{i}.{i % 100:02d}", f"{1 + i % 28:02d}/04/2015", "", "", ""]
        for i in range(1, 5001)
    ]  # fmt: skip
    lines.insert(2500, ["Total", "1.00"])
    lines.insert(100, ["A note in the data"])
    data = body(lines)
    columns, by_row = read_spend(data), read_spend(data, by_row=True)
    same(columns, by_row)
    assert len(columns.records) == 5000
    assert len(columns.problems) == 2  # the note inside the data: no amount, no date
    expected = sum(
        (-1 if i % 5 == 0 else 1) * Decimal(f"{i}.{i % 100:02d}") for i in range(1, 5001)
    )
    assert columns.total() == expected


@given(st.lists(rows(), max_size=30))
def test_records_survive_the_frame(lines: list[list[str]]) -> None:
    records = read_spend(body(lines), period=parse_period("2015/16"), by_row=True).records
    assert records_of(frame_of(records)) == records
    assert [r.date for r in records_of(frame_of(records))] == [r.date for r in records]


def test_an_empty_body_reads_nothing() -> None:
    reading = read_spend(body([]))
    assert reading.records == [] and reading.problems == [] and reading.frame.height == 0
    reading = read_spend(body([["A", "1", "02/04/2015"], [""], ["Total", "1"]]))
    assert reading.records[0].date == date(2015, 4, 2)
    assert [total.amount for total in reading.totals] == [1]


@settings(max_examples=100)
@given(st.lists(rows(), max_size=40), st.booleans(), st.integers(2, len(HEADER)))
def test_a_body_of_even_rows_is_read_by_arrow_as_the_rows_read(
    lines: list[list[str]], given_period: bool, width: int
) -> None:
    """Rows all of one width, the header's or less (blank ones, notes and totals padded
    out, as a spreadsheet saves them): the body goes to Arrow, and reads as row by row."""
    even = [[*cells, *[""] * (width - len(cells))][:width] for cells in lines]
    data = body(even)
    [table] = tables(data)
    assert isinstance(table.body(0), ArrowBody) or not lines
    period = parse_period("2015/16") if given_period else None
    same(read_spend(data, period=period), read_spend(data, period=period, by_row=True))
