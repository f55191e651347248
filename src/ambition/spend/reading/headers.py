"""Find the header row under whatever a publisher puts above it: a title, notes, report
parameters, blank lines, even an SQL query. Each of the first rows is scored by how many
of its cells name canonical fields (one cell names one field at most, so a sentence or a
query listing many fields in one cell scores little), and how the rows below it look:
under a true header, the amount column holds amounts."""

from __future__ import annotations

from dataclasses import dataclass

from ambition.indicators.limits import UnreadableFile

from .fields import EXACT, Field, named_field
from .tables import Row
from .values import ValueRefused, parse_amount

PREAMBLE_LIMIT = 60  # rows searched for the header; no report puts more above it
LOOK_BELOW = 5  # data rows looked at under each candidate
MINIMUM = 2 * EXACT * 0.7  # two fields named, at least loosely

NO_HEADER = (
    "no header row was found in the first {limit} rows: the header names at least two of "
    "the fields, such as Supplier, Amount and Date"
)


class NoHeader(UnreadableFile):
    pass


@dataclass(frozen=True, slots=True)
class Header:
    index: int  # its position in the table's rows
    number: int  # its row number, as a spreadsheet shows it
    headings: list[str]


def find_header(rows: list[Row]) -> Header:
    """The header row of a table's rows, or NoHeader."""
    scores = [(_score(rows, index), index) for index in range(min(len(rows), PREAMBLE_LIMIT))]
    best, index = max(scores, key=lambda pair: (pair[0], -pair[1]), default=(0.0, 0))
    if best < MINIMUM:
        raise NoHeader(NO_HEADER.format(limit=PREAMBLE_LIMIT))
    number, headings = rows[index]
    return Header(index, number, headings)


def _score(rows: list[Row], index: int) -> float:
    named = _named(rows[index][1])
    total = sum(named.values())
    if total < MINIMUM:
        return total
    return total + _below(rows[index + 1 : index + 1 + LOOK_BELOW], rows[index][1])


def _named(cells: list[str]) -> dict[Field, float]:
    strongest: dict[Field, float] = {}
    for cell in cells:
        if naming := named_field(cell):
            strongest[naming.field] = max(strongest.get(naming.field, 0.0), naming.strength)
    return strongest


def _below(below: list[Row], headings: list[str]) -> float:
    """Up to one point more for a header whose amount column holds amounts beneath it."""
    columns = [i for i, cell in enumerate(headings) if _names_amount(cell)]
    if not below or not columns:
        return 0.0
    return sum(_has_amount(cells, columns) for _, cells in below) / len(below)


def _names_amount(cell: str) -> bool:
    naming = named_field(cell)
    return naming is not None and naming.field is Field.AMOUNT


def _has_amount(cells: list[str], columns: list[int]) -> bool:
    for column in columns:
        try:
            parse_amount(cells[column] if column < len(cells) else "")
        except ValueRefused:
            continue
        return True
    return False
