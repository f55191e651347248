"""ambition import-residents-survey AUTHORITY FILE [--dry-run] [--illustrative]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.accounts.people import named_person
from ambition.indicators.console import print_report
from ambition.indicators.residents import COLUMNS, import_residents_survey
from ambition.web.terminal import console_for


class Command(BaseCommand):
    help = (
        "Import a council's own residents' survey: a CSV or XLSX file with the columns "
        f"{', '.join(COLUMNS)}, one row per answer to each question of the LGA's residents' "
        "satisfaction polling (data/indicators/residents_survey.toml lists the questions and "
        "answers). Each question's share of positive answers is stored as an observation with "
        "its 95% Wilson interval, and the counts are kept. All or nothing: any invalid row "
        "means nothing is written, and every problem is listed with its row and column."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("authority", help="The council's ONS code, e.g. E09000007")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing")
        parser.add_argument(
            "--illustrative",
            action="store_true",
            help="Made-up numbers (the demo's): every page that shows them says so",
        )
        parser.add_argument("--user", default="", help="Record the import as this user's")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        user = named_person(options["user"])
        report = import_residents_survey(
            path,
            options["authority"],
            origin="cli",
            user=user,
            dry_run=options["dry_run"],
            illustrative=options["illustrative"],
        )
        print_report(report, console_for(self))
        if not report.ok:
            raise CommandError(f"{report.problem_count} problem(s); nothing was imported")
