"""Transactions as Parquet, partitioned by authority and financial year
(`authority=<ONS code>/year=<fy>/file-<id>.parquet`), the layout DuckDB and Spark both read
as hive partitions. Amounts are Decimal128 in whole pence (exact); a row keeps its date, or
only its period where the file gives no day; every row names its source file, sheet and
row. Pure but for writing the files it is given."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ambition.indicators.periods import financial_year

from .coverage import month_of, record_month
from .reading import Record
from .reading.fields import Field

PENNY = Decimal("0.01")
AMOUNT = pa.decimal128(18, 2)
LARGEST = Decimal(10) ** 16  # what 18 digits in pence hold
APART = (Field.AMOUNT, Field.DATE, Field.PERIOD, Field.SUPPLIER)  # columns of their own
TEXT_FIELDS = [f.value for f in Field if f not in APART]
SCHEMA = pa.schema(
    [
        ("file_id", pa.int64()),
        ("sheet", pa.string()),
        ("row", pa.int32()),
        ("amount", AMOUNT),
        ("date", pa.date32()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("month", pa.date32()),  # the row's own month, where its day or period gives one
        ("coverage_month", pa.date32()),  # the month of its file it stands or falls with
        ("supplier", pa.string()),
        ("redacted", pa.bool_()),
        ("amount_kind", pa.string()),
        *[(name, pa.string()) for name in TEXT_FIELDS],
    ]
)
PARTITIONS = {"authority": pa.string(), "year": pa.int32()}


def unstorable(amount: Decimal) -> str | None:
    """Why an amount cannot be stored exactly, if it cannot."""
    if abs(amount) >= LARGEST or amount != amount.quantize(PENNY):
        return "an amount is whole pence, below £10^16: this one cannot be kept exactly"
    return None


def year_of(record: Record) -> int:
    day = record.date or (record.period.start if record.period is not None else None)
    if day is None:
        raise ValueError(f"row {record.row} has no day and no period")
    return financial_year(day)


def own_month(record: Record) -> date | None:
    if record.date is not None:
        return month_of(record.date)
    period = record.period
    if period is not None and month_of(period.start) == month_of(period.end):
        return month_of(period.start)
    return None  # a period across months: no month is the row's own


@dataclass(frozen=True, slots=True)
class Part:
    """One partition file to write: its place and its rows."""

    path: Path
    table: pa.Table


def parts(
    root: Path, code: str, file_id: int, records: Iterable[Record], span: tuple[date, date]
) -> list[Part]:
    """The files a stored spending file's rows are written to, one per financial year."""
    by_year: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        by_year[year_of(record)].append(record)
    return [
        Part(partition(root, code, year) / f"file-{file_id}.parquet", table(file_id, rows, span))
        for year, rows in sorted(by_year.items())
    ]


def partition(root: Path, code: str, year: int) -> Path:
    return root / f"authority={code}" / f"year={year}"


def table(file_id: int, records: list[Record], span: tuple[date, date]) -> pa.Table:
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA.names}
    for record in records:
        for name, value in _row(file_id, record, span).items():
            columns[name].append(value)
    return pa.table(columns, schema=SCHEMA)


def _row(file_id: int, record: Record, span: tuple[date, date]) -> dict[str, object]:
    period = record.period
    kind = record.amount_kind.value if record.amount_kind is not None else None
    return {
        "file_id": file_id, "sheet": record.sheet, "row": record.row, "amount": record.amount,
        "date": record.date, "period_start": period.start if period else None,
        "period_end": period.end if period else None, "month": own_month(record),
        "coverage_month": record_month(record, *span), "supplier": record.supplier,
        "redacted": record.redacted, "amount_kind": kind,
        **{name: record.fields.get(name) for name in TEXT_FIELDS},
    }  # fmt: skip


def write_pending(part: Part) -> Path:
    """The part written beside its place under a temporary name, to be moved in whole."""
    part.path.parent.mkdir(parents=True, exist_ok=True)
    pending = part.path.with_name(f".{part.path.name}.pending")
    pq.write_table(part.table, pending)
    return pending


def discard(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def put_in_place(pending: Path, part: Part) -> None:
    os.replace(pending, part.path)  # atomic on one file system
