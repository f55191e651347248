"""ambition load-support-demo: the demo's illustrative support requests, offers, reviews,
secondments and claims (after `ambition assess`, so requests can name a weak area)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console

from ambition.support import demo, demo_reviews


class Command(BaseCommand):
    help = (
        "Load illustrative peer support for the demo (data/demo/support.toml): requests, "
        "some prompted by a weak service area of the latest assessment run, and offers "
        "with named (invented) people, so the broker can be run at once. Labelled "
        "'Illustrative' everywhere. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout._out, highlight=False)  # type: ignore[attr-defined]
        with console.status("Illustrative requests and offers"):
            made = demo.load()
        console.print(
            f"[green]✓[/] Illustrative support: {made['requests']} requests, "
            f"{made['offers']} offers, {made['people']} people added"
        )
        with console.status("Illustrative peer reviews, secondments and back-fill claims"):
            demo_reviews.load(datetime.date.today())
        console.print("[green]✓[/] Illustrative peer reviews, secondments and claims")
