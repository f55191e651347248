"""ambition load-fund-demo: the real improvement budget and awards of 2006."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ambition.fund import demo
from ambition.fund.impacts import assess_impacts
from ambition.fund.models import ImpactRun
from ambition.web.terminal import console_for, done, status


class Command(BaseCommand):
    help = (
        "Load the demo's fund: the GBP 6.6m government improvement budget (2006) and the "
        "real awards of 2006 (Barking and Dagenham, Havering, Harrow, Merton; Waltham "
        "Forest's, amount not published), with illustrative milestones, first tranches and "
        "target indicators labelled so; then their impact, as the first impact run. Running it "
        "again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        with status(console, "The improvement fund of 2006"):
            made = demo.load()
        console.print(
            done(
                # Short enough for one line of an 80-column terminal.
                f"Improvement fund: {made['budgets']} budget, {made['awards']} awards; "
                f"illustrative: {made['payments']} payments, {made['targets']} targets"
            )
        )
        if ImpactRun.objects.latest_run() is None:
            with status(console, "The awards' impact"):
                run = assess_impacts(via="demo")
            console.print(done(f"Impact run {run.pk}: {run.awards} awards assessed"))
