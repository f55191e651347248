"""ambition export-grants: the fund's awards as 360Giving open data (JSON package, CSV, XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import (  # type: ignore[import-untyped]
    BaseCommand,
    CommandError,
    CommandParser,
)
from django.utils import timezone  # type: ignore[import-untyped]

from ...giving.export import FORMATS, export
from ...giving.identifiers import grant_prefix
from ...giving.records import InvalidGrant
from ...published import grant_records, publisher


class Command(BaseCommand):  # type: ignore[misc]
    help = (
        "Write the fund's awards as 360Giving open data: a JSON package checked against the "
        "standard's schema (--format 360giving), or its flat form as CSV or XLSX. Grant "
        "identifiers are 360G-<GRANTS_360G_PREFIX>-<award>. Writes to standard output unless "
        "--out names a file; XLSX needs --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="360giving", dest="form")
        parser.add_argument("--out", type=Path, help="The file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        form, out = options["form"], options["out"]
        if form == "xlsx" and out is None:
            raise CommandError("An XLSX workbook is not text: name the file with --out")
        records = list(grant_records())
        if not records:
            raise CommandError("No awards to publish: 360Giving data holds at least one grant")
        prefix = grant_prefix()
        try:
            content = export(form, records, publisher(prefix), prefix, timezone.localdate())
        except InvalidGrant as error:
            raise CommandError(str(error)) from error
        self.write(content, out, len(records))

    def write(self, content: bytes, out: Path | None, count: int) -> None:
        if out is None:
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        # Said on stderr, so that a script reading stdout sees nothing but data.
        self.stderr.write(f"Wrote {count} grants to {out}")
