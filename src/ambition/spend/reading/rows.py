"""The whole read: a spending file's bytes to a `Reading` of canonical records and the
problems of the rows that could not be read. Nothing is half-read: every row is a record,
a problem, a total the file states, or skipped as blank or as a note after the data; the
caller decides what to keep. Where the mapping of columns is ambiguous, no row is read
at all, and the Reading says what a person must decide."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from ambition.indicators.layouts import column_letter
from ambition.indicators.periods import Period

from .bodies import Body
from .body import read_columns
from .decoding import EXPANDED_LIMIT
from .fields import Field
from .frame import concatenated, frame_of, records_of
from .headers import NoHeader, find_header
from .mapping import Ambiguity, Mapping, SavedMapping, labels_of, map_columns
from .records import Context, Problem, Record, read_row
from .tables import Row, Table, tables
from .values import ValueRefused, is_blank, is_total, parse_amount

MAPPING_SAMPLE = 1000  # rows whose values inform the mapping
STRAY = "{count} value(s) beyond the last column: are cells shifted, or rows run together?"


@dataclass(frozen=True, slots=True)
class StatedTotal:
    """A total the file states; a check on the records, never one of them."""

    sheet: str
    row: int
    label: str
    amount: Decimal | None  # None where it cannot be read


@dataclass(frozen=True, slots=True)
class Layout:
    """How one table was read: where its header is and what each column became."""

    sheet: str
    header_row: int
    mapping: Mapping


def ambiguities_of(layouts: list[Layout]) -> list[tuple[str, Ambiguity]]:
    """What a person must decide before the rows of a sheet can be read."""
    return [(layout.sheet, a) for layout in layouts for a in layout.mapping.ambiguities]


@dataclass
class Reading:
    # The records, a frame for each table read (`frame.SCHEMA`); `records` as objects.
    tables: list[pl.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    layouts: list[Layout] = field(default_factory=list)
    totals: list[StatedTotal] = field(default_factory=list)
    notes: list[tuple[str, int]] = field(default_factory=list)  # (sheet, row) skipped as notes
    unread_sheets: list[str] = field(default_factory=list)  # worksheets with no header

    @property
    def ambiguities(self) -> list[tuple[str, Ambiguity]]:
        return ambiguities_of(self.layouts)

    @functools.cached_property
    def frame(self) -> pl.DataFrame:
        """Every record, in the order of the tables and their rows."""
        return concatenated(self.tables)

    @functools.cached_property
    def records(self) -> list[Record]:
        return records_of(self.frame)

    def total(self) -> Decimal:
        return sum((record.amount for record in self.records), Decimal(0))


def read_spend(
    data: bytes,
    saved: SavedMapping | None = None,
    period: Period | None = None,
    limit: int = EXPANDED_LIMIT,
    *,
    by_row: bool = False,
) -> Reading:
    """Read a spending file (CSV, gzip-compressed CSV or XLSX). `saved` is a confirmed
    mapping, applied where the headings match; `period` is the whole file's, for files
    whose rows give none. NoHeader (an UnreadableFile) when no table has a header.
    `by_row` reads every row of a CSV file by Python's csv, and every row one by one, cell
    by cell: the reference the read by Arrow and by columns is tested against, and the
    same result, slower."""
    reading = Reading()
    read_body = _read_body_by_row if by_row else _read_body
    with _uncollected():
        for table in tables(data, limit, whole=by_row):
            try:
                _read_table(table, reading, saved, period, read_body)
            except NoHeader:
                if not table.from_workbook:
                    raise
                reading.unread_sheets.append(table.sheet)
    if not reading.layouts:
        raise NoHeader("no worksheet has a header row naming at least two spend fields")
    return reading


BodyReader = Callable[[Body, Context, Reading], None]


@contextlib.contextmanager
def _uncollected() -> Iterator[None]:
    """Python's cycle collector held off: a file's rows are millions of lists of strings,
    which hold no cycles, and the collector's passes over them find nothing but cost a
    third of the read. Reference counting frees everything as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_table(
    table: Table,
    reading: Reading,
    saved: SavedMapping | None,
    period: Period | None,
    read_body: BodyReader,
) -> None:
    header = find_header(table.rows)
    body = table.body(header.index)
    width = body.width(len(header.headings))
    labels = labels_of(header.headings, width)
    mapping = map_columns(labels, body.sample(MAPPING_SAMPLE, width), saved, period is not None)
    reading.layouts.append(Layout(table.sheet, header.number, mapping))
    if not mapping.ambiguities:
        read_body(body, Context(table.sheet, mapping, period, table.from_workbook), reading)


def _read_body(body: Body, context: Context, reading: Reading) -> None:
    """The rows the columns settle read at once; every other row one by one, in order."""
    columns = read_columns(body, context)
    records: list[Record] = []
    for position in _sorted_out(body, columns.rest, columns.last_read, context, reading):
        _read_one(body[position], context, reading, records)
    found = pl.concat([columns.frame, frame_of(records)], how="vertical")
    reading.tables.append(found.sort("row") if records else found)


def _sorted_out(
    body: Body, rest: list[int], last_read: int, context: Context, reading: Reading
) -> list[int]:
    """Of the rows the columns did not settle, those to read one by one: the blank rows
    skipped, totals and trailing notes kept aside, as `_read_body_by_row` does."""
    supplier, amount = context.index.get(Field.SUPPLIER), context.index.get(Field.AMOUNT)
    data: list[int] = []
    held: list[int] = []  # one-cell rows: notes if no data follows them, else problems
    for position in rest:
        number, cells = body[position]
        if is_blank(cells):
            continue
        if is_total(cells, supplier):
            reading.totals.append(_stated_total(context, number, cells))
        elif _is_note(cells, amount):
            held.append(position)
        else:
            data.append(position)
    last = max(last_read, data[-1] if data else -1)
    reading.notes.extend((context.sheet, body[p][0]) for p in held if p > last)
    return sorted([*data, *(p for p in held if p < last)])


def _read_body_by_row(body: Body, context: Context, reading: Reading) -> None:
    supplier, amount = context.index.get(Field.SUPPLIER), context.index.get(Field.AMOUNT)
    records: list[Record] = []
    held: list[Row] = []  # one-cell rows: notes if nothing follows them, else problems
    for number, cells in body:
        if is_blank(cells):
            continue
        if is_total(cells, supplier):
            reading.totals.append(_stated_total(context, number, cells))
        elif _is_note(cells, amount):
            held.append((number, cells))
        else:
            for row in [*held, (number, cells)]:
                _read_one(row, context, reading, records)
            held.clear()
    reading.notes.extend((context.sheet, number) for number, _ in held)
    reading.tables.append(frame_of(records))


def _read_one(row: Row, context: Context, reading: Reading, records: list[Record]) -> None:
    number, cells = row
    width = len(context.mapping.labels)
    outcome = read_row(number, cells, context)
    if isinstance(outcome, Record):
        records.append(outcome)
    else:
        reading.problems.extend(outcome)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        reading.problems.append(_stray(context, number, cells[width:], width))


def _is_note(cells: list[str], amount: int | None) -> bool:
    """A row with one filled cell and no amount: a note, if no data follows it."""
    if amount is not None and amount < len(cells) and cells[amount].strip():
        return False
    return sum(1 for cell in cells if cell.strip()) == 1


def _stated_total(context: Context, number: int, cells: list[str]) -> StatedTotal:
    label = next(cell.strip() for cell in cells if cell.strip())
    index = context.mapping.column(Field.AMOUNT)
    try:
        amount = parse_amount(cells[index]) if index is not None and index < len(cells) else None
    except ValueRefused:
        amount = None
    return StatedTotal(context.sheet, number, label, amount)


def _stray(context: Context, number: int, stray: list[str], width: int) -> Problem:
    first = next(i for i, cell in enumerate(stray) if cell.strip())
    shown = ",".join(stray[first:])
    shown = shown if len(shown) <= 100 else shown[:99] + "…"
    count = sum(1 for cell in stray if cell.strip())
    label = f"column {column_letter(width + first)}"
    return Problem(context.sheet, number, label, shown, STRAY.format(count=count))
