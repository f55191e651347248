"""ambition import-net-budgets FILE"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.efficiency.imports import decode, import_budgets
from ambition.web.terminal import console_for, done


class Command(BaseCommand):
    help = (
        "Import authorities' net revenue budgets from a CSV with the columns ons_code, year "
        "(2008 or 2008/09) and amount (GBP), and optionally source and illustrative (yes/no). "
        "All or nothing: any bad row means nothing is written, and every problem is listed "
        "with its row and column. A changed figure adds a revision; importing the same file "
        "again adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = import_budgets(decode(path.read_bytes()))
        console = console_for(self)
        for p in report.problems:
            console.print(f"row {p.row}, column {p.column}: {p.reason}", markup=False)
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported")
        console.print(done(f"Net budgets: {report.added} added, {report.unchanged} unchanged"))
