"""ambition annual-report: the annual report of a financial year as a PDF, from the same
template as its page (/reports/annual/YEAR/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ambition.indicators.periods import FIRST_YEAR, financial_year, year_label
from ambition.web.terminal import console_for

from ...documents import annual_pdf


class Command(BaseCommand):
    help = (
        "Write the annual report of a financial year as a PDF (YEAR --out FILE.pdf). The "
        "year is named by the year it starts in (2025 is 2025-26). Made from the stored, "
        "published data alone; a year with no data says so."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="Financial year, e.g. 2025 for 2025-26")
        parser.add_argument("--out", required=True, help="The PDF to write")
        parser.add_argument(
            "--site",
            default="",
            help="The site's address (e.g. https://ambition.example), so the PDF's links to "
            "each figure's source page work outside the site; relative links without it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, soft_wrap=True)
        year, latest = options["year"], financial_year(timezone.localdate())
        if not FIRST_YEAR <= year <= latest:
            raise CommandError(f"The year is a financial year from {FIRST_YEAR} to {latest}")
        out = Path(options["out"])
        pdf = annual_pdf(year, options["site"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
        console.print(f"Wrote the annual report {year_label(year)} to {out} ({len(pdf):,} bytes)")
