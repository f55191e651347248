"""ambition categorise-spend [AUTHORITY] [--format csv]"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.table import Table

from ambition.registry.models import Authority
from ambition.spend.categories.report import CategoryReport, Line, spend_categories
from ambition.spend.console import named_authority
from ambition.web.terminal import console_for

HEADINGS = ["section", "key", "name", "transactions", "amount"]


class Command(BaseCommand):
    help = (
        "Current spend put in procurement categories (ProClass top levels, mapped to CPV) by "
        "people's labels, the word rules and the model learnt from the labels: the share of "
        "spend and of transactions categorised, spend by category and by way of deciding "
        "(label, rules, model, supplier) with counts (exact to the penny), and the 20 commonest "
        "reasons a transaction was left uncategorised. Every authority's spend without "
        "AUTHORITY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("authority", nargs="?", help="ONS code or name of the authority")
        parser.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = _authority(options["authority"])
        result = spend_categories(authority)
        if options["format"] == "csv":
            self._csv(result)
        else:
            self._tables(result, authority.name if authority else "Every authority")

    def _csv(self, result: CategoryReport) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADINGS)
        writer.writerow(["all", "", "", result.transactions, result.amount])
        writer.writerow(
            ["categorised", "", "", result.categorised_transactions, result.categorised_amount]
        )
        writer.writerow(["passed_on", "", "", "", result.passed_on_amount])
        sections = (
            ("category", result.categories),
            ("source", result.sources),
            ("reason", result.reasons),
        )
        for section, lines in sections:
            writer.writerows([section, x.key, x.name, x.transactions, x.amount] for x in lines)

    def _tables(self, result: CategoryReport, title: str) -> None:
        console = console_for(self)
        money = _share(result.categorised_amount, result.amount)
        rows = _share(Decimal(result.categorised_transactions), Decimal(result.transactions))
        console.print(
            f"{title}: £{result.categorised_amount:,.2f} of £{result.amount:,.2f} categorised "
            f"({money} of spend); {result.categorised_transactions:,} of "
            f"{result.transactions:,} transactions ({rows})."
        )
        if passed_on := result.passed_on_amount:
            bought = result.amount - passed_on
            console.print(
                f"Leaving out £{passed_on:,.2f} passed on as grants and transfers: "
                f"£{result.categorised_amount - passed_on:,.2f} of £{bought:,.2f} of "
                f"procurement spend categorised "
                f"({_share(result.categorised_amount - passed_on, bought)})."
            )
        console.print(_table("Spend by category", "Category", result.categories))
        console.print(_table("How categories were decided", "Source", result.sources))
        console.print(_table("Why transactions were left uncategorised", "Reason", result.reasons))


def _authority(text: str | None) -> Authority | None:
    return None if text is None else named_authority(text)


def _share(part: Decimal, whole: Decimal) -> str:
    return f"{part / whole:.1%}" if whole else "no spend"


def _table(title: str, heading: str, lines: list[Line]) -> Table:
    table = Table(heading, "Transactions", "Amount (£)", title=title)
    for line in lines:
        table.add_row(line.name or line.key, f"{line.transactions:,}", f"{line.amount:,.2f}")
    return table
