"""One row of a spending file to one canonical record, or to the problems that stop it:
each with the row as a spreadsheet numbers it, the column's heading, the value and why."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from ambition.indicators.periods import Period

from .decoding import repaired
from .fields import AmountKind, Field
from .mapping import Mapping
from .values import ValueRefused, is_redacted, parse_amount, parse_date, parse_spend_period

T = TypeVar("T")

NO_SUPPLIER = "there is no supplier: name it, or write REDACTED where it is withheld"
NO_DATE = "there is no date, and no period for the row or the file"


@dataclass(frozen=True, slots=True)
class Problem:
    sheet: str  # "" for a CSV file
    row: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class Record:
    sheet: str
    row: int
    amount: Decimal  # negative for a credit
    supplier: str  # as the file writes it (a wrong decoding undone)
    redacted: bool  # the publisher withheld the supplier's name
    date: date | None  # None where the file gives only a period
    period: Period | None  # the row's period, else the file's
    amount_kind: AmountKind | None = None
    fields: dict[str, str] = field(default_factory=dict)  # the other fields, as text


class Context:
    """What every row of one table shares, worked out once for all its rows."""

    def __init__(self, sheet: str, mapping: Mapping, period: Period | None, serials: bool) -> None:
        self.sheet, self.mapping, self.period = sheet, mapping, period
        self.serials = serials  # a workbook's dates may be Excel day numbers
        self.index = {name: index for index, name in mapping.fields.items()}
        self.others = [(i, name.value) for i, name in mapping.fields.items() if name not in APART]

    def problem(self, number: int, index: int | None, value: str, reason: str) -> Problem:
        label = self.mapping.labels[index] if index is not None else ""
        return Problem(self.sheet, number, label, value, reason)


def read_row(number: int, cells: list[str], context: Context) -> Record | list[Problem]:
    """The record in a row, or every problem that stops it."""
    found = _Found(number, cells, context)
    amount = found.parsed(Field.AMOUNT, parse_amount)
    day = found.day()
    period = found.parsed(Field.PERIOD, parse_spend_period, optional=True) or context.period
    supplier = found.supplier()
    if found.problems or amount is None:
        return found.problems
    others = {
        name: repaired_once(cells[i].strip()) for i, name in context.others if _filled(cells, i)
    }
    return Record(
        context.sheet, number, amount, supplier, redacted_once(supplier), day, period,
        context.mapping.amount_kind, others,
    )  # fmt: skip


class _Found:
    """The cells of one row, read field by field; each refusal becomes a problem."""

    __slots__ = ("cells", "context", "number", "problems")

    def __init__(self, number: int, cells: list[str], context: Context) -> None:
        self.number, self.cells, self.context = number, cells, context
        self.problems: list[Problem] = []

    def text(self, index: int | None) -> str:
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def parsed(self, wanted: Field, parse: Callable[[str], T], optional: bool = False) -> T | None:
        index = self.context.index.get(wanted)
        text = self.text(index)
        if optional and not text.strip():
            return None
        try:
            return parse(text)
        except ValueRefused as refusal:
            self.problems.append(self.context.problem(self.number, index, text, str(refusal)))
            return None

    def day(self) -> date | None:
        index = self.context.index.get(Field.DATE)
        text = self.text(index)
        if text.strip():
            try:
                return parse_date(text, self.context.serials)
            except ValueRefused as refusal:
                reason = str(refusal)
        elif self.context.period is None and not self.text(self.context.index.get(Field.PERIOD)):
            reason = NO_DATE
        else:
            return None
        self.problems.append(self.context.problem(self.number, index, text, reason))
        return None

    def supplier(self) -> str:
        index = self.context.index.get(Field.SUPPLIER)
        text = self.text(index).strip()
        if not text:
            self.problems.append(self.context.problem(self.number, index, text, NO_SUPPLIER))
        return repaired_once(text)


def _filled(cells: list[str], index: int) -> bool:
    return index < len(cells) and bool(cells[index].strip())


# Suppliers repeat through a file, and through a year of files: each is judged once.
redacted_once = functools.lru_cache(maxsize=1 << 16)(is_redacted)
repaired_once = functools.lru_cache(maxsize=1 << 16)(repaired)
# Fields with a place of their own in a record; the rest are kept as text in `fields`.
APART = (Field.AMOUNT, Field.DATE, Field.PERIOD, Field.SUPPLIER)
