"""ambition spend-summary AUTHORITY --by year|month|supplier|service [--format csv]"""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.table import Table

from ambition.spend.console import named_authority
from ambition.spend.steps import GROUPS
from ambition.spend.transactions import summarise
from ambition.web.terminal import console_for


class Command(BaseCommand):
    help = (
        "An authority's current spend (superseded months left out), by financial year, "
        "month, supplier or service: the number of transactions and their total, exact "
        "to the penny."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("authority", help="ONS code or name of the authority")
        parser.add_argument("--by", choices=list(GROUPS), default="year")
        parser.add_argument("--format", choices=["table", "csv"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = named_authority(options["authority"])
        by = options["by"]
        rows = summarise(authority, by).to_pylist()
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow([by, "transactions", "amount"])
            writer.writerows([r[by], r["transactions"], r["amount"]] for r in rows)
            return
        table = Table(by.capitalize(), "Transactions", "Amount (£)", title=authority.name)
        for r in rows:
            table.add_row(str(r[by]), f"{r['transactions']:,}", f"{r['amount']:,.2f}")
        console_for(self).print(table)
