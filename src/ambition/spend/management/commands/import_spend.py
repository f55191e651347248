"""ambition import-spend AUTHORITY FILE_OR_FOLDER... [--accept-errors] [--map "Heading=field"]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.accounts.people import named_person
from ambition.registry.models import Authority
from ambition.spend.console import (
    BadAnswer,
    named_authority,
    parse_answers,
    print_outcome,
    print_summary,
    progress_bar,
    spending_files,
)
from ambition.spend.models import IMPORT_SPEND
from ambition.spend.reading.values import ValueRefused, parse_spend_period, period_in_name
from ambition.spend.store import Outcome, Result, SpendingFile, store_files
from ambition.web.terminal import console_for

QUESTIONS_EXIT = 2


class Command(BaseCommand):
    help = (
        "Store an authority's spending files (CSV, gzip-compressed CSV or XLSX, in any "
        "layout; every .csv, .csv.gz and .xlsx in a folder). Each file is all or nothing: "
        "rows that cannot be read are listed and nothing is stored unless --accept-errors; "
        "an ambiguous mapping of columns is asked (exit 2), answered with --map. The same "
        "file again adds nothing; a file covering days already stored replaces those months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("authority", help="ONS code or name of the authority")
        parser.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
        parser.add_argument(
            "--accept-errors", action="store_true",
            help="Store the good rows of a file with problems, and record the rest",
        )  # fmt: skip
        parser.add_argument(
            "--map", action="append", default=[], metavar="HEADING=FIELD",
            help="Answer a mapping question: the column headed HEADING is FIELD",
        )  # fmt: skip
        parser.add_argument(
            "--period", default="",
            help="The period the files cover, for rows with no date (else from each name)",
        )  # fmt: skip
        parser.add_argument("--user", default="", help="Record the import as this user's")

    def handle(self, *args: Any, **options: Any) -> None:
        authority = named_authority(options["authority"])
        user = _user(options["user"], authority)
        try:
            answers = parse_answers(options["map"])
            period = parse_spend_period(options["period"]) if options["period"] else None
        except (BadAnswer, ValueRefused) as error:
            raise CommandError(str(error)) from None
        files = list(spending_files(options["paths"]))
        if missing := [str(path) for path in files if not path.is_file()]:
            raise CommandError(f"no such file: {', '.join(missing)}")
        console = console_for(self)
        outcomes = []
        with progress_bar(console) as bar:
            task = bar.add_task(authority.name, total=len(files))
            spending = [
                SpendingFile(authority, path, period or period_in_name(path.name)) for path in files
            ]
            for outcome in store_files(
                spending, user=user, answers=answers, accept_errors=options["accept_errors"]
            ):
                print_outcome(outcome, console)
                outcomes.append(outcome)
                bar.advance(task)
        print_summary(outcomes, console)
        _exit(outcomes)


def _user(name: str, authority: Authority) -> Any:
    user = named_person(name)
    if user is None:
        return None
    if not user.has_perm(IMPORT_SPEND, authority):
        raise CommandError(f"{name} may not import {authority.name}'s spending files")
    return user


def _exit(outcomes: list[Outcome]) -> None:
    results = {outcome.result for outcome in outcomes}
    if Result.QUESTIONS in results:
        raise CommandError("the mapping of columns needs answers", returncode=QUESTIONS_EXIT)
    if results - {Result.STORED, Result.ALREADY}:
        raise CommandError("some files were not stored")
