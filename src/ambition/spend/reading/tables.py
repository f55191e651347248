"""A file's text or workbook to tables: rows of text cells, each row with its number as a
spreadsheet shows it (the first line of a CSV file is row 1, whatever the header turns out
to be). A CSV file is one table; an XLSX workbook is one table per worksheet. Empty rows
are left out, but the numbers of the others stay as the file has them."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ambition.indicators.limits import UnreadableFile

from .decoding import EXPANDED_LIMIT, decoded

XLSX_MAGIC = b"PK\x03\x04"

Row = tuple[int, list[str]]

__all__ = ["Row", "Table", "UnreadableFile", "tables"]


@dataclass(frozen=True, slots=True)
class Table:
    sheet: str  # the worksheet's name; "" for a CSV file
    rows: list[Row]
    # A workbook's numbers are numbers, so a date may be an Excel serial day; a CSV's are text.
    from_workbook: bool = False


def tables(data: bytes, limit: int = EXPANDED_LIMIT) -> list[Table]:
    """The tables of a CSV file (plain or gzip) or an XLSX workbook."""
    if data.startswith(XLSX_MAGIC):
        return _workbook_tables(data, limit)
    return [Table("", _csv_rows(decoded(data, limit)))]


def _csv_rows(text: str) -> list[Row]:
    # newline="" hands csv every line ending as written, so it sees bare CRs as rows too.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:  # a record whose quoted cells span lines is still one row in a spreadsheet
        records = list(reader)
    except csv.Error as error:
        raise UnreadableFile(f"not a readable CSV file: {error}") from error
    # Most rows end in a filled cell: only the others are trimmed, a call saved a row.
    return [
        (number, cells)
        for number, row in enumerate(records, start=1)
        if (cells := row if row and row[-1] and not row[-1].isspace() else _trimmed(row))
    ]


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
