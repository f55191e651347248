"""ambition load-support-demo: the demo's illustrative support requests, offers, reviews,
secondments and claims (after `ambition assess`, so requests can name a weak area)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand

from ambition.support import demo, demo_reviews
from ambition.web.terminal import console_for, done, status


class Command(BaseCommand):
    help = (
        "Load illustrative peer support for the demo (data/demo/support.toml): requests, "
        "some prompted by a weak service area of the latest assessment run, and offers "
        "with named (invented) people, so the broker can be run at once. Labelled "
        "'Illustrative' everywhere. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        with status(console, "Illustrative requests and offers"):
            made = demo.load()
        console.print(
            done(
                f"Illustrative support: {made['requests']} requests, "
                f"{made['offers']} offers, {made['people']} people added"
            )
        )
        with status(console, "Illustrative peer reviews, secondments and back-fill claims"):
            demo_reviews.load(datetime.date.today())
        console.print(done("Illustrative peer reviews, secondments and claims"))
