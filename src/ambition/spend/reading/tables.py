"""A file's text or workbook to tables: rows of text cells, each row with its number as a
spreadsheet shows it (the first line of a CSV file is row 1, whatever the header turns out
to be). A CSV file is one table; an XLSX workbook is one table per worksheet. Empty rows
are left out, but the numbers of the others stay as the file has them.

A CSV table is read in two parts: its first `HEAD` rows by Python's csv, where the header
is looked for, and the body under the header once it is found, by Arrow where it can
(`bodies.arrow_body`), else by Python's csv too. `whole=True` reads every row by Python's
csv at once: the reference the two parts are tested against."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ambition.indicators.limits import UnreadableFile

from .bodies import Body, Row, RowBody, arrow_body
from .decoding import EXPANDED_LIMIT, text_and_bytes

XLSX_MAGIC = b"PK\x03\x04"
# The rows of a CSV file read before its body: more than the header is looked for in
# (`headers.PREAMBLE_LIMIT` rows, and `LOOK_BELOW` under the last of them).
HEAD = 100
_HEAD_TEXT = 1 << 16  # the text the head is first looked for in: far more than HEAD rows

__all__ = ["Row", "Table", "UnreadableFile", "tables"]


@dataclass(frozen=True, slots=True)
class Table:
    sheet: str  # the worksheet's name; "" for a CSV file
    rows: list[Row]  # every row; a CSV table read in two parts, its first HEAD rows
    # A workbook's numbers are numbers, so a date may be an Excel serial day; a CSV's are text.
    from_workbook: bool = False
    # A CSV table read in two parts: its text, where each of its `rows` ends in it, and
    # the text's UTF-8 bytes where the file held them so.
    text: str | None = None
    ends: list[int] = field(default_factory=list)
    utf8: bytes | None = None

    def body(self, header: int) -> Body:
        """The rows under the row at position `header` of `rows`."""
        if self.text is None:
            return RowBody(self.rows[header + 1 :])
        end, first = self.ends[header], self.rows[header][0] + 1
        if self.utf8 is not None:  # the body's bytes, where the head's end in bytes
            columns = arrow_body(self.utf8, len(self.text[:end].encode("utf-8")), first)
        else:
            columns = arrow_body(self.text[end:].encode("utf-8"), 0, first)
        return columns if columns is not None else RowBody(_csv_rows(self.text[end:], first))


def tables(data: bytes, limit: int = EXPANDED_LIMIT, *, whole: bool = False) -> list[Table]:
    """The tables of a CSV file (plain or gzip) or an XLSX workbook."""
    if data.startswith(XLSX_MAGIC):
        return _workbook_tables(data, limit)
    text, utf8 = text_and_bytes(data, limit)
    return [Table("", _csv_rows(text)) if whole else _csv_head(text, utf8)]


def _csv_rows(text: str, first: int = 1) -> list[Row]:
    # newline="" hands csv every line ending as written, so it sees bare CRs as rows too.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:  # a record whose quoted cells span lines is still one row in a spreadsheet
        records = list(reader)
    except csv.Error as error:
        raise UnreadableFile(f"not a readable CSV file: {error}") from error
    # Most rows end in a filled cell: only the others are trimmed, a call saved a row.
    return [
        (number, cells)
        for number, row in enumerate(records, start=first)
        if (cells := row if row and row[-1] and not row[-1].isspace() else _trimmed(row))
    ]


def _csv_head(text: str, utf8: bytes | None) -> Table:
    """A CSV table's first HEAD rows, each with where it ends in the text: read from the
    text's first lines, or from all of it where they do not hold HEAD whole rows."""
    cut = max(text.rfind("\n", 0, _HEAD_TEXT), text.rfind("\r", 0, _HEAD_TEXT)) + 1
    if len(text) > _HEAD_TEXT and cut:
        rows, ends = _head_rows(text[:cut])
        if len(rows) == HEAD and ends[-1] < cut:  # the last row surely ended in the lines
            return Table("", rows, text=text, ends=ends, utf8=utf8)
    rows, ends = _head_rows(text)
    return Table("", rows, text=text, ends=ends, utf8=utf8)


def _head_rows(text: str) -> tuple[list[Row], list[int]]:
    consumed = 0

    def lines() -> Iterator[str]:  # csv asks for a line only when its row needs one
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    rows: list[Row] = []
    ends: list[int] = []
    try:
        for number, row in enumerate(csv.reader(lines()), start=1):
            if cells := _trimmed(row):
                rows.append((number, cells))
                ends.append(consumed)
                if len(rows) == HEAD:
                    break
    except csv.Error as error:
        raise UnreadableFile(f"not a readable CSV file: {error}") from error
    return rows, ends


def _trimmed(row: list[str]) -> list[str]:
    """Without the empty cells at its end, which spreadsheets save by the hundred."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def _workbook_tables(data: bytes, limit: int) -> list[Table]:
    _check_zip(data, limit)
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    try:
        return [Table(sheet.title, list(_sheet_rows(sheet)), True) for sheet in book.worksheets]
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    finally:
        book.close()


def _check_zip(data: bytes, limit: int) -> None:
    """A zip states each part's expanded size, and reading a part never yields more than
    it states (zipfile checks), so the sum bounds what the workbook can expand to."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            stated = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    if stated > limit:
        raise UnreadableFile(f"the workbook expands to more than {limit >> 20:,} MB")


def _sheet_rows(sheet: Any) -> Iterator[Row]:
    # A sheet's stated size may be forged (or merely wrong): without it, openpyxl reads only
    # the cells the sheet holds rather than padding every row out to the stated width.
    sheet.reset_dimensions()
    for cells in sheet.iter_rows():
        texts = _trimmed([_text(cell.value) for cell in cells])
        if texts:
            yield next(cell.row for cell in cells if getattr(cell, "row", None)), texts


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # The shortest text that reads back as the same float: what the sheet shows.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)
