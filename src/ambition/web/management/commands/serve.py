"""ambition serve: the site under a production server (gunicorn)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn, a production WSGI server, and the worker that runs "
        "background jobs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--threads", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        bin_dir = os.path.dirname(sys.executable)
        worker = None
        if "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]:
            # Background jobs (imports from the page) are run by a worker beside the site.
            worker = subprocess.Popen([sys.executable, "-m", "ambition", "db_worker"])
        self.stdout.write(f"Serving Ambition at http://{options['host']}:{options['port']}/")
        server = subprocess.Popen(
            [
                os.path.join(bin_dir, "gunicorn"),
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
        )
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())
        try:
            server.wait()
        except KeyboardInterrupt:
            server.terminate()
            server.wait()
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait()
