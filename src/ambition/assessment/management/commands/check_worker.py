"""ambition check-worker: is the background worker alive, and how long is its queue?"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ambition.indicators.models import ImportJob

from ...worker import STALE_AFTER_SECONDS, read_heartbeat


class Command(BaseCommand):
    help = (
        "Report the background worker's health: when it last beat, and the import jobs "
        "waiting and running. Exits with an error if no worker has beaten in the last "
        f"{STALE_AFTER_SECONDS} seconds."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = ImportJob.objects.filter(state=ImportJob.State.QUEUED).count()
        running = ImportJob.objects.filter(state=ImportJob.State.RUNNING).count()
        queue = f"{waiting} import(s) waiting, {running} running"
        heartbeat = read_heartbeat()
        if heartbeat is None:
            raise CommandError(f"No worker has run here yet; {queue}. Start `ambition serve`.")
        age = time.time() - float(heartbeat["at"])
        if age > STALE_AFTER_SECONDS:
            raise CommandError(
                f"The worker (pid {heartbeat['pid']}) last beat {age:.0f} s ago: it is not "
                f"running; {queue}. Start `ambition serve`, which restarts it."
            )
        self.stdout.write(
            f"The worker (pid {heartbeat['pid']}, started {heartbeat['started']}) is alive: "
            f"last beat {age:.0f} s ago; {queue}."
        )
