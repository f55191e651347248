"""Transactions as Parquet, partitioned by authority and financial year
(`authority=<ONS code>/year=<fy>/file-<id>.parquet`), the layout DuckDB and Spark both read
as hive partitions. Amounts are Decimal128 in whole pence (exact); a row keeps its date, or
only its period where the file gives no day; every row names its source file, sheet and
row. Pure but for writing the files it is given.

The records come as a frame (`reading.frame`), and are written column by column: the rules
of a record's time (its financial year, its month, the month of its file it stands with)
are applied to each distinct day and period once, and joined back to the rows."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ambition.indicators.periods import financial_year

from .coverage import month_of, record_month
from .reading import Record
from .reading.frame import TEXT_FIELDS, WHEN, records_of

PENNY = Decimal("0.01")
AMOUNT = pa.decimal128(18, 2)
LARGEST = Decimal(10) ** 16  # what 18 digits in pence hold
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
class Year:
    """A file's rows of one financial year, as Parquet's table but for their file's id,
    which the database gives only as the file is stored."""

    year: int
    table: pa.Table


@dataclass(frozen=True, slots=True)
class Part:
    """One partition file to write: its place and its rows."""

    path: Path
    table: pa.Table


def by_year(records: pl.DataFrame, span: tuple[date, date]) -> list[Year]:
    """A stored file's rows (a frame of records) by financial year, each year's as Parquet's
    table: amounts exact, from their decimal text."""
    placed = _placed(records, span)
    years = sorted(placed.get_column("year").unique().to_list())
    named = [name for name in SCHEMA.names if name != "file_id"]
    schema = pa.schema([SCHEMA.field(name) for name in named])
    return [
        Year(year, placed.filter(pl.col("year") == year).select(named).to_arrow().cast(schema))
        for year in years
    ]


def parts(root: Path, code: str, file_id: int, years: list[Year]) -> list[Part]:
    """The files a stored spending file's rows are written to, one per financial year."""
    return [
        Part(
            partition(root, code, year.year) / f"file-{file_id}.parquet",
            year.table.add_column(
                0,
                SCHEMA.field("file_id"),
                pa.array(numpy.full(len(year.table), file_id, dtype=numpy.int64)),
            ),
        )
        for year in years
    ]


def partition(root: Path, code: str, year: int) -> Path:
    return root / f"authority={code}" / f"year={year}"


def _placed(records: pl.DataFrame, span: tuple[date, date]) -> pl.DataFrame:
    """The records with their year, own month and coverage month."""
    found = records.unique(subset=WHEN, keep="first", maintain_order=True)
    times = records_of(found)
    placed = found.select(WHEN).with_columns(
        pl.Series("year", [year_of(r) for r in times], dtype=pl.Int32),
        pl.Series("month", [own_month(r) for r in times], dtype=pl.Date),
        pl.Series("coverage_month", [record_month(r, *span) for r in times], dtype=pl.Date),
    )
    return records.join(placed, on=WHEN, how="left", nulls_equal=True, maintain_order="left")


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
