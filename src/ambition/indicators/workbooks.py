"""The rows of an XLSX workbook's first sheet, as text. A formula is never evaluated: its
value is the one the spreadsheet program saved beside it, and a formula saved with none
(as a script writes one) is handed back as a `FormulaCell` to be refused, never read as
an empty cell. The sheet's stated size is ignored, so a forged one pads nothing."""

from __future__ import annotations

import datetime
import functools
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from .limits import Limits, UnreadableFile

NO_SAVED_VALUE = (
    "a formula with no saved value: open and save the file in a spreadsheet program, "
    "or paste values"
)
STRING_TYPES = ("s", "str", "inlineStr")  # an empty saved string is a value


@dataclass(frozen=True, slots=True)
class FormulaCell:
    index: int  # 0 is column A
    formula: str
    reason: str = NO_SAVED_VALUE


def workbook_rows(path: Path, limits: Limits) -> Iterator[tuple[int, list[str | FormulaCell]]]:
    """Each row with a cell in it, with its number as the spreadsheet shows it. Only call
    this once the zip's stated sizes have been checked: opening the workbook reads its
    shared strings whole."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    try:
        yield from _sheet_rows(book, limits)
    except UnreadableFile:
        raise
    except (
        ValueError,
        KeyError,
        IndexError,
        AttributeError,
        TypeError,
        ParseError,
        zipfile.BadZipFile,
        zlib.error,
    ) as error:  # a damaged sheet, or a chart sheet first
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    finally:
        book.close()


def _sheet_rows(book: Any, limits: Limits) -> Iterator[tuple[int, list[str | FormulaCell]]]:
    # openpyxl's read-only sheet pads every row to the sheet's stated size and cannot say
    # which cells held formulas, so its own parser is driven here, one row at a time.
    sheet = book.worksheets[0]
    with book._archive.open(sheet._worksheet_path) as source:
        parser = _parser_class()(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            yield number, _row(number, cells, limits)


def _row(number: int, cells: list[dict[str, Any]], limits: Limits) -> list[str | FormulaCell]:
    filled = [cell for cell in cells if cell["value"] is not None or cell.get("formula")]
    width = max((cell["column"] for cell in filled), default=0)
    if width > limits.columns:
        limits.bound_columns(number, [""] * width)
    row: list[str | FormulaCell] = [""] * width
    for cell in filled:
        index = cell["column"] - 1
        formula = cell.get("formula")
        row[index] = FormulaCell(index, formula) if formula else _cell_text(cell["value"])
    return row


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@functools.cache
def _parser_class() -> type:
    # openpyxl is imported when a workbook is first read, not when the site starts.
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class SavedValueParser(WorkSheetParser):  # type: ignore[misc]
        """Reads saved values (data_only) and marks the formulas that have none."""

        def parse_cell(self, element: Element) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            formula = element.find(FORMULA_TAG)
            saved = element.find(VALUE_TAG)
            unsaved = saved is None or (not saved.text and cell["data_type"] not in STRING_TYPES)
            if formula is not None and unsaved:
                cell["formula"] = "=" + (formula.text or "")
            return cell

    return SavedValueParser
