"""ambition match-support: propose matches for every open support request at once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from ambition.accounts.people import named_person
from ambition.support.engine.suitability import WeightsError
from ambition.support.matching import match_support, proposals
from ambition.support.models import SupportRequest
from ambition.web.terminal import console_for, status


class Command(BaseCommand):
    help = (
        "Propose matches for every open support request at once, optimally: the most total "
        "suitability within every offer's staff days, each request's days and dates, the "
        "exclusions and the fairness cap (AMBITION_SUPPORT_MAX_SHARE). Accepted matches are "
        "kept, declined pairs never proposed again. Stores a broker run and prints its "
        "proposals, each with its score's parts, and the days no one could give."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="", help="Who the run is recorded as made by")
        parser.add_argument(
            "--date", default="", help="Run as of this ISO date (its financial year's offers)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, soft_wrap=True)
        user = named_person(options["user"])
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date {options['date']!r} is not an ISO date") from error
        with status(console, "Matching") as say:
            try:
                run = match_support(user, "command", today, progress=say)
            except WeightsError as error:
                raise CommandError(f"AMBITION_SUPPORT_WEIGHTS: {error}") from error
        console.print(
            f"Broker run {run.pk}: {len(run.requests)} open requests, total suitability "
            f"{run.objective:.3f}, {run.solver_status}, {run.seconds:.2f} s"
        )
        console.print(self._table(run))
        for short in run.unmatched:
            request = SupportRequest.objects.select_related("authority").get(pk=short["request"])
            console.print(
                f"Request {request.pk} ({request.authority}): {short['days_short']} days "
                f"unmatched: {short['reason']}"
            )

    def _table(self, run: Any) -> Table:
        table = Table("request", "requester", "area", "supporter", "days", "score", "state")
        for m in proposals(run):
            table.add_row(
                str(m.request_id),
                m.request.authority.name,
                m.request.service_area.name,
                m.supporter.name,
                str(m.days),
                f"{m.score:.3f}",
                m.get_state_display(),
            )
        return table
