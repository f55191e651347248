"""A table's body: the rows under its header, each numbered as a spreadsheet numbers it,
with the empty cells at a row's end left out and the blank rows left out. Two kinds give
the same rows through one interface (`Body`):

- `RowBody`, the rows as Python's csv or a workbook gives them, a list of cells each;
- `ArrowBody`, a CSV body read by Arrow's CSV reader (in C++, on every core) straight
  into columns of text, for the files whose every line is one row of the same width. A
  body that is not (a row run short or long, a quoted line break, a NUL) is not read so:
  `arrow_body` says None, and the body is read by Python's csv as before.

What reads a body asks it for its width, a sample of its columns for the mapping, the
mapped columns as a frame, and single rows for those the columns do not settle."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any, Protocol

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as arrow_csv  # type: ignore[import-untyped]

Row = tuple[int, list[str]]

# A cell that holds something: a character Python's str.strip() keeps (Rust's \s lacks
# the separators \x1c-\x1f, which Python strips).
_FILLED = r"[^\s\x1c-\x1f]"
_LENGTH = "_length"  # a row's length without its empty end
_LINE_ENDS = b"\r\n"


class Body(Protocol):
    def __len__(self) -> int: ...

    def __getitem__(self, position: int) -> Row: ...

    def __iter__(self) -> Iterator[Row]: ...

    def width(self, headings: int) -> int:
        """The header's width, or the body's where two or more rows run past it (one row
        that does is a fault of that row, reported with it)."""
        ...

    def sample(self, count: int, width: int) -> list[list[str]]:
        """The first `count` rows' cells, column by column, "" past a row's end."""
        ...

    def cells(self, wanted: Iterable[int], width: int) -> pl.DataFrame:
        """The wanted columns as `c<i>` ("" past a row's end), `row` for the numbers and
        `stray` where a row has a cell past `width`."""
        ...


class RowBody:
    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, position: int) -> Row:
        return self.rows[position]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def width(self, headings: int) -> int:
        lengths = sorted(map(len, map(itemgetter(1), self.rows)))
        return max(headings, lengths[-2] if len(lengths) > 1 else 0)

    def sample(self, count: int, width: int) -> list[list[str]]:
        sample = self.rows[:count]
        return [[cells[i] if i < len(cells) else "" for _, cells in sample] for i in range(width)]

    def cells(self, wanted: Iterable[int], width: int) -> pl.DataFrame:
        height = len(self.rows)
        numbers = list(map(itemgetter(0), self.rows))
        columns = list(itertools.zip_longest(*map(itemgetter(1), self.rows), fillvalue=""))
        data: dict[str, Any] = {"row": pl.Series(numbers, dtype=pl.Int64)}
        for i in sorted(wanted):
            data[f"c{i}"] = pl.Series(
                columns[i] if i < len(columns) else [""] * height, dtype=pl.String
            )
        past = [pl.Series(column, dtype=pl.String) != "" for column in columns[width:]]
        data["stray"] = _any(past) if past else pl.repeat(False, height, eager=True)
        return pl.DataFrame(data)


def _any(masks: list[pl.Series]) -> pl.Series:
    found = masks[0]
    for mask in masks[1:]:
        found = found | mask
    return found


class ArrowBody:
    """A body as columns `f0`, `f1`, ... of text, with each row's number and its length
    without its empty end; the blank rows are already left out."""

    def __init__(self, frame: pl.DataFrame, columns: int) -> None:
        self.frame, self.columns = frame, columns

    def __len__(self) -> int:
        return self.frame.height

    def __getitem__(self, position: int) -> Row:
        number, length, *cells = self.frame.row(position)
        return number, list(cells[:length])

    def __iter__(self) -> Iterator[Row]:
        for number, length, *cells in self.frame.iter_rows():
            yield number, list(cells[:length])

    def width(self, headings: int) -> int:
        longest = self.frame.get_column(_LENGTH).top_k(2).to_list()
        return max(headings, longest[1] if len(longest) > 1 else 0)

    def sample(self, count: int, width: int) -> list[list[str]]:
        head = self.frame.head(count)
        return [
            head.select(self._cell(i)).to_series().to_list()
            if i < self.columns
            else [""] * head.height
            for i in range(width)
        ]

    def cells(self, wanted: Iterable[int], width: int) -> pl.DataFrame:
        return self.frame.select(
            "row",
            *[self._cell(i).alias(f"c{i}") for i in sorted(wanted)],
            (pl.col(_LENGTH) > width).alias("stray"),
        )

    def _cell(self, index: int) -> pl.Expr:
        if index >= self.columns:
            return pl.lit("", pl.String)
        return pl.when(pl.col(_LENGTH) > index).then(pl.col(f"f{index}")).otherwise(pl.lit(""))


def arrow_body(data: bytes, start: int, first: int) -> ArrowBody | None:
    """The body in `data[start:]` (a CSV file's UTF-8 bytes after its header row; the
    body's first line is row `first`) read by Arrow, or None where Arrow would not read it
    as Python's csv does: every line must be one row, all of one width, with no NUL."""
    end = len(data)
    while end > start and data[end - 1] in _LINE_ENDS:  # blank lines at the end: no rows
        end -= 1
    if end == start or data.find(b"\x00", start, end) >= 0:
        return None
    width = _first_width(data, start, end)
    if not width:
        return None
    names = [f"f{i}" for i in range(width)]
    try:
        table = arrow_csv.read_csv(
            pa.BufferReader(pa.py_buffer(memoryview(data)[start:end])),
            read_options=arrow_csv.ReadOptions(column_names=names),
            parse_options=arrow_csv.ParseOptions(ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:  # a row of another width, or a quote left open
        return None
    # Where no cell is quoted, no line break is in a cell: each line is a row. Else the
    # rows must be as many as the lines (bare CRs, LFs and CRLFs each end one).
    if data.find(b'"', start, end) >= 0:
        lines = (
            data.count(b"\n", start, end)
            + data.count(b"\r", start, end)
            - data.count(b"\r\n", start, end)
            + 1
        )
        if table.num_rows != lines:
            return None
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    length = pl.max_horizontal(
        [
            pl.when(pl.col(name).str.contains(_FILLED)).then(i + 1).otherwise(0)
            for i, name in enumerate(names)
        ]
    )
    frame = frame.select(
        pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("row"),
        length.cast(pl.Int64).alias(_LENGTH),
        *names,
    ).filter(pl.col(_LENGTH) > 0)
    return ArrowBody(frame, width)


def _first_width(data: bytes, start: int, end: int) -> int:
    """The cells in the body's first line, as Python's csv reads them; 0 where the line
    does not end its row (a quoted line break)."""
    breaks = [i for i in (data.find(b"\r", start, end), data.find(b"\n", start, end)) if i >= 0]
    line = data[start : min(breaks, default=end)].decode("utf-8", errors="replace")
    try:
        return len(next(csv.reader([line]), []))
    except csv.Error:
        return 0
