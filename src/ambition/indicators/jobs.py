"""Imports asked for from the page run as background tasks (django-tasks): the request
stores the file and returns at once; the page shows the job's progress and report."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django_tasks import task

from ambition.accounts.backends import grants_of
from ambition.accounts.policy import writable_authorities

from .imports import ImportReport, import_observations
from .models import ImportJob


def uploads_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(job_id: int) -> Path:
    return uploads_dir() / f"job-{job_id}.progress.json"


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
    job = ImportJob.objects.create(
        upload=stored,
        file_name=upload.name or stored,
        indicator=indicator,
        dry_run=dry_run,
        restricted_until=restricted_until,
        user=user if getattr(user, "is_authenticated", False) else None,
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
    if user.is_superuser:
        return None
    return writable_authorities(grants_of(user), "indicators.add_observation")


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    # Saved through the ORM, not queryset.update(), so that the audit log sees each state.
    job.state = ImportJob.State.RUNNING
    job.save(update_fields=["state"])
    try:
        report = import_observations(
            uploads_dir() / job.upload,
            origin="page",
            user=job.user,
            dry_run=job.dry_run,
            indicator=job.indicator,
            file_name=job.file_name,
            progress=lambda rows, fraction: _write_progress(job_id, rows, fraction),
            writable=writable_by(job.user),
            restricted_until=job.restricted_until,
        )
    except Exception:
        job.state, job.finished_at = ImportJob.State.FAILED, timezone.now()
        job.save(update_fields=["state", "finished_at"])
        raise
    job.state, job.finished_at = ImportJob.State.DONE, timezone.now()
    job.report, job.batch_id = report_json(report), report.batch_id
    job.save(update_fields=["state", "finished_at", "report", "batch"])
    _write_progress(job_id, report.observations, 1.0)
