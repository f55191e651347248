"""The background worker that runs imports and assessment runs asked for from the pages:
django-tasks' database worker, made to survive a busy database and to tidy up after a
predecessor that died. It lives here, on the highest floor whose jobs it looks after
(indicators' imports and assessment's runs).

It writes a heartbeat file under the var directory every few seconds; `ambition
check-worker` reads it, and `ambition serve` restarts the worker if its process dies."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from ambition.indicators.jobs import discard_expired_uploads, fail_orphaned_jobs

from .jobs import fail_orphaned_runs

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5
STALE_AFTER_SECONDS = 30
LOCKED_PAUSE_SECONDS = 1.0


def heartbeat_path() -> Path:
    return Path(settings.VAR_DIR) / "worker.json"


def recover() -> dict[str, int]:
    """What a worker does first: its predecessor's unfinished jobs are failed with the
    reason (the page can run an import again), and expired uploads are deleted."""
    return {
        "imports failed": fail_orphaned_jobs(),
        "runs failed": fail_orphaned_runs(),
        "uploads deleted": discard_expired_uploads(),
    }


def beat(path: Path, started: str) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"pid": os.getpid(), "started": started, "at": time.time()}))
    temporary.replace(path)  # readers never see half a file


def start_heartbeat() -> Callable[[], None]:
    """Beat now, then from a daemon thread while the process lives, even through a long
    import. Returns what stops it."""
    path, started, stop = heartbeat_path(), timezone.now().isoformat(), threading.Event()
    beat(path, started)

    def loop() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            beat(path, started)

    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()
    return stop.set


def read_heartbeat() -> dict[str, Any] | None:
    try:
        return json.loads(heartbeat_path().read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


class SteadyWorker(Worker):
    """django-tasks' worker, but a "database is locked" anywhere in its loop (waiting for a
    long write, recording a task's result) is waited out instead of ending the process."""

    def run(self) -> None:
        while self.running:
            try:
                super().run()
                return
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                logger.warning("The database is busy (%s); the worker tries again.", error)
                close_old_connections()
                time.sleep(LOCKED_PAUSE_SECONDS)
