"""The same grants as the standard's flat form: one row a grant, under the headings of its
own spreadsheet template (sheet `grants`), as CSV text or an XLSX workbook.

Every cell goes through `spreadsheet_cell`, so a title that looks like a formula stays text
in whatever program opens the file.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from ambition.web.tables import spreadsheet_cell

from .identifiers import grant_id, grant_prefix
from .records import GrantRecord

Cell = str | Decimal | datetime.date | None


def _programme(record: GrantRecord, part: str) -> str | None:
    return getattr(record.programme, part) if record.programme else None


def _place(record: GrantRecord, part: str) -> str | None:
    return getattr(record.beneficiary, part) if record.beneficiary else None


def _modified(record: GrantRecord) -> str | None:
    # As ISO text: a spreadsheet date cannot hold the time zone the standard requires.
    return record.date_modified.isoformat() if record.date_modified else None


# The template's headings that our awards fill, in the template's order.
COLUMNS: tuple[tuple[str, Callable[[GrantRecord], Cell]], ...] = (
    ("Title", lambda r: r.title),
    ("Description", lambda r: r.description),
    ("Currency", lambda r: r.currency),
    ("Amount Awarded", lambda r: r.amount_awarded),
    ("Amount Disbursed", lambda r: r.amount_disbursed),
    ("Award Date", lambda r: r.award_date),
    ("Planned Dates:Start Date", lambda r: r.planned_start),
    ("Planned Dates:End Date", lambda r: r.planned_end),
    ("Recipient Org:Identifier", lambda r: r.recipient.identifier),
    ("Recipient Org:Name", lambda r: r.recipient.name),
    ("Beneficiary Location:Name", lambda r: _place(r, "name")),
    ("Beneficiary Location:Country Code", lambda r: "GB" if r.beneficiary else None),
    ("Beneficiary Location:Geographic Code", lambda r: _place(r, "geo_code")),
    ("Beneficiary Location:Geographic Code Type", lambda r: _place(r, "geo_code_type")),
    ("Funding Org:Identifier", lambda r: r.funder.identifier),
    ("Funding Org:Name", lambda r: r.funder.name),
    ("Grant Programme:Code", lambda r: _programme(r, "code")),
    ("Grant Programme:Title", lambda r: _programme(r, "title")),
    ("Last Modified", _modified),
)
HEADINGS = ("Identifier", *(heading for heading, _ in COLUMNS))


def rows(records: Iterable[GrantRecord], prefix: str | None = None) -> list[list[Cell]]:
    """The heading row, then one row a grant, as the records hold them."""
    chosen = prefix or grant_prefix()
    body = [[grant_id(chosen, r.reference), *(value(r) for _, value in COLUMNS)] for r in records]
    return [list(HEADINGS), *body]


def to_csv(records: Iterable[GrantRecord], prefix: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows(records, prefix):
        writer.writerow([_csv_text(spreadsheet_cell(cell)) for cell in row])
    return out.getvalue()


def _csv_text(cell: Any) -> str:
    if isinstance(cell, Decimal):
        return format(cell, "f")  # 250000.00, never 2.5E+5
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def to_xlsx(records: Iterable[GrantRecord], prefix: str | None = None) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]  # imported on first export, not when the site starts

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "grants"  # the template's sheet name, which the standard's tools look for
    for row in rows(records, prefix):
        sheet.append([spreadsheet_cell(_xlsx_value(cell)) for cell in row])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(cell: Any) -> Any:
    if isinstance(cell, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

        # XLSX cannot hold most control characters at all: dropped, or nothing is written,
        # and before the formula check, so that "\x01=SUM()" cannot become a formula.
        return ILLEGAL_CHARACTERS_RE.sub("", cell)
    return cell
