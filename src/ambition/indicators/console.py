"""An import at the terminal: its progress bar and its report as a table. Both commands
that import observations (import-observations and load-demo) print through these."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TimeElapsedColumn
from rich.table import Table

from ambition.web.terminal import text_column

from .imports import ImportReport, import_observations


def progress_bar(console: Console) -> Progress:
    return Progress(
        text_column("{task.description}", style="bold"),
        BarColumn(),
        text_column("{task.percentage:>3.0f}%"),
        text_column("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def run_import(path: Path, console: Console, **options: Any) -> ImportReport:
    """Import one file, showing the share of it read and the rows so far."""
    with progress_bar(console) as bar:
        task = bar.add_task(path.name, total=1.0, rows=0)
        report = import_observations(
            path,
            progress=lambda rows, fraction: bar.update(task, completed=fraction, rows=rows),
            **options,
        )
        bar.update(task, completed=1.0, rows=report.observations)
    return report


def print_report(report: ImportReport, console: Console) -> None:
    """Every problem with its row and column, then the one-line summary."""
    if report.problems:
        table = Table("Row", "Column", "Value", "Problem", title="Problems")
        for p in report.problems:
            table.add_row(str(p.row), p.column, p.value, p.reason)
        console.print(table)
    console.print(report.summary(), style="green" if report.ok else "red", soft_wrap=True)
