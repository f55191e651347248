"""Import observations from a file: read, validate every row, and write in one
transaction, or write nothing and report every problem with its row and column.

The rows are validated in Python and streamed into a temporary staging table, so
memory stays flat whatever the file's size; duplicates and revisions are then worked
out in SQL over the whole file at once."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import staging
from .layouts import LayoutError, Record, detect_layout
from .models import ImportBatch
from .periods import PeriodError, parse_period
from .reading import TableFile, UnreadableFile
from .resolving import AuthorityResolver, IndicatorResolver, PeriodResolver
from .validation import MAX_REPORTED, ImportReport, Problem, RowValidator

__all__ = ["ImportReport", "Problem", "import_observations"]

Progress = Callable[[int, float], None]


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
        validator = RowValidator(
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
    validator: RowValidator,
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
