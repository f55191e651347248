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
SYNONYMS = frozenset(synonym for synonyms in ROLES.values() for synonym in synonyms)


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
    folded = {i: fold_header(n) for i, n in enumerate(names)}
    headings = {i: f for i, f in folded.items() if f in SYNONYMS}
    _refuse_repeated(names, headings, "repeat one heading")
    columns = _role_columns(names)
    if "indicator" not in columns and not has_indicator:
        raise LayoutError(
            "no indicator column (indicator, indicator code, short desc...): "
            "add one or name the indicator for the whole file"
        )
    used = set(columns.values())
    periods = tuple(i for i, n in enumerate(names) if i not in used and n and is_period(n))
    if all(role in columns for role in LONG_REQUIRED):
        _refuse_period_columns(names, periods)
        return Layout("long", names, columns, ())
    if "authority" not in columns:
        raise LayoutError("no authority column (authority, area code, ONS code, la name...)")
    if not periods:
        raise LayoutError(
            "neither layout: a long file needs period and value columns, "
            "a wide file needs one column per period (2018/19, 2019/20...)"
        )
    labels = {i: " ".join(names[i].casefold().split()) for i in periods}
    _refuse_repeated(names, labels, "name the same period")
    wide = {role: i for role, i in columns.items() if role in ("authority", "indicator")}
    return Layout("wide", names, wide, periods)


def column_letter(index: int) -> str:
    """The spreadsheet name of a column: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _refuse_repeated(names: Sequence[str], keys: dict[int, str], complaint: str) -> None:
    """Two columns with one meaning (equal `keys`) would leave which value counts to chance:
    refuse them, naming both, rather than silently read one."""
    seen: dict[str, int] = {}
    for index, key in keys.items():
        if key in seen:
            first = seen[key]
            raise LayoutError(
                f"columns {column_letter(first)} and {column_letter(index)} "
                f"({names[first]!r} and {names[index]!r}) {complaint}: "
                "remove or rename one of them"
            )
        seen[key] = index


def _refuse_period_columns(names: Sequence[str], periods: Sequence[int]) -> None:
    """A long file takes its periods from its period column; columns headed like periods
    beside it would be ignored, so the file is refused rather than half read."""
    if periods:
        listed = ", ".join(f"{names[i]!r} (column {column_letter(i)})" for i in periods)
        raise LayoutError(
            f"a long file (period and value columns) with columns headed like periods: "
            f"{listed}. Remove them, or use the wide layout with no period and value columns"
        )


def _role_columns(names: Sequence[str]) -> dict[str, int]:
    folded = [fold_header(n) for n in names]
    columns: dict[str, int] = {}
    for role, synonyms in ROLES.items():
        for synonym in synonyms:  # earlier synonyms win: "area code" before "area"
            if synonym in folded and folded.index(synonym) not in columns.values():
                columns[role] = folded.index(synonym)
                break
    return columns
