"""Read the rows of an import file, whatever it is: CSV in UTF-8 or Windows-1252 with any
line ending (CR alone included), gzip-compressed CSV, or XLSX. Rows are numbered as a
spreadsheet shows them: the header is row 1."""

from __future__ import annotations

import codecs
import csv
import datetime
import gzip
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

XLSX_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"


class UnreadableFile(ValueError):
    pass


class TableFile:
    """An import file opened for reading; `rows()` streams it, so memory stays flat."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            magic = handle.read(4)
        self.is_xlsx = magic.startswith(XLSX_MAGIC)
        self.is_gzip = magic.startswith(GZIP_MAGIC)
        self.size = path.stat().st_size
        self._position: IO[bytes] | None = None
        self.encoding = "" if self.is_xlsx else self._detect_encoding()

    def _binary(self) -> IO[bytes]:
        return gzip.open(self.path, "rb") if self.is_gzip else self.path.open("rb")

    def fraction_read(self) -> float:
        """How far `rows()` has got through the file, for progress bars."""
        handle = self._position
        if handle is None or self.size == 0:
            return 0.0
        if handle.closed:
            return 1.0
        return min(1.0, handle.tell() / self.size)

    def _detect_encoding(self) -> str:
        """UTF-8 if every byte decodes as UTF-8, else Windows-1252 (what Excel saves)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            with self._binary() as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
        except (OSError, EOFError) as error:
            raise UnreadableFile(f"the file cannot be read: {error}") from error
        return "utf-8-sig"

    def rows(self) -> Iterator[tuple[int, Sequence[str]]]:
        source = self._xlsx_rows() if self.is_xlsx else self._csv_rows()
        for number, row in enumerate(source, start=1):
            if any(cell.strip() for cell in row):
                yield number, row

    def _csv_rows(self) -> Iterator[list[str]]:
        # newline="" lets csv see bare CR line endings (old Mac files) as rows.
        with self.path.open("rb") as disk:
            self._position = disk
            raw: IO[bytes] = gzip.GzipFile(fileobj=disk) if self.is_gzip else disk
            text = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")
            try:
                yield from csv.reader(text)
            except csv.Error as error:
                raise UnreadableFile(f"not a readable CSV file: {error}") from error

    def _xlsx_rows(self) -> Iterator[list[str]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
        try:
            sheet = book.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield [_cell_text(value) for value in values]
        finally:
            book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
