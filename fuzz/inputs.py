"""What the fuzz targets feed the importer, the parsers and the API: a mix of what real
files hold, what careless files hold and what hostile ones do."""

from __future__ import annotations

import csv
import gzip
import io
from typing import Any

from hypothesis import strategies as st
from openpyxl import Workbook

AUTHORITIES = ["E09000022", "E09000028", "Lambeth", "LB Southwark", "E92000001", "X", ""]
PERIODS = [
    "2019", "2019/20", "2019-20", "2019 Q1", "2019-01-01/P1Y", "FY 2019/20", "AY 2019/20",
    "Jan 2019", "2019 (Rev)", "99999", "", "2019/2020", "0001", "2019-04/2020-03", "Q5 2019",
]  # fmt: skip
VALUES = [
    "12.5", "-1", "0", "100", "101", "1e27", "1e308", "1e309", "-1e309", "NaN", "inf", "-0",
    "x", ":", "..", "[c]", "", "1_000", "1,000", "50%", "=500+7.5", "[/bold]", "0x10", "½",
]  # fmt: skip
STATUSES = ["", "p", "r", "provisional", "suppressed", "missing", "x", "[/bold]"]
COLUMNS = ["authority", "indicator", "period", "value", "status", "lower", "upper"]

periods = st.one_of(st.sampled_from(PERIODS), st.text(max_size=30))
numbers = st.one_of(st.sampled_from(VALUES), st.text(max_size=20))


def cells(indicators: list[str]) -> st.SearchStrategy[str]:
    known = AUTHORITIES + indicators + PERIODS + VALUES + STATUSES
    return st.one_of(st.sampled_from(known), st.text(max_size=40))


@st.composite
def tables(draw: Any, indicators: list[str]) -> list[list[Any]]:
    """A header and rows, long or wide, with now and then a duplicate or stray column."""
    if draw(st.booleans()):
        header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=9))
    else:
        header = ["authority", "indicator", *draw(st.lists(periods, min_size=1, max_size=5))]
    if draw(st.booleans()):
        header.append(draw(st.text(max_size=10)))
    cell = st.one_of(cells(indicators), st.floats(), st.integers(), st.none())
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=8))
    return [header, *rows]


def as_csv(table: list[list[Any]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode(encoding, errors="replace")


def as_xlsx(table: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in table:
        # openpyxl refuses control characters in text: a real file could not hold them either
        sheet.append([_storable(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(c for c in value if c >= " " or c in "\t\n\r")
    return value


@st.composite
def uploads(draw: Any, indicators: list[str]) -> tuple[str, bytes]:
    """A file's name and bytes: CSV (UTF-8, Windows-1252), gzip, XLSX, or noise."""
    table = draw(tables(indicators))
    kind = draw(st.sampled_from(["utf-8", "cp1252", "gzip", "xlsx", "noise"]))
    if kind == "xlsx":
        return "fuzz.xlsx", as_xlsx(table)
    if kind == "gzip":
        return "fuzz.csv.gz", gzip.compress(as_csv(table, "utf-8"))
    if kind == "noise":
        prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\x1f\x8b", b"\xef\xbb\xbf"]))
        return draw(st.sampled_from(["fuzz.csv", "fuzz.xlsx", "fuzz.gz"])), prefix + draw(
            st.binary(max_size=400)
        )
    return "fuzz.csv", as_csv(table, kind)


json_numbers = st.one_of(
    st.floats(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([1e27, -1e27, 1e308, 0.0, -0.0, 5e-324]),
)
json_scalars = st.one_of(st.none(), st.booleans(), json_numbers, st.text(max_size=30))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
dates = st.one_of(
    st.dates().map(str), st.sampled_from(["1999-12-31", "2101-01-01", "2026-02-30", ""])
)
correction_bodies = st.fixed_dictionaries(
    {},
    optional={
        "value": st.one_of(json_numbers, json_values, st.sampled_from(VALUES)),
        "status": st.one_of(st.sampled_from(STATUSES), json_values),
        "lower": st.one_of(json_numbers, json_values),
        "upper": st.one_of(json_numbers, json_values),
        "restricted_until": st.one_of(dates, json_values),
        "reason": st.one_of(st.text(max_size=60), json_values),
    },
)
