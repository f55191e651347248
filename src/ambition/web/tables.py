"""Every table a person sees can be downloaded as CSV, JSON, XLSX and Parquet from the same
view (`?format=csv|json|xlsx|parquet`): a view describes its table once and `respond` serves
it."""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "json", "xlsx", "parquet")
# How each format is named on a page's download links and in the data catalogue.
FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX", "parquet": "Parquet"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARQUET_TYPE = "application/vnd.apache.parquet"
# An Excel sheet name is at most 31 characters.
SHEET_NAME_LENGTH = 31

# A spreadsheet reads a cell that begins with one of these as a formula (OWASP's CSV
# injection list); such text is written with a leading quote so it stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that is only a number (`-3.5`, `+2`, `1e-3`) cannot run anything: it stays a number.
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as written and never evaluates: every download
    that a person may open in Excel or LibreOffice writes its cells through this."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value  # numbers (negative ones too), dates and booleans are written as they are
    text = str(value)  # a model or a lazy string is written as its text, so it is checked too
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def parquet_column(values: list[Any]) -> Any:
    """One column for Parquet: its own type where the values share one (numbers, Decimals,
    dates, text), else every value as its text; None stays null."""
    import pyarrow as pa

    try:
        return pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def json_cell(value: Any) -> Any:
    """JSON has no NaN or Infinity: a non-finite number is written as null, no value."""
    return None if isinstance(value, float) and not math.isfinite(value) else value


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Table:
    name: str
    columns: Sequence[Column]
    rows: Iterable[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    def csv(self) -> str:
        out = io.StringIO()
        # RFC 4180's line ends: with them the writer also quotes a cell holding a bare
        # carriage return, which a spreadsheet would otherwise read as a new row.
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow([spreadsheet_cell(row.get(c.key)) for c in self.columns])
        return out.getvalue()

    def xlsx(self) -> bytes:
        """One sheet, its header the column labels, every cell written as `csv` writes it
        (so no formula runs), numbers and dates kept as numbers and dates."""
        book = Workbook(write_only=True)
        sheet = book.create_sheet(self.name[:SHEET_NAME_LENGTH])
        sheet.append([c.label for c in self.columns])
        for row in self.rows:
            sheet.append([spreadsheet_cell(row.get(c.key)) for c in self.columns])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def parquet(self) -> bytes:
        """The table's columns, labelled by their keys as in the JSON, with their types."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = list(self.rows)
        columns = [parquet_column([row.get(c.key) for row in rows]) for c in self.columns]
        table = pa.Table.from_arrays(columns, names=[c.key for c in self.columns])
        out = io.BytesIO()
        pq.write_table(table, out)
        return out.getvalue()

    def json(self) -> str:
        rows = [{c.key: json_cell(row.get(c.key)) for c in self.columns} for row in self.rows]
        return json.dumps(
            {**self.meta, "columns": [c.key for c in self.columns], "rows": rows}, default=str
        )


def requested_format(request: HttpRequest) -> str | None:
    wanted = request.GET.get("format", "").lower()
    return wanted if wanted in FORMATS else None


def respond(request: HttpRequest, build: Callable[[], Table]) -> HttpResponse | None:
    """The download the request asks for, or None when it asks for the page."""
    wanted = requested_format(request)
    if wanted is None:
        return None
    table = build()
    if wanted == "csv":
        response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    elif wanted == "xlsx":
        response = HttpResponse(table.xlsx(), content_type=XLSX_TYPE)
    elif wanted == "parquet":
        response = HttpResponse(table.parquet(), content_type=PARQUET_TYPE)
    else:
        response = HttpResponse(table.json(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{wanted}"'
    return response
