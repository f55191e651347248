"""A spending file stored, all or nothing: its rows as Parquet, what is known about it in
the database, and the months it replaces. The same file again adds nothing; a file with
rows that cannot be read stores nothing unless the person accepts the report, and then
keeps the refused rows' report beside the good rows; a mapping that is ambiguous is asked,
never guessed, and a person's answers are kept for the authority's next file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction

from ambition.indicators.periods import Period
from ambition.registry.models import Authority

from . import parquet
from .coverage import Cover, covers_of_period, covers_of_records
from .models import SpendCoverage, SpendFile, SpendMapping, SpendProblem
from .reading import Ambiguity, Problem, Reading, UnreadableFile, read_spend
from .reading.fields import folded
from .reading.frame import dated

Answers = dict[str, str | None]  # heading -> field (None: leave the column out)


class Result(StrEnum):
    STORED = "stored"
    ALREADY = "already imported"
    QUESTIONS = "questions"  # the mapping is ambiguous: a person must answer
    REFUSED = "refused"  # rows that cannot be read, not accepted; or no rows at all
    UNREADABLE = "unreadable"


@dataclass
class Outcome:
    name: str
    result: Result
    file: SpendFile | None = None  # the stored file, or the one already stored
    problems: list[Problem] = field(default_factory=list)
    ambiguities: list[tuple[str, Ambiguity]] = field(default_factory=list)
    replaced: list[SpendCoverage] = field(default_factory=list)
    overlapped: list[SpendCoverage] = field(default_factory=list)  # days shared, both kept
    reason: str = ""


def spend_root() -> Path:
    return Path(settings.VAR_DIR) / "spend"


def store_spend(
    authority: Authority,
    data: bytes,
    name: str,
    *,
    user: Any = None,
    period: Period | None = None,
    answers: Answers | None = None,
    accept_errors: bool = False,
) -> Outcome:
    """Store one spending file of `authority`'s. `period` is the file's own, where its
    rows give none; `answers` settle the mapping's questions."""
    digest = hashlib.sha256(data).hexdigest()
    if existing := SpendFile.objects.filter(authority=authority, sha256=digest).first():
        return Outcome(name, Result.ALREADY, file=existing)
    try:
        reading, confirmed = _read(authority, data, period, answers or {})
    except (UnreadableFile, UnknownHeading) as error:
        return Outcome(name, Result.UNREADABLE, reason=str(error))
    if reading.ambiguities:
        return Outcome(name, Result.QUESTIONS, ambiguities=reading.ambiguities)
    good, problems = _storable(reading)
    if (problems and not accept_errors) or not good.height:
        reason = "" if good.height else "there are no rows of spend to store"
        return Outcome(name, Result.REFUSED, problems=problems, reason=reason)
    source = Source(digest, name, len(data), user, period)
    stored = _Stored(authority, source, reading, good, problems)
    stored.save(confirmed)
    return Outcome(
        name, Result.STORED, stored.file, problems,
        replaced=stored.replaced, overlapped=stored.overlapped,
    )  # fmt: skip


class UnknownHeading(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Source:
    """Where a file came from: its bytes' digest and size, its name, who brought it and
    the period it was published for, if one was given."""

    digest: str
    name: str
    size: int
    user: Any
    period: Period | None


def _read(
    authority: Authority, data: bytes, period: Period | None, answers: Answers
) -> tuple[Reading, SpendMapping | None]:
    """The file read with the mapping that counts: the person's answers over the
    authority's confirmed mapping for these headings, over the automatic one."""
    reading = read_spend(data, period=period)
    known = {folded(label) for layout in reading.layouts for label in layout.mapping.labels}
    if unknown := [heading for heading in answers if folded(heading) not in known]:
        raise UnknownHeading(f"no column is headed {', '.join(map(repr, unknown))}")
    for layout in reading.layouts:
        labels = layout.mapping.labels
        saved = SpendMapping.objects.latest_for(authority, labels)
        mine = {h: f for h, f in answers.items() if folded(h) in set(map(folded, labels))}
        if saved is None and not mine:
            continue
        fields = _answered(saved.fields if saved else layout.mapping.as_saved(), mine)
        confirmed = (
            SpendMapping(authority=authority, headings=labels, fields=fields) if mine else None
        )
        return read_spend(data, saved=fields, period=period), confirmed
    return reading, None


def _answered(fields: dict[str, str | None], answers: Answers) -> dict[str, str | None]:
    """A mapping with the answers applied: a field a person gives one column is taken from
    any other column that had it."""
    by_fold = {folded(heading): heading for heading in fields}
    given = {by_fold[folded(h)]: f for h, f in answers.items()}
    taken = {f for f in given.values() if f}
    kept = {h: (None if f in taken else f) for h, f in fields.items()}
    return {**kept, **given}


# Whole pence below £10^16, surely: other amounts are put to `parquet.unstorable`.
_SURELY_STORABLE = r"^-?[0-9]{1,16}(?:\.[0-9]{1,2})?$"


def _storable(reading: Reading) -> tuple[pl.DataFrame, list[Problem]]:
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


class _Stored:
    """The writes of one stored file, in one transaction with its Parquet files."""

    def __init__(
        self,
        authority: Authority,
        source: Source,
        reading: Reading,
        good: pl.DataFrame,
        problems: list[Problem],
    ) -> None:
        self.authority, self.good, self.problems = authority, good, problems
        period = source.period
        self.covers = (
            covers_of_period(period) if period is not None else covers_of_records(dated(good))
        )
        refused = len({(p.sheet, p.row) for p in problems})
        self.file = SpendFile(
            authority=authority, sha256=source.digest, name=source.name[:255], size=source.size,
            imported_by=source.user, period_start=period.start if period else None,
            period_end=period.end if period else None, first_month=self.covers[0].month,
            last_month=self.covers[-1].month, rows_read=good.height + refused,
            rows_stored=good.height, rows_refused=refused, errors_accepted=bool(problems),
            sheets=[layout.sheet for layout in reading.layouts],
            mapping={layout.sheet: layout.mapping.as_saved() for layout in reading.layouts},
        )  # fmt: skip
        self.replaced: list[SpendCoverage] = []
        self.overlapped: list[SpendCoverage] = []

    def save(self, confirmed: SpendMapping | None) -> None:
        written: list[Path] = []
        try:
            with transaction.atomic():
                self._save_rows(confirmed)
                self._write_parquet(written)
        except BaseException:
            parquet.discard(written)  # nothing of a file that was not stored stays
            raise

    def _save_rows(self, confirmed: SpendMapping | None) -> None:
        self.file.save()
        SpendProblem.objects.bulk_create(
            SpendProblem(file=self.file, sheet=p.sheet, row=p.row, column=p.column[:200],
                         value=p.value, reason=p.reason)
            for p in self.problems
        )  # fmt: skip
        self._replace()
        for cover in self.covers:
            SpendCoverage.objects.create(
                authority=self.authority, month=cover.month, file=self.file,
                first_day=cover.first_day, last_day=cover.last_day,
            )  # fmt: skip
        if confirmed is not None:
            confirmed.confirmed_by = self.file.imported_by
            confirmed.save()

    def _replace(self) -> None:
        """Supersede the current months of earlier files whose every day this one covers;
        note those it shares only some days with, which both stay current."""
        mine = {cover.month: cover for cover in self.covers}
        earlier = SpendCoverage.objects.current().for_authority(self.authority)
        for coverage in earlier.filter(month__in=list(mine)).select_for_update():
            theirs = Cover(coverage.month, coverage.first_day, coverage.last_day)
            if mine[coverage.month].holds(theirs):
                coverage.superseded_by = self.file
                coverage.save(update_fields=["superseded_by"])
                self.replaced.append(coverage)
            elif mine[coverage.month].meets(theirs):
                self.overlapped.append(coverage)

    def _write_parquet(self, written: list[Path]) -> None:
        span = (self.covers[0].month, self.covers[-1].month)
        parts = parquet.parts(spend_root(), self.authority.code, self.file.id, self.good, span)
        pending = []
        for part in parts:
            pending.append(parquet.write_pending(part))
            written.append(pending[-1])
        for path, part in zip(pending, parts, strict=True):
            parquet.put_in_place(path, part)
            written.append(part.path)
