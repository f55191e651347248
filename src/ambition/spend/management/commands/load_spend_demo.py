"""ambition load-spend-demo"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ambition.spend.demo import load_demo
from ambition.web.terminal import console_for, done, status


class Command(BaseCommand):
    help = (
        "Load the demo's spend: the real spending files in data/spend (the GLA's 2013/14 "
        "periods, Lambeth's months of 2011-12), imported as any council's are (damaged rows "
        "recorded), their suppliers resolved, and a few saving rates labelled illustrative. "
        "Running it again adds nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        with status(console, "Spending files, suppliers and saving rates"):
            loaded = load_demo()
        console.print(
            done(
                f"Spend: {loaded.stored} files stored ({loaded.skipped} already), "
                f"{loaded.rows_refused} damaged rows recorded; suppliers from "
                f"run {loaded.run.pk if loaded.run else 'none'}; "
                f"{loaded.rates} illustrative saving rates set"
            )
        )
