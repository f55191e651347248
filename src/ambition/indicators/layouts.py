"""Recognise an import file's layout from its header: the long layout (one observation a
row) or the wide layout (one column per period). Pure: no database, no Django."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

ROLES: dict[str, tuple[str, ...]] = {
    "authority": (
        "authority",
        "authority code",
        "area code",
        "areacd",
        "ons code",
        "gss code",
        "la code",
        "local authority code",
        "la number",
        "new la code",
        "code",
        "local authority",
        "area",
        "la name",
        "area name",
        "la and regions",
        "authority name",
        "areanm",
    ),
    "indicator": ("indicator", "indicator code", "measure code", "short desc", "code indicator"),
    "period": ("period", "years", "year", "time period", "financial year", "date"),
    "value": ("value", "values", "observation", "obs value"),
    "status": ("status", "flag", "marker"),
    "lower": ("lower", "lci", "lci 95", "lower ci", "lower interval", "lower bound"),
    "upper": ("upper", "uci", "uci 95", "upper ci", "upper interval", "upper bound"),
    "restricted": ("restricted until", "private until", "embargo until"),
}
LONG_REQUIRED = ("authority", "period", "value")


def fold_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


class LayoutError(ValueError):
    """The header is not one we can read; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class Record:
    """One observation as the file states it, before anything is resolved."""

    row: int
    authority: str
    indicator: str
    period: str
    value: str
    status: str
    lower: str
    upper: str
    period_column: str  # the column the period came from, for error reports
    value_column: str
    restricted: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    kind: str  # "long" or "wide"
    header: tuple[str, ...]
    columns: dict[str, int]  # role -> column index
    period_columns: tuple[int, ...]  # wide layout: the columns that are periods

    def records(
        self, rows: Iterator[tuple[int, Sequence[str]]], indicator: str
    ) -> Iterator[Record]:
        if self.kind == "long":
            return self._long(rows, indicator)
        return self._wide(rows, indicator)

    def _cell(self, row: Sequence[str], role: str, default: str = "") -> str:
        index = self.columns.get(role)
        if index is None or index >= len(row):
            return default
        return row[index]

    def _long(self, rows: Iterator[tuple[int, Sequence[str]]], indicator: str) -> Iterator[Record]:
        names = self.header
        period_col, value_col = names[self.columns["period"]], names[self.columns["value"]]
        for number, row in rows:
            yield Record(
                number,
                self._cell(row, "authority"),
                self._cell(row, "indicator", indicator),
                self._cell(row, "period"),
                self._cell(row, "value"),
                self._cell(row, "status"),
                self._cell(row, "lower"),
                self._cell(row, "upper"),
                period_col,
                value_col,
                self._cell(row, "restricted"),
            )

    def _wide(self, rows: Iterator[tuple[int, Sequence[str]]], indicator: str) -> Iterator[Record]:
        for number, row in rows:
            authority = self._cell(row, "authority")
            code = self._cell(row, "indicator", indicator)
            for index in self.period_columns:
                value = row[index] if index < len(row) else ""
                name = self.header[index]
                yield Record(number, authority, code, name, value, "", "", "", name, name)


def detect_layout(
    header: Sequence[str], is_period: Callable[[str], bool], has_indicator: bool
) -> Layout:
    """Decide the layout. `is_period` says whether a header cell reads as a period;
    `has_indicator` whether the caller names the indicator for files without that column."""
    names = tuple(cell.strip() for cell in header)
    columns = _role_columns(names)
    if "indicator" not in columns and not has_indicator:
        raise LayoutError(
            "no indicator column (indicator, indicator code, short desc...): "
            "add one or name the indicator for the whole file"
        )
    if all(role in columns for role in LONG_REQUIRED):
        return Layout("long", names, columns, ())
    if "authority" not in columns:
        raise LayoutError("no authority column (authority, area code, ONS code, la name...)")
    used = set(columns.values())
    periods = tuple(i for i, n in enumerate(names) if i not in used and n and is_period(n))
    if not periods:
        raise LayoutError(
            "neither layout: a long file needs period and value columns, "
            "a wide file needs one column per period (2018/19, 2019/20...)"
        )
    wide = {role: i for role, i in columns.items() if role in ("authority", "indicator")}
    return Layout("wide", names, wide, periods)


def _role_columns(names: Sequence[str]) -> dict[str, int]:
    folded = [fold_header(n) for n in names]
    columns: dict[str, int] = {}
    for role, synonyms in ROLES.items():
        for synonym in synonyms:  # earlier synonyms win: "area code" before "area"
            if synonym in folded and folded.index(synonym) not in columns.values():
                columns[role] = folded.index(synonym)
                break
    return columns
