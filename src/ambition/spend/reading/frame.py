"""Records as columns: one Polars frame per table instead of an object per row, so that a
file of millions of rows is read, checked and written to Parquet column by column. A
frame and a list of `Record`s say the same thing; `frame_of` and `records_of` turn one
into the other, exactly (amounts are kept as the decimal text they were read as, so a
`Decimal` comes back with the places it was written with)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from ambition.indicators.periods import Period, PeriodKind, YearBasis

from .fields import AmountKind, Field
from .records import APART, Record

TEXT_FIELDS = [f.value for f in Field if f not in APART]  # Record.fields, a column each
# What places a record in time: its day, or its period (the row's or the file's).
WHEN = ["date", "period_kind", "period_start", "period_end", "period_basis"]
SCHEMA: dict[str, Any] = {
    "sheet": pl.String,
    "row": pl.Int64,
    "amount": pl.String,  # exact decimal text: "-1234.50"
    "supplier": pl.String,
    "redacted": pl.Boolean,
    "date": pl.Date,
    "period_kind": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "period_basis": pl.String,
    "amount_kind": pl.String,
    **{name: pl.String for name in TEXT_FIELDS},
}


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


def frame_of(records: Sequence[Record]) -> pl.DataFrame:
    """The records as one frame, in their order."""
    columns: dict[str, list[object]] = {name: [] for name in SCHEMA}
    for record in records:
        for name, value in _columns_of(record).items():
            columns[name].append(value)
    return pl.DataFrame(columns, schema=SCHEMA)


def _columns_of(record: Record) -> dict[str, object]:
    period = record.period
    return {
        "sheet": record.sheet, "row": record.row, "amount": str(record.amount),
        "supplier": record.supplier, "redacted": record.redacted, "date": record.date,
        "period_kind": period.kind.value if period else None,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "period_basis": period.basis.value if period else None,
        "amount_kind": record.amount_kind.value if record.amount_kind else None,
        **{name: record.fields.get(name) for name in TEXT_FIELDS},
    }  # fmt: skip


def records_of(frame: pl.DataFrame) -> list[Record]:
    """The frame's rows as records, in its order."""
    return [_record(row) for row in frame.iter_rows(named=True)]


def _record(row: dict[str, Any]) -> Record:
    kind = row["amount_kind"]
    return Record(
        row["sheet"], row["row"], Decimal(row["amount"]), row["supplier"], row["redacted"],
        row["date"], period_of(row), AmountKind(kind) if kind is not None else None,
        {name: row[name] for name in TEXT_FIELDS if row[name] is not None},
    )  # fmt: skip


def period_of(row: dict[str, Any]) -> Period | None:
    if row["period_kind"] is None:
        return None
    return Period(
        PeriodKind(row["period_kind"]),
        row["period_start"],
        row["period_end"],
        YearBasis(row["period_basis"]),
    )


def period_columns(period: Period | None) -> dict[str, object]:
    """A period as the frame's columns hold it."""
    if period is None:
        return dict.fromkeys(WHEN[1:])
    return {
        "period_kind": period.kind.value,
        "period_start": period.start,
        "period_end": period.end,
        "period_basis": period.basis.value,
    }


def concatenated(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    found = [frame for frame in frames if frame.height]
    return pl.concat(found, how="vertical") if found else empty()


def dated(frame: pl.DataFrame) -> list[Record]:
    """One record for each day and period the frame holds (the first row with it): what a
    rule of a record's time (its month, its year, the months it covers) needs, once for
    each of the few distinct values rather than once a row."""
    return records_of(frame.unique(subset=WHEN, keep="first", maintain_order=True))
