"""ambition load-efficiency-demo"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ambition.efficiency.demo import load_demo
from ambition.web.terminal import console_for, done


class Command(BaseCommand):
    help = (
        "Load the demo's illustrative efficiency programme (data/demo/efficiency): net "
        "revenue budgets for the 33 boroughs, some savings returns, a few of them flagged "
        "for the office, and a few local area agreements of 2008-11 with targets on stored "
        "indicators. Invented figures, labelled illustrative. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = load_demo()
        console_for(self).print(
            done(
                f"Illustrative efficiency: {made['budgets']} budgets, {made['returns']} returns, "
                f"{made['agreements']} local area agreements"
            )
        )
