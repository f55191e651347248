"""Import and assessment jobs outlive the worker that ran them: a job left running by a
worker that died is failed with the reason when a worker starts, and a failed import runs
again from its page while its file is kept; refused uploads are deleted at once and kept
ones only for the retention period."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment import jobs as assessment_jobs
from ambition.indicators.jobs import progress_path, upload_path, uploads_dir
from ambition.indicators.models import ImportJob

pytestmark = pytest.mark.django_db
LAMBETH = "E09000022"
GOOD = f"authority,indicator,period,value\n{LAMBETH},ons-employment-rate,2004,70.1\n"
BAD = "authority,indicator,period,value\nGotham City,ons-employment-rate,2004,70.1\n"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _var(settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # uploads, progress and heartbeat files of these tests only


def stored_job(user: Any, text: str | None, **fields: Any) -> ImportJob:
    """A page job whose upload is stored (or, with text None, no longer is)."""
    job = ImportJob.objects.create(
        upload="stored.csv", file_name="councils.csv", user=user, dry_run=True, **fields
    )
    if text is not None:
        upload_path(job).write_text(text)
    return job


def start_worker(settings: Any) -> None:
    """`ambition run-worker` as `ambition serve` starts it, until its queue is empty. The
    worker's loop closes its connection between tasks as a request would, which on
    PostgreSQL would end the test's transaction: here the connection is left open."""
    settings.TASKS = DATABASE_TASKS
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)


def page(client: Client, job: ImportJob) -> str:
    return " ".join(client.get(f"/import/jobs/{job.pk}/").content.decode().split())


def test_a_job_left_running_fails_with_its_reason_when_a_worker_starts(
    client: Client, analyst: Any, settings: Any
) -> None:
    job = stored_job(analyst, GOOD, state=ImportJob.State.RUNNING)
    progress_path(job.pk).write_text(json.dumps({"rows": 1, "fraction": 1.0}))
    start_worker(settings)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.finished_at is not None
    client.force_login(analyst)
    shown = page(client, job)
    assert "stopped before it finished" in shown and "Nothing was written" in shown
    assert "Run this import again" in shown


def test_a_failed_job_runs_again_from_its_page(client: Client, analyst: Any) -> None:
    job = stored_job(analyst, GOOD, state=ImportJob.State.FAILED)
    client.force_login(analyst)
    answer = client.post(f"/import/jobs/{job.pk}/again/")
    again = ImportJob.objects.latest("pk")
    assert again.pk != job.pk and answer["Location"] == again.get_absolute_url()
    assert (again.upload, again.file_name, again.dry_run) == (job.upload, job.file_name, True)
    assert again.state == ImportJob.State.DONE and again.report["ok"], again.report


def test_a_rerun_queued_for_the_worker_is_run_by_it(
    client: Client, analyst: Any, settings: Any
) -> None:
    job = stored_job(analyst, GOOD, state=ImportJob.State.FAILED)
    client.force_login(analyst)
    settings.TASKS = DATABASE_TASKS
    client.post(f"/import/jobs/{job.pk}/again/")
    again = ImportJob.objects.latest("pk")
    assert again.state == ImportJob.State.QUEUED
    start_worker(settings)
    again.refresh_from_db()
    assert again.state == ImportJob.State.DONE and again.report["ok"], again.report


def test_a_job_whose_file_is_gone_cannot_run_again(client: Client, analyst: Any) -> None:
    job = stored_job(analyst, None, state=ImportJob.State.FAILED)
    client.force_login(analyst)
    shown = page(client, job)
    assert "cannot be run again: its file is no longer kept" in shown
    assert "Run this import again" not in shown
    answer = client.post(f"/import/jobs/{job.pk}/again/")
    assert answer["Location"] == job.get_absolute_url()
    assert ImportJob.objects.latest("pk") == job


def test_only_a_finished_failure_runs_again(client: Client, analyst: Any) -> None:
    job = stored_job(analyst, GOOD, state=ImportJob.State.DONE)
    client.force_login(analyst)
    client.post(f"/import/jobs/{job.pk}/again/")
    assert ImportJob.objects.latest("pk") == job
    assert client.get(f"/import/jobs/{job.pk}/again/").status_code == 405


def test_another_officers_job_does_not_run_again(client: Client, analyst: Any) -> None:
    job = stored_job(analyst, GOOD, state=ImportJob.State.FAILED)
    officer = create_person(
        "jobs-officer", "officer-password-1", [RoleSpec.parse(f"officer:{LAMBETH}")]
    )
    client.force_login(officer)
    assert client.post(f"/import/jobs/{job.pk}/again/").status_code == 404
    assert ImportJob.objects.latest("pk") == job


def test_a_refused_upload_is_deleted_and_an_accepted_one_kept(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    for name, text in (("bad.csv", BAD), ("good.csv", GOOD)):
        client.post("/import/", {"file": _upload(name, text), "dry_run": "on"})
    refused, accepted = ImportJob.objects.order_by("pk").reverse()[:2][::-1]
    assert not refused.report["ok"] and accepted.report["ok"]
    assert not upload_path(refused).exists()
    assert upload_path(accepted).read_text() == GOOD


def test_uploads_past_their_retention_are_deleted_when_a_worker_starts(
    analyst: Any, settings: Any
) -> None:
    settings.UPLOAD_RETENTION_DAYS = 30
    old, fresh = uploads_dir() / "old.csv", uploads_dir() / "fresh.csv"
    for path in (old, fresh):
        path.write_text(GOOD)
    month_ago = time.time() - 31 * 24 * 60 * 60
    os.utime(old, (month_ago, month_ago))
    start_worker(settings)
    assert not old.exists() and fresh.exists()


def test_a_rerun_restarts_the_retention_clock(client: Client, analyst: Any) -> None:
    job = stored_job(analyst, GOOD, state=ImportJob.State.FAILED)
    month_ago = time.time() - 31 * 24 * 60 * 60
    os.utime(upload_path(job), (month_ago, month_ago))
    client.force_login(analyst)
    client.post(f"/import/jobs/{job.pk}/again/")
    assert upload_path(job).stat().st_mtime > time.time() - 60


def test_an_assessment_job_left_running_fails_when_a_worker_starts(
    analyst: Any, settings: Any
) -> None:
    import datetime

    job = assessment_jobs.record_job(
        "ambition-default", datetime.date(2024, 3, 31), "members", analyst
    )
    assessment_jobs.save(
        assessment_jobs.replace(job, state=assessment_jobs.RUNNING, step="Assessing")
    )
    start_worker(settings)
    failed = assessment_jobs.read_job(job.id)
    assert failed is not None and failed.state == assessment_jobs.FAILED and failed.finished
    assert "stopped before it finished" in failed.reason


def test_the_worker_reports_its_health(settings: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No worker has run here yet"):
        call_command("check_worker")
    start_worker(settings)
    out = _output("check_worker")
    assert "is alive" in out and "0 import(s) waiting, 0 running" in out


def _output(*args: str) -> str:
    import io

    buffer = io.StringIO()
    call_command(*args, stdout=buffer)
    return buffer.getvalue()


def _upload(name: str, text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _work(worker: Any, outcome: dict[str, Any]) -> None:
    try:
        worker.run()
        outcome["ended"] = "cleanly"
    except Exception as error:
        outcome["ended"] = repr(error)
    finally:
        connections.close_all()  # this thread's own connection


@pytest.mark.parametrize("steady", [True, False])
def test_the_worker_waits_out_a_locked_database(settings: Any, steady: bool) -> None:
    """The test's own transaction holds the write lock of SQLite's in-memory test database,
    which answers "locked" at once to the worker's connection (another thread's) for as
    long as the test runs: the worker must keep trying, not die, until it is stopped."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    from ambition.assessment.worker import SteadyWorker

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    settings.TASKS = DATABASE_TASKS
    ImportJob.objects.create(upload="x.csv", file_name="x.csv")  # the test now holds the lock
    kind = SteadyWorker if steady else Worker
    worker = kind(
        queue_names=["default"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="locked-test",
        excluded_queue_names=[],
    )
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=_work, args=(worker, outcome))
    thread.start()
    thread.join(timeout=3)
    worker.running = False
    thread.join(timeout=30)
    if steady:
        assert outcome == {"ended": "cleanly"}
    else:  # what the worker did before: the lock ended it
        assert "locked" in outcome.get("ended", "")
