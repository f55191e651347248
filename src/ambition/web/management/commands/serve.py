"""ambition serve: the site under a production server (gunicorn), and the background worker
beside it, supervised: a worker that dies is started again, and each start is reported."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

WORKER = [sys.executable, "-m", "ambition", "run_worker", "--no-startup-delay"]
POLL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0


class Supervised:
    """A child process kept running: started again after it exits, waiting longer after each
    quick death (0, 1, 2, 4 ... 30 s) so that a worker that cannot start does not spin."""

    def __init__(self, name: str, command: list[str], say: Callable[[str], None]) -> None:
        self.name, self.command, self.say = name, command, say
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.restarts = 0
        self.quick_deaths = 0
        self.not_before = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)
        self.started = time.monotonic()
        self.say(f"The {self.name} started (pid {self.process.pid}).")

    def check(self) -> None:
        """Start the process again if it has exited (and its back-off has passed)."""
        if self.process is None or self.process.poll() is None:
            return
        now = time.monotonic()
        if not self.not_before:
            code, lived = self.process.returncode, now - self.started
            self.quick_deaths = 0 if lived > MAX_BACKOFF_SECONDS else self.quick_deaths + 1
            backoff = self._backoff()
            self.say(
                f"The {self.name} stopped (exit code {code}) after {lived:.0f} s; starting it "
                f"again in {backoff:.0f} s."
            )
            self.not_before = now + backoff
        if now >= self.not_before:
            self.restarts += 1
            self.not_before = 0.0
            self.start()

    def _backoff(self) -> float:
        """At once after a death that ends a long life or the first quick one; then 1, 2,
        4 ... seconds, up to MAX_BACKOFF_SECONDS."""
        if self.quick_deaths <= 1:
            return 0.0
        return min(2.0 ** (self.quick_deaths - 2), MAX_BACKOFF_SECONDS)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn, a production WSGI server, and the worker that runs "
        "background jobs; the worker is started again if it dies. `ambition check-worker` "
        "reports the worker's health."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        # One thread per worker process: the pages and the API are Python at work, not waiting
        # on a network, and two threads of one process take turns holding the interpreter
        # lock, a request waiting whole 5 ms switch intervals behind its sibling. Measured
        # with bench/whatif_api.py and bench/api_latency.py on 2 cores, 16 clients: p99 65 ms
        # with 2 threads against 26 ms with 1 (what-if), 48 against 36 ms (observations).
        parser.add_argument("--threads", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]:
            # Background jobs (imports from the page) are run by a worker beside the site.
            worker = Supervised("worker", WORKER, self._say)
            worker.start()
        self.stdout.write(f"Serving Ambition at http://{options['host']}:{options['port']}/")
        server = subprocess.Popen(self._server(options))
        stopping: list[bool] = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            while not stopping and server.poll() is None:
                if worker is not None:
                    worker.check()
                time.sleep(POLL_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            server.terminate()
            server.wait()
            if worker is not None:
                worker.stop()

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _server(self, options: dict[str, Any]) -> list[str]:
        return [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "ambition.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ]
