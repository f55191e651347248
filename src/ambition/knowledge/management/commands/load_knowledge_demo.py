"""ambition load-knowledge-demo: the knowledge hub's illustrative case studies and network."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ambition.knowledge import demo
from ambition.web.terminal import console_for, done, status


class Command(BaseCommand):
    help = (
        "Load the knowledge hub's illustrative case studies (three published, recorded in "
        "the ledger as given by their lead councils, and one draft) and one professional "
        "network, from data/demo/knowledge.toml. Labelled 'Illustrative' on every page "
        "that shows them. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        with status(console, "Illustrative case studies and a network"):
            made = demo.load()
        console.print(
            done(
                f"Illustrative knowledge: {made['case_studies']} case studies, "
                f"{made['networks']} networks added"
            )
        )
