"""A spending file stored, all or nothing: its rows as Parquet, what is known about it in
the database, and the months it replaces. The same file again adds nothing; a file with
rows that cannot be read stores nothing unless the person accepts the report, and then
keeps the refused rows' report beside the good rows; a mapping that is ambiguous is asked,
never guessed, and a person's answers are kept for the authority's next file."""

from __future__ import annotations

import collections
import hashlib
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ambition.indicators.periods import Period
from ambition.registry.models import Authority
from ambition.web.processes import default_processes

from . import parquet
from .coverage import Cover
from .models import SpendCoverage, SpendFile, SpendMapping, SpendProblem
from .prepared import Prepared, prepare, prepare_path
from .reading import Ambiguity, Problem, UnreadableFile
from .reading.answered import Answers, Confirmed, UnknownHeading, read_answered

__all__ = [
    "Answers",
    "Outcome",
    "Result",
    "SpendingFile",
    "spend_root",
    "store_files",
    "store_spend",
]


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
    if existing := _already(authority, digest):
        return Outcome(name, Result.ALREADY, file=existing)
    try:
        confirmed = SpendMapping.objects.counting(authority)
        answered = read_answered(data, period, answers or {}, confirmed)
    except (UnreadableFile, UnknownHeading) as error:
        return Outcome(name, Result.UNREADABLE, reason=str(error))
    source = Source(digest, name, len(data), user, period)
    return _store_prepared(authority, source, prepare(answered, period, accept_errors))


@dataclass(frozen=True, slots=True)
class SpendingFile:
    """A spending file to store: whose it is, and the period it was published for, where
    it says."""

    authority: Authority
    path: Path
    period: Period | None = None


def store_files(
    files: Sequence[SpendingFile],
    *,
    user: Any = None,
    answers: Answers | None = None,
    accept_errors: bool = False,
    processes: int | None = None,
) -> Iterator[Outcome]:
    """Store `files` in order, each as `store_spend` stores it, saying how each went as it
    is stored. While one file is stored, the next are read and prepared in `processes` of
    their own (by default one a core, up to `web.processes.MOST`): that is most of the
    work, and needs no database, while the storing stays here, one file at a time, in
    order. With answers, a file may confirm the mapping the next is read with, so each is
    read once the one before is stored."""
    processes = processes or default_processes()
    if answers or processes < 2 or len(files) < 2:
        for one in files:
            yield store_spend(
                one.authority, one.path.read_bytes(), one.path.name, user=user,
                period=one.period, answers=answers, accept_errors=accept_errors,
            )  # fmt: skip
        return
    context = multiprocessing.get_context("spawn")  # Polars and Arrow hold threads: no fork
    with ProcessPoolExecutor(min(processes, len(files)), mp_context=context) as pool:
        preparing = _Preparing(pool, user, accept_errors)
        waiting = iter(files)
        ahead: collections.deque[tuple[SpendingFile, Source, Future[Prepared] | None]]
        ahead = collections.deque()
        while True:
            # A file being prepared for each process while this one is stored, and no more
            # prepared files held than that.
            while len(ahead) <= processes and (one := next(waiting, None)) is not None:
                ahead.append((one, *preparing.start(one)))
            if not ahead:
                return
            one, source, underway = ahead.popleft()
            yield preparing.stored(one.authority, source, underway)


class _Preparing:
    """Files prepared in a pool of processes, and stored here as each is ready."""

    def __init__(self, pool: ProcessPoolExecutor, user: Any, accept_errors: bool) -> None:
        self.pool, self.user, self.accept_errors = pool, user, accept_errors
        self.confirmed: dict[int, Confirmed] = {}  # each authority's, asked for once

    def start(self, one: SpendingFile) -> tuple[Source, Future[Prepared] | None]:
        """The file's source, and its preparing under way (None: it is stored already)."""
        data = one.path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        source = Source(digest, one.path.name, len(data), self.user, one.period)
        if _already(one.authority, digest) is not None:
            return source, None
        if one.authority.pk not in self.confirmed:
            self.confirmed[one.authority.pk] = SpendMapping.objects.counting(one.authority)
        path, confirmed = str(one.path), self.confirmed[one.authority.pk]
        return source, self.pool.submit(
            prepare_path, path, one.period, {}, confirmed, self.accept_errors
        )

    def stored(
        self, authority: Authority, source: Source, underway: Future[Prepared] | None
    ) -> Outcome:
        # Checked again: the same file may come twice in one folder.
        if (existing := _already(authority, source.digest)) or underway is None:
            if underway is not None:
                underway.cancel()
            return Outcome(source.name, Result.ALREADY, file=existing)
        try:
            prepared = underway.result()
        except (UnreadableFile, UnknownHeading) as error:
            return Outcome(source.name, Result.UNREADABLE, reason=str(error))
        return _store_prepared(authority, source, prepared)


def _already(authority: Authority, digest: str) -> SpendFile | None:
    return SpendFile.objects.filter(authority=authority, sha256=digest).first()


def _store_prepared(authority: Authority, source: Source, prepared: Prepared) -> Outcome:
    """A file read and prepared, stored unless it has questions, or refused rows that are
    not accepted, or no rows."""
    name = source.name
    if prepared.ambiguities:
        return Outcome(name, Result.QUESTIONS, ambiguities=prepared.ambiguities)
    if not prepared.years:
        reason = "" if prepared.stored else "there are no rows of spend to store"
        return Outcome(name, Result.REFUSED, problems=prepared.problems, reason=reason)
    confirmed = (
        SpendMapping(authority=authority, headings=prepared.headings, fields=prepared.fields)
        if prepared.fields is not None
        else None
    )
    stored = _Stored(authority, source, prepared)
    stored.save(confirmed)
    return Outcome(
        name, Result.STORED, stored.file, prepared.problems,
        replaced=stored.replaced, overlapped=stored.overlapped,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Source:
    """Where a file came from: its bytes' digest and size, its name, who brought it and
    the period it was published for, if one was given."""

    digest: str
    name: str
    size: int
    user: Any
    period: Period | None


class _Stored:
    """The writes of one stored file, in one transaction with its Parquet files."""

    def __init__(self, authority: Authority, source: Source, prepared: Prepared) -> None:
        self.authority, self.prepared, self.problems = authority, prepared, prepared.problems
        period, self.covers = source.period, prepared.covers
        refused = len({(p.sheet, p.row) for p in self.problems})
        layouts = prepared.layouts
        self.file = SpendFile(
            authority=authority, sha256=source.digest, name=source.name[:255], size=source.size,
            imported_by=source.user, period_start=period.start if period else None,
            period_end=period.end if period else None, first_month=self.covers[0].month,
            last_month=self.covers[-1].month, rows_read=prepared.stored + refused,
            rows_stored=prepared.stored, rows_refused=refused, errors_accepted=bool(self.problems),
            sheets=[layout.sheet for layout in layouts],
            mapping={layout.sheet: layout.mapping.as_saved() for layout in layouts},
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
        code, years = self.authority.code, self.prepared.years
        parts = parquet.parts(spend_root(), code, self.file.id, years)
        pending = []
        for part in parts:
            pending.append(parquet.write_pending(part))
            written.append(pending[-1])
        for path, part in zip(pending, parts, strict=True):
            parquet.put_in_place(path, part)
            written.append(part.path)
