"""ambition assess: make an immutable assessment run and print its id."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from ambition.accounts.people import named_person
from ambition.assessment.making import SCOPES, history_dates, make_run, parse_as_of
from ambition.assessment.methodology import MethodologyError, available
from ambition.assessment.models import AssessmentRun
from ambition.web.terminal import console_for, status


class Command(BaseCommand):
    help = (
        "Assess every member with a methodology (data/methodologies/NAME.toml) on the data of "
        "periods ending on or before --period, and store the results as a new run that is "
        "never changed. Prints the run's id, method and hash, data fingerprint and code version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--method", default="ambition-default", help=f"One of: {', '.join(available())}"
        )
        parser.add_argument(
            "--period",
            default="",
            help="A year (2023: data to 31 December 2023) or a date; the latest data by default",
        )
        parser.add_argument("--scope", choices=SCOPES, default="members", help="Whom to rate")
        parser.add_argument("--user", default="", help="Who the run is recorded as made by")
        parser.add_argument(
            "--history",
            type=int,
            metavar="YEAR",
            help="One run as of the end of each year from YEAR, and one for today, skipping any "
            "already made from the same method file and data (the targets' trajectory)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, soft_wrap=True)
        try:
            as_of = parse_as_of(options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        user = named_person(options["user"])
        dates = history_dates(options["history"], as_of) if options["history"] else [as_of]
        for day in dates:
            with status(console, "Assessing") as say:
                try:
                    run = make_run(
                        options["method"],
                        day,
                        user=user,
                        via="command",
                        scope=options["scope"],
                        progress=say,
                        reuse=bool(options["history"]),
                    )
                except MethodologyError as error:
                    raise CommandError(str(error)) from error
            self._report(console, run)

    def _report(self, console: Console, run: AssessmentRun) -> None:
        rated = run.ratings.filter(stars__isnull=False).count()
        when = f"{run.created_at:%Y-%m-%d %H:%M:%S}"
        lines = [
            f"Assessment run {run.pk}",
            f"  method   {run.method} {run.method_version} (sha256 {run.method_sha256})",
            f"  data     {run.observations:,} observations to {run.as_of} "
            f"(sha256 {run.data_fingerprint})",
            f"  results  sha256 {run.results_sha256}",
            f"  code     {run.code_version}",
            f"  by       {run.created_by or '-'} via {run.via}, {when}, {run.seconds:.2f} s",
            f"  ratings  {run.ratings.count()} ({rated} rated), "
            f"{run.warnings.count()} early warnings",
            *coverage_lines(run),
        ]
        console.print("\n".join(lines))


def coverage_lines(run: AssessmentRun) -> list[str]:
    """How many of the assessed authorities each service area could score (and on how many
    indicators at least), and how many authorities had all but at most one area scored."""
    areas = run.areas.values_list("authority_id", "area__code", "score", "indicators")
    scored: dict[str, list[int]] = defaultdict(list)
    per_authority: Counter[int] = Counter()
    assessed = {authority for authority, *_ in areas}
    codes = sorted({code for _, code, _, _ in areas})
    for authority, code, score, indicators in areas:
        if score is not None:
            scored[code].append(indicators)
            per_authority[authority] += 1
    cells = [
        f"{code} {len(scored[code])}"
        + (f" (on {min(scored[code])}+ indicators)" if scored[code] else "")
        for code in codes
    ]
    nearly = sum(n >= len(codes) - 1 for n in per_authority.values())
    return [
        f"  areas    scored, of {len(assessed)} assessed: {', '.join(cells)}",
        f"           {nearly} of {len(assessed)} with at least {max(len(codes) - 1, 0)} of "
        f"{len(codes)} areas scored",
    ]
