"""Runs asked for from the page are made by a background task (django-tasks), off the
request: the page records a job, queues the task and shows the job's progress until the run
exists, then goes to the run. A job's state is a small JSON file under the var directory,
written whole and renamed into place, so that the web server and the worker (separate
processes) read the same thing whichever task backend is in use."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .making import make_run

STEPS = ("Reading observations", "Assessing", "Storing the results")
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ORPHANED = (
    "The worker making this run stopped before it finished (it was restarted or shut down). "
    "No run was stored. Make the run again."
)
CRASHED = "The run stopped with an unexpected error ({error}). No run was stored."


@dataclass(frozen=True)
class RunJob:
    id: str
    method: str
    as_of: str  # ISO date
    scope: str
    user_id: int | None
    created_at: str
    state: str = QUEUED
    step: str = ""
    run_id: int | None = None
    reason: str = ""  # why a failed job failed, for its page

    @property
    def url(self) -> str:
        return reverse("assessment-run-job", args=[self.id])

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def percent(self) -> int:
        """Steps done, as a share: the engine reports steps, not rows."""
        if self.state == DONE:
            return 100
        done = STEPS.index(self.step) if self.step in STEPS else 0
        return round(100 * done / len(STEPS))


def jobs_dir() -> Path:
    path = Path(settings.VAR_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_path(job_id: str) -> Path:
    return jobs_dir() / f"assessment-{job_id}.json"


def save(job: RunJob) -> RunJob:
    temporary = job_path(job.id).with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(job)))
    temporary.replace(job_path(job.id))  # readers never see half a file
    return job


def read_job(job_id: str) -> RunJob | None:
    """The job, or None for an id that is not a job's (ids are 32 hex digits)."""
    if len(job_id) != 32 or any(c not in "0123456789abcdef" for c in job_id):
        return None
    try:
        return RunJob(**json.loads(job_path(job_id).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def record_job(method: str, as_of: datetime.date, scope: str, user: Any) -> RunJob:
    """A queued job, written before its task is: the page can show it at once."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    job = RunJob(
        uuid.uuid4().hex, method, as_of.isoformat(), scope, user_id, timezone.now().isoformat()
    )
    return save(job)


def start_run(method: str, as_of: datetime.date, scope: str, user: Any) -> RunJob:
    """Record the job and queue its task; returns the job as it stands once queued (already
    done when the task backend runs tasks in the request)."""
    job = record_job(method, as_of, scope, user)
    run_assessment.enqueue(job.id)
    return read_job(job.id) or job


def fail_orphaned_runs() -> int:
    """Mark failed every job still 'running' when a worker starts: the one worker that made
    it is gone (`ambition serve` runs one worker, restarted only once it has died). Returns
    how many."""
    orphans = [
        job
        for path in jobs_dir().glob("assessment-*.json")
        if (job := read_job(path.stem.removeprefix("assessment-"))) and job.state == RUNNING
    ]
    for job in orphans:
        save(replace(job, state=FAILED, reason=ORPHANED))
    return len(orphans)


@task()
def run_assessment(job_id: str) -> int:
    """Make the run the job asks for; returns its id."""
    job = read_job(job_id)
    if job is None:
        raise ValueError(f"no assessment job {job_id}")
    user = get_user_model().objects.filter(pk=job.user_id).first() if job.user_id else None
    job = save(replace(job, state=RUNNING))
    try:
        run = make_run(
            job.method,
            datetime.date.fromisoformat(job.as_of),
            user=user,
            via="page",
            scope=job.scope,
            progress=lambda step: save(replace(job, step=step)),
        )
    except Exception as error:
        save(replace(job, state=FAILED, reason=CRASHED.format(error=type(error).__name__)))
        raise
    save(replace(job, state=DONE, step="", run_id=run.pk))
    return int(run.pk)
