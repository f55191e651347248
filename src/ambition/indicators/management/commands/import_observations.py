"""ambition import-observations FILE [--dry-run] [--indicator CODE]"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.accounts.people import named_person
from ambition.indicators.console import print_report, run_import
from ambition.web.terminal import console_for


class Command(BaseCommand):
    help = (
        "Import observations from a CSV (UTF-8 or Windows-1252) or XLSX file, long or wide "
        "layout. All or nothing: any invalid row means nothing is written, and every problem "
        "is listed with its row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing")
        parser.add_argument(
            "--indicator", default="", help="Indicator code for a file without an indicator column"
        )
        parser.add_argument("--user", default="", help="Record the import as this user's")
        parser.add_argument(
            "--restricted-until",
            type=datetime.date.fromisoformat,
            default=None,
            help="Keep the rows from the public until this day (YYYY-MM-DD)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        user = named_person(options["user"])
        console = console_for(self)
        report = run_import(
            path,
            console,
            origin="cli",
            user=user,
            dry_run=options["dry_run"],
            indicator=options["indicator"],
            restricted_until=options["restricted_until"],
        )
        print_report(report, console)
        if not report.ok:
            raise CommandError(f"{report.problem_count} problem(s); nothing was imported")
