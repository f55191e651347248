"""A spending file made ready to store, before the database is touched: read with the
mapping that counts, its records that can be kept exactly and the problems of the rest,
the months it covers, and its rows as Parquet's tables by financial year. Pure, so that
`store.store_files` prepares the next files in processes of their own (`prepare_path`)
while it stores one; what comes back holds no frame of records, only what is stored."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import polars as pl

from ambition.indicators.periods import Period

from . import parquet
from .coverage import Cover, covers_of_period, covers_of_records
from .reading import Ambiguity, Problem, Reading
from .reading.answered import Answered, Answers, Confirmed, read_answered
from .reading.frame import dated
from .reading.mapping import SavedMapping
from .reading.rows import Layout, ambiguities_of

# Whole pence below £10^16, surely: other amounts are put to `parquet.unstorable`.
_SURELY_STORABLE = r"^-?[0-9]{1,16}(?:\.[0-9]{1,2})?$"


@dataclass(frozen=True, slots=True)
class Prepared:
    layouts: list[Layout]
    problems: list[Problem]  # the rows not read, and those read but not storable
    stored: int  # the rows that can be stored
    # The mapping a person's answers made, to confirm for these headings (None: none).
    headings: list[str] | None = None
    fields: SavedMapping | None = None
    covers: list[Cover] = field(default_factory=list)  # empty: nothing is to be stored
    years: list[parquet.Year] = field(default_factory=list)

    @property
    def ambiguities(self) -> list[tuple[str, Ambiguity]]:
        return ambiguities_of(self.layouts)


def prepare(answered: Answered, period: Period | None, accept_errors: bool) -> Prepared:
    """What of a read file is stored: nothing where its mapping has questions, or where it
    has refused rows and they are not accepted, or no rows at all."""
    reading = answered.reading
    prepared = Prepared(
        reading.layouts, list(reading.problems), 0, answered.headings, answered.fields
    )
    if reading.ambiguities:
        return prepared
    good, problems = storable(reading)
    prepared = replace(prepared, problems=problems, stored=good.height)
    if (problems and not accept_errors) or not good.height:
        return prepared
    covers = covers_of_period(period) if period is not None else covers_of_records(dated(good))
    years = parquet.by_year(good, (covers[0].month, covers[-1].month))
    return replace(prepared, covers=covers, years=years)


def prepare_path(
    path: str,
    period: Period | None,
    answers: Answers,
    confirmed: Confirmed,
    accept_errors: bool,
) -> Prepared:
    """The file at `path` read and prepared: what a process of its own is given to do."""
    answered = read_answered(Path(path).read_bytes(), period, answers, confirmed)
    return prepare(answered, period, accept_errors)


def storable(reading: Reading) -> tuple[pl.DataFrame, list[Problem]]:
    """The records that can be kept exactly, and the problems of every other row."""
    records = reading.frame.with_row_index("position")
    problems, refused = list(reading.problems), []
    doubtful = records.filter(~pl.col("amount").str.contains(_SURELY_STORABLE))
    for position, sheet, row, text in doubtful.select(
        "position", "sheet", "row", "amount"
    ).iter_rows():
        amount = Decimal(text)
        if reason := parquet.unstorable(amount):
            problems.append(Problem(sheet, row, "amount", str(amount), reason))
            refused.append(position)
    good = records.filter(~pl.col("position").is_in(refused)) if refused else records
    return good.drop("position"), problems
