"""Read the rows of an import file, whatever it is: CSV in UTF-8 or Windows-1252 with any
line ending (CR alone included), gzip-compressed CSV, or XLSX. Rows are numbered as a
spreadsheet shows them: the header is row 1.

The file may be hostile. What it expands to is bounded before it is expanded where the
format says (a zip's directory, a gzip's trailer) and counted while it streams where it
does not, so a zip or gzip bomb is refused in the time it takes to read a few megabytes;
rows, columns and the length of one row are bounded too. See `Limits`."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from .layouts import column_letter
from .limits import Limits, UnreadableFile
from .workbooks import FormulaCell, workbook_rows

XLSX_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"
# One row of text, however many lines its quoted cells span: far above any real row (1,000
# columns of 1,000 characters), far below what would exhaust memory.
MAX_ROW_CHARS = 1 << 20

CellRefusal = Callable[[int, str, str, str], None]  # row, column, value, reason

__all__ = ["CellRefusal", "Limits", "TableFile", "UnreadableFile"]


class TableFile:
    """An import file opened for reading; `rows()` streams it, so memory stays flat.
    A cell that cannot be read (a formula with no saved value) is passed to `refuse_cell`
    with its row and column; with no `refuse_cell` it makes the whole file unreadable."""

    def __init__(
        self, path: Path, limits: Limits | None = None, refuse_cell: CellRefusal | None = None
    ) -> None:
        self.path = path
        self.limits = limits or Limits.from_settings()
        self.refuse_cell = refuse_cell
        with path.open("rb") as handle:
            magic = handle.read(4)
        self.is_xlsx = magic.startswith(XLSX_MAGIC)
        self.is_gzip = magic.startswith(GZIP_MAGIC)
        self.size = path.stat().st_size
        self._position: IO[bytes] | None = None
        self._header: Sequence[str] = ()
        if self.is_gzip:
            self._check_gzip_trailer()
        if self.is_xlsx:
            self._check_zip_directory()
        self.encoding = "" if self.is_xlsx else self._detect_encoding()

    def _binary(self, disk: IO[bytes]) -> IO[bytes]:
        if not self.is_gzip:
            return disk
        expanding = gzip.GzipFile(fileobj=disk)
        return io.BufferedReader(_Counted(expanding, self.limits, self.size))

    def fraction_read(self) -> float:
        """How far `rows()` has got through the file, for progress bars."""
        handle = self._position
        if handle is None or self.size == 0:
            return 0.0
        if handle.closed:
            return 1.0
        return min(1.0, handle.tell() / self.size)

    def _check_gzip_trailer(self) -> None:
        """A gzip file ends with its expanded size (modulo 4 GiB): refuse a bomb that says
        so before expanding a byte. One that lies is stopped while it streams."""
        if self.size >= 18:
            with self.path.open("rb") as handle:
                handle.seek(-4, io.SEEK_END)
                self.limits.check_expansion(int.from_bytes(handle.read(4), "little"), self.size)

    def _check_zip_directory(self) -> None:
        """An XLSX is a zip whose directory states each part's expanded size; reading a
        part never yields more than it states (zipfile checks), so this bounds them all."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                expanded = sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as error:
            raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
        self.limits.check_expansion(expanded, self.size)

    def _detect_encoding(self) -> str:
        """UTF-8 if every byte decodes as UTF-8, else Windows-1252 (what Excel saves)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with self.path.open("rb") as disk, self._binary(disk) as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
        except (OSError, EOFError, zlib.error) as error:
            raise UnreadableFile(f"the file cannot be read: {error}") from error
        return "utf-8-sig"

    def rows(self) -> Iterator[tuple[int, Sequence[str]]]:
        source = self._xlsx_rows() if self.is_xlsx else self._csv_rows()
        for number, row in source:
            if number > self.limits.rows + 1:  # the header is row 1
                raise UnreadableFile(self.limits.too_many_rows())
            if any(cell.strip() for cell in row):
                if not self._header:
                    self._header = row
                yield number, row

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        # newline="" lets csv see bare CR line endings (old Mac files) as rows.
        with self.path.open("rb") as disk:
            self._position = disk
            text = io.TextIOWrapper(
                self._binary(disk), encoding=self.encoding, errors="replace", newline=""
            )
            taken = [0]  # characters of the row csv is reading; the loop below resets it
            columns, number = self.limits.columns, 0
            try:
                for number, row in enumerate(csv.reader(_lines(text, taken)), start=1):
                    taken[0] = 0
                    if row and not row[-1].strip():
                        row = _trimmed(row)
                    if len(row) > columns:
                        self.limits.bound_columns(number, row)
                    yield number, row
            except _LongRow:
                raise UnreadableFile(
                    f"row {number + 1} is longer than {MAX_ROW_CHARS:,} characters; the limit "
                    f"is {MAX_ROW_CHARS:,} characters a row. Is it a CSV file?"
                ) from None
            except csv.Error as error:
                raise UnreadableFile(f"not a readable CSV file: {error}") from error
            except (OSError, EOFError, zlib.error) as error:
                raise UnreadableFile(f"the file cannot be read: {error}") from error

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        for number, cells in workbook_rows(self.path, self.limits):
            row = [cell if isinstance(cell, str) else self._refuse(number, cell) for cell in cells]
            yield number, row

    def _refuse(self, number: int, cell: FormulaCell) -> str:
        header = self._header
        name = header[cell.index] if cell.index < len(header) and header[cell.index] else ""
        column = name or f"column {column_letter(cell.index)}"
        if self.refuse_cell is None:
            raise UnreadableFile(f"row {number}, {column}: {cell.reason}")
        self.refuse_cell(number, column, cell.formula, cell.reason)
        return ""


class _Counted(io.RawIOBase):
    """A stream that counts what it expands to and stops at the limits, before the bytes
    past them are produced."""

    def __init__(self, inner: io.BufferedIOBase, limits: Limits, packed: int) -> None:
        self.inner, self.limits, self.packed, self.expanded = inner, limits, packed, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(buffer), 1 << 16))
        self.expanded += len(data)
        self.limits.check_expansion(self.expanded, self.packed)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def _lines(text: IO[str], taken: list[int]) -> Iterator[str]:
    """Feeds csv its lines, counting the characters of the row it is reading in `taken`, so
    one endless row (or a quoted cell running over many lines) is refused, not held."""
    while line := text.readline(MAX_ROW_CHARS + 1):
        taken[0] += len(line)
        if taken[0] > MAX_ROW_CHARS:
            raise _LongRow
        yield line


class _LongRow(Exception):
    """Raised where the row's number is not known; the reader names it."""


def _trimmed(row: list[str]) -> list[str]:
    """Without the empty cells at its end, which spreadsheets save by the hundred."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end] if end < len(row) else row
