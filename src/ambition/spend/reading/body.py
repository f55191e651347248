"""A table's body read column by column, with Polars, once its header and mapping are
found. Each column is read as a whole: amounts by expressions for the ways files write
them (`1,234.50`, `(1,234.50)`, `-£1,234.50`, `£-1,234.50`, `1234.5-`), dates, periods and
suppliers by the project's own readers applied once to each distinct value (a month's
file holds a few dozen days and a few thousand suppliers in forty thousand rows).

The columns settle only what they surely can: a row is read here when its amount reads
by an expression, its supplier is named and is no total, its date and period read, and no
cell runs past the last column. Every other row (blank, total, note, a cell the
expressions do not read, a refusal) is left to `rows`, which reads it one by one with the
per-cell readers, so a problem is reported exactly as they report it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from .bodies import Body
from .fields import Field
from .frame import SCHEMA, TEXT_FIELDS, period_columns
from .records import Context, redacted_once, repaired_once
from .values import ValueRefused, parse_date, parse_spend_period

_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
# The shape of an amount read here: at most two signs, pound signs or brackets before the
# digits, a minus or bracket after; which of those go together is told by `_WAYS`.
_SHAPE = rf"^ *[-+£(]{{0,2}}{_DIGITS}[-)]? *$"
_LEADING, _TRAILING = "-+£(", "-)"
# (before, after) -> a credit? Each a way files write amounts, as parse_amount reads it.
_WAYS = {
    ("", ""): False, ("+", ""): False, ("£", ""): False, ("+£", ""): False,  # 1,234.50 £1,234.50
    ("-", ""): True, ("-£", ""): True, ("£-", ""): True,  # -1,234.50 -£1,234.50 £-1,234.50
    ("(", ")"): True, ("(£", ")"): True, ("£(", ")"): True,  # (1,234.50) (£1,234.50) £(1,234.50)
    ("", "-"): True,  # 1234.5-
}  # fmt: skip
# A negated Decimal loses its zero's sign and rounds past 28 digits: left to parse_amount.
_LONGEST = 28
_ALL_ZERO = r"^[0.]*$"
_ALPHANUMERIC = r"[0-9A-Za-z]"
_TOTAL = r"(?i)total"
# Python's str.strip() takes these off (and Rust's \s does not hold \x1c-\x1f); C1
# characters mean a wrong decoding for `repaired` to undo. Cells with either are read by
# the Python functions themselves.
_UNTIDY = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$|[\x80-\x9f]"


@dataclass(frozen=True, slots=True)
class Columns:
    """What the columns read: the records of the rows they settle (a frame in the shape of
    `frame.SCHEMA`), and the positions in the body of every other row."""

    frame: pl.DataFrame
    rest: list[int]
    last_read: int  # the position of the last row read here, -1 for none


def read_columns(body: Body, context: Context) -> Columns:
    if not body:
        return Columns(pl.DataFrame(schema=SCHEMA), [], -1)
    index = context.index
    named = [name for _, name in context.others]
    if (
        index.get(Field.SUPPLIER) is None
        or index.get(Field.AMOUNT) is None
        or (
            len(set(named)) < len(named)  # two columns given one field: `rows` settles which
        )
    ):
        return Columns(pl.DataFrame(schema=SCHEMA), list(range(len(body))), -1)
    cells = body.cells(context.mapping.fields, len(context.mapping.labels))
    read = with_amount(cells, f"c{index[Field.AMOUNT]}").with_columns(*_settled(cells, context))
    read = read.with_columns(pl.col("amount").is_not_null().alias("amount_read"))
    read = read.with_columns(_readable().alias("readable"))
    readable = read.get_column("readable")
    rest = (~readable).arg_true().to_list()
    positions = readable.arg_true()
    last = int(positions[-1]) if len(positions) else -1
    frame = read.filter(readable).select(_record_columns(context))
    return Columns(frame, rest, last)


def _cell(context: Context, wanted: Field) -> pl.Expr:
    index = context.index.get(wanted)
    return pl.col(f"c{index}") if index is not None else pl.lit("", pl.String)


def with_amount(cells: pl.DataFrame, cell: str) -> pl.DataFrame:
    """`cells` with `amount`: the amount's exact decimal text, signed, from the column
    `cell`; null where it is not written one of the `_WAYS` (parse_amount reads it then,
    or says why not). In steps, each column computed once."""
    written = pl.col(cell).str.strip_chars(" ")
    steps = cells.with_columns(
        written.alias("_w"), written.str.strip_chars_start(_LEADING).alias("_s")
    )
    steps = steps.with_columns(pl.col("_s").str.strip_chars_end(_TRAILING).alias("_d"))
    lengths = [pl.col(f"_{x}").str.len_chars().alias(f"_n{x}") for x in "wsd"]
    steps = steps.with_columns(*lengths)
    steps = steps.with_columns(
        pl.concat_str(
            pl.col("_w").str.head(pl.col("_nw") - pl.col("_ns")),
            pl.lit("|"),
            pl.col("_s").str.tail(pl.col("_ns") - pl.col("_nd")),
        ).alias("_way"),
        pl.col("_d").str.replace_all(",", "", literal=True).alias("_plain"),
    )
    debits = [f"{b}|{a}" for (b, a), credit in _WAYS.items() if not credit]
    credits = [f"{b}|{a}" for (b, a), credit in _WAYS.items() if credit]
    plain, way = pl.col("_plain"), pl.col("_way")
    kept = pl.col(cell).str.contains(_SHAPE) & (plain.str.len_chars() <= _LONGEST)
    amount = (
        pl.when(kept & way.is_in(debits))
        .then(plain)
        .when(kept & way.is_in(credits) & ~plain.str.contains(_ALL_ZERO))
        .then(pl.lit("-") + plain)
    )
    temporary = ["_w", "_s", "_d", "_nw", "_ns", "_nd", "_way", "_plain"]
    return steps.with_columns(amount.alias("amount")).drop(temporary)


def _settled(cells: pl.DataFrame, context: Context) -> list[pl.Expr]:
    """Each field's column, read; null where the row is left to `rows`."""
    exprs = _supplier(cells, context)
    exprs += _day(cells, context)
    exprs += _period(cells, context)
    exprs += [_text(cells, context, index, name) for index, name in context.others]
    return exprs


def _by_value(cells: pl.DataFrame, column: str, read: Callable[[str], Any], dtype: Any) -> pl.Expr:
    """`read` applied once to each distinct value of the column; null where it is None."""
    values = cells.get_column(column).unique().to_list()
    found = [read(value) for value in values]
    return pl.col(column).replace_strict(values, found, default=None, return_dtype=dtype)


def _supplier(cells: pl.DataFrame, context: Context) -> list[pl.Expr]:
    column = f"c{context.index[Field.SUPPLIER]}"
    said = pl.col(column)
    return [
        _by_value(cells, column, _named, pl.String).alias("supplier"),
        _by_value(cells, column, _withheld, pl.Boolean).alias("redacted"),
        (said.str.contains(_ALPHANUMERIC) & ~said.str.contains(_TOTAL)).alias("no_total"),
    ]


def _named(value: str) -> str | None:
    return repaired_once(value.strip()) or None


def _withheld(value: str) -> bool | None:
    name = _named(value)
    return redacted_once(name) if name is not None else None


def _day(cells: pl.DataFrame, context: Context) -> list[pl.Expr]:
    index = context.index.get(Field.DATE)
    if index is None:
        blank = pl.lit(True)
        day = pl.lit(None, pl.Date)
        read = pl.lit(True)
    else:
        column = f"c{index}"

        def dated(value: str) -> object:
            if not value.strip():
                return None
            try:
                return parse_date(value, context.serials)
            except ValueRefused:
                return None

        def empty(value: str) -> bool:
            return not value.strip()

        day = _by_value(cells, column, dated, pl.Date)
        blank = _by_value(cells, column, empty, pl.Boolean)
        read = blank | day.is_not_null()
    # A row without a day needs a period, its own or the file's.
    if context.period is None:
        read = read & (~blank | (_cell(context, Field.PERIOD) != ""))
    return [day.alias("date"), read.alias("date_read")]


def _period(cells: pl.DataFrame, context: Context) -> list[pl.Expr]:
    index = context.index.get(Field.PERIOD)
    fallback = period_columns(context.period)
    if index is None:
        return [
            pl.lit(fallback["period_kind"], pl.String).alias("period_kind"),
            pl.lit(fallback["period_start"], pl.Date).alias("period_start"),
            pl.lit(fallback["period_end"], pl.Date).alias("period_end"),
            pl.lit(fallback["period_basis"], pl.String).alias("period_basis"),
            pl.lit(True).alias("period_read"),
        ]
    column = f"c{index}"

    def read(value: str) -> dict[str, object] | None:
        if not value.strip():
            return fallback
        try:
            return period_columns(parse_spend_period(value))
        except ValueRefused:
            return None

    values = cells.get_column(column).unique().to_list()
    found = [read(value) for value in values]
    exprs = []
    for name, dtype in [("period_kind", pl.String), ("period_start", pl.Date),
                        ("period_end", pl.Date), ("period_basis", pl.String)]:  # fmt: skip
        new = [row[name] if row is not None else None for row in found]
        exprs.append(
            pl.col(column).replace_strict(values, new, default=None, return_dtype=dtype).alias(name)
        )
    refused = [value for value, row in zip(values, found, strict=True) if row is None]
    exprs.append((~pl.col(column).is_in(refused)).alias("period_read"))
    return exprs


def _text(cells: pl.DataFrame, context: Context, index: int, name: str) -> pl.Expr:
    """A field kept as text: stripped, a wrong decoding undone, null where empty."""
    column = f"c{index}"
    cell = pl.col(column)
    untidy = cells.get_column(column).str.contains(_UNTIDY)
    values = cells.get_column(column).filter(untidy).unique().to_list()
    tidied = [repaired_once(value.strip()) or None for value in values]
    return (
        pl.when(cell == "")
        .then(None)
        .when(cell.is_in(values) if values else pl.lit(False))
        .then(
            cell.replace_strict(values, tidied, default=None, return_dtype=pl.String)
            if values
            else None
        )
        .otherwise(cell)
        .alias(name)
    )


def _readable() -> pl.Expr:
    return (
        pl.col("amount_read")
        & pl.col("supplier").is_not_null()
        & pl.col("no_total")
        & pl.col("date_read")
        & pl.col("period_read")
        & ~pl.col("stray")
    )


def _record_columns(context: Context) -> list[pl.Expr]:
    kind = context.mapping.amount_kind
    given = {name for _, name in context.others}
    columns: list[pl.Expr] = [
        pl.lit(context.sheet, pl.String).alias("sheet"),
        pl.col("row"),
        pl.col("amount"),
        pl.col("supplier"),
        pl.col("redacted"),
        pl.col("date"),
        *[pl.col(name) for name in ["period_kind", "period_start", "period_end", "period_basis"]],
        pl.lit(kind.value if kind else None, pl.String).alias("amount_kind"),
    ]
    columns += [
        pl.col(name) if name in given else pl.lit(None, pl.String).alias(name)
        for name in TEXT_FIELDS
    ]
    return columns
