"""ambition review-pack: the annual review pack as a PDF, for one member, for every member
(one file each) or for the whole partnership on one page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from ambition.registry.models import Authority
from ambition.web.processes import default_processes
from ambition.web.terminal import console_for, text_column

from ...batch import Written, render_all
from ...documents import pack_pdf, partnership_pdf
from ...pack import (
    Basis,
    basis_for,
    default_year,
    is_member,
    members,
)


class Command(BaseCommand):
    help = (
        "Write the annual review pack as a PDF: for one member (CODE --out FILE.pdf), for "
        "every member, one file each (--all --out DIR), or every member on one page "
        "(--partnership --out FILE.pdf). The year is the financial year, named by the year "
        "it starts in (2025 is 2025-26); the current one by default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", nargs="?", help="The member's ONS code, e.g. E09000022")
        parser.add_argument("--out", required=True, help="The PDF to write, or with --all a folder")
        parser.add_argument("--year", type=int, help="Financial year, e.g. 2025 for 2025-26")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="One PDF per member, into --out")
        which.add_argument(
            "--partnership", action="store_true", help="Every member on one page, to --out"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_processes(),
            help="With --all: how many processes render packs at once (default: the cores, "
            "up to 4)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self, soft_wrap=True)
        out = Path(options["out"])
        if sum(bool(x) for x in (options["code"], options["all"], options["partnership"])) != 1:
            raise CommandError("Name one member's CODE, or --all, or --partnership")
        basis = basis_for(options["year"] or default_year())
        if options["all"]:
            self.write_all(basis, out, console, max(1, options["jobs"]))
        elif options["partnership"]:
            self.write(out, partnership_pdf(basis), console)
        else:
            self.write(out, pack_pdf(self.member(options["code"], basis.year.year), basis), console)

    def member(self, code: str, year: int) -> Authority:
        authority = Authority.objects.filter(code=code.upper()).first()
        if authority is None:
            raise CommandError(f"No authority with the ONS code {code!r}")
        if not is_member(authority, year):
            raise CommandError(f"{authority.name} was not a member of the partnership that year")
        return authority

    def write(self, path: Path, pdf: bytes, console: Console) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        console.print(f"Wrote {path} ({len(pdf):,} bytes)")

    def write_all(self, basis: Basis, folder: Path, console: Console, jobs: int) -> None:
        everyone = members(basis.year.year)
        columns = (
            text_column("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task(f"Review packs ({jobs} at once)", total=len(everyone))

            def written(item: Written) -> None:
                name, path, size = item
                progress.console.print(f"Wrote {path} ({size:,} bytes)")
                progress.update(task, description=name)
                progress.advance(task)

            codes = [a.code for a in everyone]
            run_id = basis.run.pk if basis.run else None
            render_all(codes, basis.year.year, folder, jobs, run_id, done=written)
        console.print(f"Wrote {len(everyone)} review packs for {basis.year_label} to {folder}")
