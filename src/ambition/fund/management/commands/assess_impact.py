"""ambition assess-impact: store every award's impact as a new impact run."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ambition.accounts.people import named_person
from ambition.web.terminal import console_for, status

from ...impacts import assess_impacts
from ...models import ImpactRun


class Command(BaseCommand):
    help = (
        "Estimate every award's impact on its target indicators (difference in differences "
        "against comparable councils without an award) on the data stored now, and keep the "
        "findings as a new impact run that is never changed; the fund overview shows the "
        "latest. Prints the run's id, its inputs' fingerprint and the awards by status."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="", help="Who the run is recorded as made by")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, soft_wrap=True)
        user = named_person(options["user"])
        with status(console, "Assessing the awards' impact"):
            run = assess_impacts(via="command", by=user)
        for line in report(run):
            console.print(line)


def report(run: ImpactRun) -> list[str]:
    counts = Counter(run.found.values_list("status", flat=True))
    return [
        f"Impact run {run.pk}",
        f"  awards   {run.awards:,} ({run.observations:,} observations read)",
        f"  inputs   sha256 {run.data_fingerprint}",
        f"  code     {run.code_version}",
        f"  took     {run.seconds:.2f} s",
        *(f"  {code:<20} {n:,}" for code, n in sorted(counts.items())),
    ]
