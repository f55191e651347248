"""ambition run-worker: the background worker for imports and assessment runs."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ...worker import SteadyWorker, recover, start_heartbeat


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker for imports and assessment runs asked for from the pages. "
        "On start it marks failed the jobs a previous worker left running and deletes expired "
        "uploads; it waits out a busy database instead of stopping. `ambition serve` starts "
        "it (and restarts it if it dies); `ambition check-worker` reports its health."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        recovered = recover()
        self.stdout.write(
            "Worker starting: " + ", ".join(f"{n} {what}" for what, n in recovered.items())
        )
        stop_heartbeat = start_heartbeat()
        worker = SteadyWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.reset_signals()
            stop_heartbeat()
