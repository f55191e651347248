"""Import observations from a file: read, validate every row, and write in one
transaction, or write nothing and report every problem with its row and column.

The rows are validated in Python and streamed into a temporary staging table, so
memory stays flat whatever the file's size; duplicates and revisions are then worked
out in SQL over the whole file at once."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import staging
from .layouts import LayoutError, Record, detect_layout
from .models import ImportBatch
from .periods import PeriodError, parse_period, split_qualifier
from .reading import TableFile, UnreadableFile
from .resolving import (
    AuthorityResolver,
    IndicatorInfo,
    IndicatorResolver,
    PeriodResolver,
    Unresolved,
)
from .values import (
    Status,
    ValueParseError,
    parse_status,
    parse_value,
    restricted_until_problem,
)

MAX_REPORTED = 1000
QUALIFIER_STATUS = {"prov": Status.PROVISIONAL, "rev": Status.REVISED, "final": Status.FINAL}

Progress = Callable[[int, float], None]


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    layout: str = ""
    rows_read: int = 0
    observations: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(problem)

    def summary(self) -> str:
        if not self.ok:
            shown = len(self.problems)
            more = f" (the first {shown} are listed)" if shown < self.problem_count else ""
            return f"{self.file_name}: {self.problem_count} problem(s){more}; nothing was imported."
        verb = "would make" if self.dry_run else "made"
        return (
            f"{self.file_name}: {self.rows_read} rows, {self.observations} observations "
            f"({self.layout} layout); {verb} {self.created} new, {self.revised} revised, "
            f"{self.unchanged} unchanged."
        )


@dataclass
class _Validator:
    authorities: AuthorityResolver
    indicators: IndicatorResolver
    periods: PeriodResolver
    report: ImportReport
    writable: frozenset[int] | None = None  # None: every authority
    restricted_until: datetime.date | None = None
    _qualifiers: dict[str, Status | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The file's own restriction (the CLI's option, the page's field) is checked once.
        day = self.restricted_until
        if day is not None and (reason := restricted_until_problem(day)) is not None:
            self.report.add(Problem(1, "restricted until", day.isoformat(), reason))

    def row(self, record: Record) -> tuple[Any, ...] | None:
        problems_before = self.report.problem_count
        authority = self._resolve(record, "authority", record.authority, self.authorities.resolve)
        if authority is not None and self.writable is not None and authority not in self.writable:
            self._problem(
                record, "authority", record.authority, "you may not write for this authority"
            )
        indicator = self._resolve(record, "indicator", record.indicator, self.indicators.resolve)
        period = None
        if indicator is not None:
            period = self._resolve(
                record,
                record.period_column,
                record.period,
                lambda text: self.periods.resolve(text, indicator.basis),
            )
        value, status = self._value(record)
        lower = self._bound(record, "lower", record.lower)
        upper = self._bound(record, "upper", record.upper)
        if indicator is not None:
            self._in_range(record, indicator, (record.value_column, record.value, value))
            self._in_range(record, indicator, ("lower", record.lower, lower))
            self._in_range(record, indicator, ("upper", record.upper, upper))
        if lower is not None and upper is not None and lower > upper:
            self._problem(record, "lower", record.lower, "the lower bound is above the upper")
        restricted = self._restricted(record)
        if self.report.problem_count != problems_before:
            return None
        status = status or self._qualifier_status(record.period)
        return (
            record.row,
            authority,
            indicator.id,
            period,  # type: ignore[union-attr]
            value,
            status.value if status else "",
            lower,
            upper,
            restricted,
        )

    def _restricted(self, record: Record) -> datetime.date | None:
        """Until when the row is kept from the public: its own column, else the file's."""
        text = record.restricted.strip()
        if not text:
            return self.restricted_until
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            reason = "not a date: write restricted-until dates as YYYY-MM-DD"
            self._problem(record, "restricted until", text, reason)
            return None
        if (reason := restricted_until_problem(day)) is not None:
            self._problem(record, "restricted until", text, reason)
        return day

    def _in_range(
        self, record: Record, indicator: IndicatorInfo, cell: tuple[str, str, float | None]
    ) -> None:
        """A value or bound outside the range its indicator's unit allows is refused."""
        column, text, number = cell
        if number is not None and (reason := indicator.values.problem(number)) is not None:
            self._problem(record, column, text, reason)

    def _resolve(
        self, record: Record, column: str, text: str, resolve: Callable[[str], Any]
    ) -> Any:
        try:
            return resolve(text)
        except Unresolved as error:
            self._problem(record, column, text, str(error))
            return None

    def _value(self, record: Record) -> tuple[float | None, Status | None]:
        try:
            parsed = parse_value(record.value)
            stated = parse_status(record.status) if record.status.strip() else None
        except ValueParseError as error:
            column = "status" if "status" in str(error) else record.value_column
            self._problem(record, column, record.value, str(error))
            return None, None
        return parsed.value, stated or parsed.status

    def _bound(self, record: Record, column: str, text: str) -> float | None:
        if not text.strip():
            return None
        try:
            return parse_value(text).value
        except ValueParseError as error:
            self._problem(record, column, text, str(error))
            return None

    def _qualifier_status(self, label: str) -> Status | None:
        if label not in self._qualifiers:
            qualifier = split_qualifier(label)[1]
            self._qualifiers[label] = QUALIFIER_STATUS.get((qualifier or "").lower())
        return self._qualifiers[label]

    def _problem(self, record: Record, column: str, value: str, reason: str) -> None:
        self.report.add(Problem(record.row, column, value, reason))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _is_period(text: str) -> bool:
    try:
        parse_period(text)
    except PeriodError:
        return False
    return True


def import_observations(
    path: Path,
    *,
    origin: str,
    user: Any = None,
    dry_run: bool = False,
    indicator: str = "",
    file_name: str = "",
    progress: Progress | None = None,
    writable: frozenset[int] | None = None,
    restricted_until: datetime.date | None = None,
) -> ImportReport:
    """Import one file. Returns the report; the database is changed only if the
    report is ok and this is not a dry run. `writable` limits the authorities it may write
    for (a council officer's own; None means every one); `restricted_until` keeps the
    file's rows from the public until that day, where a row does not say otherwise.

    Reading, validating and staging happen outside any transaction (the staging table is a
    TEMP table, which on SQLite needs no lock on the main database), so sign-ins, pages and
    the worker keep writing meanwhile; only the final write holds the write lock."""
    report = ImportReport(file_name or path.name, dry_run=dry_run)
    try:
        table = TableFile(path, refuse_cell=lambda *cell: report.add(Problem(*cell)))
        rows = table.rows()
        header = next(rows, None)
        if header is None:
            raise UnreadableFile("the file is empty")
        layout = detect_layout(header[1], _is_period, bool(indicator))
        report.layout = layout.kind
        batch = ImportBatch(
            file_name=report.file_name,
            sha256=file_sha256(path),
            size_bytes=table.size,
            layout=layout.kind,
            origin=origin,
            user=user if getattr(user, "is_authenticated", False) else None,
        )
        validator = _Validator(
            AuthorityResolver(),
            IndicatorResolver(),
            PeriodResolver(),
            report,
            writable,
            restricted_until,
        )
        _run(table, layout.records(rows, indicator), report, batch, progress, validator)
    except (UnreadableFile, LayoutError) as error:
        report.add(Problem(report.rows_read + 1, "", "", str(error)))
    return report


def _run(
    table: TableFile,
    records: Iterator[Record],
    report: ImportReport,
    batch: ImportBatch,
    progress: Progress | None,
    validator: _Validator,
) -> None:
    with staging.StagingTable(connection) as stage:
        for chunk in _chunks(records, settings.IMPORT_BATCH_ROWS):
            valid = [r for r in map(validator.row, chunk) if r is not None]
            if report.ok:
                stage.load(valid)
            report.rows_read = chunk[-1].row - 1
            report.observations += len(chunk)
            if progress:
                progress(report.observations, table.fraction_read())
        for conflict in stage.conflicts(MAX_REPORTED):
            report.add(Problem(*conflict))
        if not report.ok:
            return
        if report.dry_run:
            report.created, report.revised, report.unchanged = stage.changes()
            return
        _write(stage, report, batch, validator.periods)


def _write(
    stage: staging.StagingTable, report: ImportReport, batch: ImportBatch, periods: PeriodResolver
) -> None:
    """The one write transaction: all the file's changes or none. The changes are worked out
    before it, and again inside it only if observations were written meanwhile (a correction
    saved while the file was checked is then revised, not overwritten): the write lock is
    held for the write alone. Periods new to the store are stored in it too."""
    stamp = stage.stamp()
    changes = stage.changes()
    with transaction.atomic():
        stage.renumber_periods(periods.store_new())
        if stage.stamp() != stamp:
            changes = stage.changes()
        report.created, report.revised, report.unchanged = changes
        if report.created or report.revised:
            _record(batch, report)
            stage.write(batch.id)
            _refresh_statistics()


def _refresh_statistics() -> None:
    """SQLite plans from statistics only ANALYZE gathers; without them it walks the
    latest-revision index row by row to read a whole indicator (4x slower than a scan).
    A sampled ANALYZE takes milliseconds. PostgreSQL's autovacuum does this by itself."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=400")
        cursor.execute("ANALYZE")


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _record(batch: ImportBatch, report: ImportReport) -> None:
    """The batch is made only when the import writes: a re-run leaves no trace."""
    batch.rows_read = report.rows_read
    batch.created, batch.revised, batch.unchanged = report.created, report.revised, report.unchanged
    batch.finished_at = timezone.now()
    batch.save()
    report.batch_id = batch.id
