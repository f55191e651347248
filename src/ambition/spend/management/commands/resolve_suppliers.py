"""ambition resolve-suppliers [--threshold P]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from ambition.spend.suppliers.resolve import THRESHOLD
from ambition.spend.suppliers.runs import resolve_suppliers
from ambition.spend.suppliers.stored import store_run
from ambition.web.terminal import console_for


def probability(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Resolve the suppliers of every authority's current spend into clusters (Splink, "
        "trained on the names), redacted suppliers left out, and keep the run under "
        "var/spend/suppliers/run-<n>: names, clusters, the pairs scored and the time; the run is "
        "also stored in the database, with every decision people made about suppliers "
        "applied again (and the decisions the new clustering disagreed with counted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold", type=probability, default=THRESHOLD,
            help=f"match probability at which two names are one supplier (default {THRESHOLD})",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        run = resolve_suppliers(options["threshold"])
        counts = run.resolution.counts
        if not counts["records"]:
            raise CommandError("there are no suppliers to resolve: import spend first")
        stored = store_run(run)
        table = Table(
            "Names", "Clusters", "Pairs matched", "Decisions overriding it", "Seconds",
            title=f"Run {run.number}",
        )  # fmt: skip
        table.add_row(
            f"{counts['records']:,}", f"{counts['clusters']:,}", f"{counts['pairs']:,}",
            f"{len(stored.disagreements):,}", f"{run.resolution.seconds:.1f}",
        )  # fmt: skip
        console_for(self).print(table)
        self.stdout.write(f"kept in {run.folder}")
