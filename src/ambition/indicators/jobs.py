"""Imports asked for from the page run as background tasks (django-tasks): the request
stores the file and returns at once; the page shows the job's progress and report.

A stored upload is deleted as soon as its import is refused, and otherwise kept for
UPLOAD_RETENTION_DAYS after its last use so that a failed job can be run again. A job left
running by a worker that died is marked failed, with the reason, when a worker starts."""

from __future__ import annotations

import datetime
import json
import logging
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django_tasks import task

from ambition.accounts.backends import scope_of

from .imports import ImportReport, import_observations
from .models import ImportJob

logger = logging.getLogger(__name__)
ORPHANED = (
    "The worker running this import stopped before it finished (it was restarted or shut "
    "down). Nothing was written: an import writes all its rows or none."
)
CRASHED = (
    "The import stopped with an unexpected error ({error}). Nothing was written: an import "
    "writes all its rows or none. The details are in the server's log."
)


def uploads_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(job_id: int) -> Path:
    return uploads_dir() / f"job-{job_id}.progress.json"


def upload_path(job: ImportJob) -> Path:
    return uploads_dir() / job.upload


def upload_kept(job: ImportJob) -> bool:
    return bool(job.upload) and upload_path(job).is_file()


def failure_of(job: ImportJob) -> str:
    """Why a failed job failed, in words for its page ('' for a job that has not failed)."""
    if job.state != ImportJob.State.FAILED:
        return ""
    return str((job.report or {}).get("failure") or CRASHED.format(error="no reason recorded"))


def start_import(
    upload: UploadedFile,
    *,
    user: Any,
    indicator: str,
    dry_run: bool,
    restricted_until: datetime.date | None = None,
) -> ImportJob:
    """Store the upload under a name of our own and queue the import."""
    stored = f"{uuid.uuid4().hex}{Path(upload.name or '').suffix.lower()}"
    with (uploads_dir() / stored).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return _queue(
        user,
        upload=stored,
        file_name=upload.name or stored,
        indicator=indicator,
        dry_run=dry_run,
        restricted_until=restricted_until,
    )


def _queue(user: Any, **fields: Any) -> ImportJob:
    """A job for a stored upload, made and queued for the worker: a new import or a rerun."""
    job = ImportJob.objects.create(
        **fields, user=user if getattr(user, "is_authenticated", False) else None
    )
    run_import_job.enqueue(job.pk)
    return job


def read_progress(job_id: int) -> dict[str, float]:
    try:
        return json.loads(progress_path(job_id).read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {"rows": 0, "fraction": 0.0}


def _write_progress(job_id: int, rows: int, fraction: float) -> None:
    temporary = progress_path(job_id).with_suffix(".tmp")
    temporary.write_text(json.dumps({"rows": rows, "fraction": fraction}))
    temporary.replace(progress_path(job_id))  # readers never see half a file


def report_json(report: ImportReport) -> dict[str, Any]:
    return {
        **{k: v for k, v in asdict(report).items() if k != "problems"},
        "problems": [asdict(p) for p in report.problems],
        "summary": report.summary(),
        "ok": report.ok,
    }


def writable_by(user: Any) -> frozenset[int] | None:
    """The authorities a person may import for: every one for the performance office,
    their own for a council officer, none for anyone else."""
    if user is None:
        return frozenset()
    return scope_of(user, "indicators.add_observation")


def rerun(job: ImportJob, user: Any) -> ImportJob:
    """A new job for a failed one's stored upload, with the same options, queued now. The
    file's clock restarts, so the retention counts from its last use."""
    upload_path(job).touch()
    return _queue(
        user,
        upload=job.upload,
        file_name=job.file_name,
        indicator=job.indicator,
        dry_run=job.dry_run,
        restricted_until=job.restricted_until,
    )


def may_rerun(job: ImportJob) -> bool:
    return job.state == ImportJob.State.FAILED and upload_kept(job)


def fail_orphaned_jobs() -> int:
    """Mark failed every job still 'running' when a worker starts: the one worker that ran
    it is gone (`ambition serve` runs one worker, and restarts it only once it has died).
    Returns how many."""
    orphans = list(ImportJob.objects.filter(state=ImportJob.State.RUNNING))
    for job in orphans:
        _fail(job, ORPHANED)
    return len(orphans)


def discard_expired_uploads(now: float | None = None) -> int:
    """Delete stored uploads (and progress files) unused for longer than the retention,
    except those of jobs still waiting or running. Returns how many files went."""
    cutoff = (now or time.time()) - settings.UPLOAD_RETENTION_DAYS * 24 * 60 * 60
    busy = set(
        ImportJob.objects.filter(
            state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
        ).values_list("upload", flat=True)
    )
    gone = 0
    for path in uploads_dir().iterdir():
        if path.is_file() and path.name not in busy and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone


def _fail(job: ImportJob, reason: str) -> None:
    # Saved through the ORM, not queryset.update(), so that the audit log sees each state.
    job.state, job.finished_at = ImportJob.State.FAILED, timezone.now()
    job.report = {"failure": reason}
    job.save(update_fields=["state", "finished_at", "report"])


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    try:
        report = import_observations(
            upload_path(job),
            origin="page",
            user=job.user,
            dry_run=job.dry_run,
            indicator=job.indicator,
            file_name=job.file_name,
            progress=lambda rows, fraction: _write_progress(job_id, rows, fraction),
            writable=writable_by(job.user),
            restricted_until=job.restricted_until,
        )
    except Exception as error:
        logger.exception("Import job %s failed", job_id)
        _fail(job, CRASHED.format(error=type(error).__name__))
        raise
    job.state, job.finished_at = ImportJob.State.DONE, timezone.now()
    job.report, job.batch_id = report_json(report), report.batch_id
    job.save(update_fields=["state", "finished_at", "report", "batch"])
    _write_progress(job_id, report.observations, 1.0)
    if not report.ok:  # a refused file is of no further use, and may hold what it should not
        upload_path(job).unlink(missing_ok=True)
    discard_expired_uploads()
