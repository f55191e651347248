"""ambition load-demo: the shipped London data into whatever DATABASE_URL names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.text import Text

from ambition.accounts.people import create_demo_people
from ambition.indicators.catalogue import load_catalogue
from ambition.indicators.console import print_report, run_import
from ambition.indicators.residents import import_residents_survey
from ambition.indicators.signals import reference_data_loaded
from ambition.registry import loading
from ambition.web.terminal import console_for, done, status


class Command(BaseCommand):
    help = (
        "Load the shipped data: every English authority, the partnership and its members, "
        "boundaries, profiles, the indicator catalogue and the observations. Running it "
        "again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Load the registry and the indicator catalogue, not the observations",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        data = settings.DATA_DIR
        steps: list[tuple[str, Callable[[], object]]] = [
            ("Authorities of England", lambda: loading.load_authorities(data)),
            ("England, regions and parts of London", lambda: loading.load_aggregates(data)),
            ("DfE local authority numbers", lambda: loading.load_dfe_numbers(data)),
            (
                "The partnership and its members",
                lambda: loading.load_partnership(
                    data / "partnerships" / f"{settings.PARTNERSHIP_SLUG}.toml"
                ),
            ),
            ("Boundaries and boundary neighbours", lambda: loading.load_boundaries(data)),
            ("Borough profiles and political control", lambda: loading.load_profiles(data)),
            ("Deprivation ranks", lambda: loading.load_deprivation(data)),
            (
                "Profile figures for nearest neighbours",
                lambda: loading.load_comparator_profiles(data),
            ),
            ("Indicator catalogue", lambda: load_catalogue(data / "indicators")),
        ]
        for label, step in steps:
            with status(console, label):
                result = step()
            console.print(done(f"{label}: {result}"))
        with status(console, "Reference data of the other apps"):
            answers = reference_data_loaded.send(sender=self.__class__, data=data)
        for _, results in answers:
            for label, result in results:
                console.print(done(f"{label}: {result}"))
        if options["reference_only"]:
            return
        for path in sorted((data / "observations").glob("*.csv*")):
            report = run_import(path, console, origin="demo")
            print_report(report, console)
            if not report.ok:
                raise CommandError(f"{path.name} did not import")
        # Made-up residents' surveys (there is no real per-council file to ship): marked
        # illustrative, which every page that shows them says.
        for path in sorted((data / "residents-surveys").glob("E*.csv")):
            authority = path.name.split("-", 1)[0]
            report = import_residents_survey(path, authority, origin="demo", illustrative=True)
            print_report(report, console)
            if not report.ok:
                raise CommandError(f"{path.name} did not import")
        self._people(console)

    def _people(self, console: Console) -> None:
        console.print("Demo people, one per role (demo only: these passwords are public):")
        for username, password, role in create_demo_people():
            shown = Text.assemble("  ", (username, "bold"), " / ", (password, "bold"), f"  {role}")
            console.print(shown)
