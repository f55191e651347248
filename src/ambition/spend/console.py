"""Importing spending files at the terminal: the files a command names (folders opened),
a progress bar over them, each file's problems or questions row by row, and a summary of
what was stored, what it replaced and what was already stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from ambition.indicators.resolving import AuthorityResolver
from ambition.registry.models import Authority
from ambition.registry.names import Unresolved
from ambition.web.terminal import text_column

from .reading.fields import Field
from .store import Answers, Outcome, Result

SUFFIXES = (".csv", ".csv.gz", ".xlsx")


def named_authority(text: str) -> Authority:
    """The authority a spend command names (its ONS code or any of its names), or the
    command's error saying why none is."""
    try:
        return Authority.objects.get(id=AuthorityResolver().resolve(text))
    except Unresolved as error:
        raise CommandError(str(error)) from None


class BadAnswer(ValueError):
    pass


def spending_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and every spending file in the folders named, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.is_file() and _is_spend(p))
        else:
            yield path


def _is_spend(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES)


def parse_answers(texts: Iterable[str]) -> Answers:
    """`Heading=field` (or `Heading=` to leave a column out) as a mapping's answers."""
    answers: Answers = {}
    for text in texts:
        heading, equals, name = text.rpartition("=")
        if not equals or not heading.strip():
            raise BadAnswer(f'{text!r}: write a mapping as "Heading=field"')
        if name.strip() and name.strip() not in set(Field):
            raise BadAnswer(f"{name.strip()!r} is not a field: {', '.join(Field)}")
        answers[heading.strip()] = name.strip() or None
    return answers


def progress_bar(console: Console) -> Progress:
    return Progress(
        text_column("{task.description}", style="bold"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console, transient=False,
    )  # fmt: skip


def print_outcome(outcome: Outcome, console: Console) -> None:
    """One file's result, with its problems or questions."""
    if outcome.problems and outcome.result in (Result.REFUSED, Result.STORED):
        _problems(outcome, console)
    if outcome.ambiguities:
        _questions(outcome, console)
    if outcome.reason:
        console.print(f"{outcome.name}: {outcome.reason}", style="red")


def _problems(outcome: Outcome, console: Console) -> None:
    table = Table("Sheet", "Row", "Column", "Value", "Problem", title=f"{outcome.name}: problems")
    for p in outcome.problems:
        table.add_row(p.sheet, str(p.row), p.column, p.value, p.reason)
    console.print(table)


def _questions(outcome: Outcome, console: Console) -> None:
    console.print(f"{outcome.name}: the columns need a person's answer", style="red")
    for sheet, ambiguity in outcome.ambiguities:
        where = f" (sheet {sheet})" if sheet else ""
        if ambiguity.columns:
            columns = " or ".join(repr(c) for c in ambiguity.columns)
            console.print(f"  which column is the {ambiguity.field}{where}: {columns}?")
        else:
            console.print(f"  no column is the {ambiguity.field}{where}: which is it?")
    console.print('  Answer with --map "Heading=field" (and "Heading=" to leave a column out).')


def print_summary(outcomes: list[Outcome], console: Console) -> None:
    stored = [o for o in outcomes if o.result is Result.STORED]
    rows = sum(o.file.rows_stored for o in stored if o.file is not None)
    refused = sum(o.file.rows_refused for o in stored if o.file is not None)
    already = [o for o in outcomes if o.result is Result.ALREADY]
    replaced = [c for o in stored for c in o.replaced]
    console.print(
        f"Stored {len(stored)} file(s), {rows:,} transactions ({refused:,} rows refused and "
        f"recorded); {len(already)} already imported, skipped",
        style="green",
        soft_wrap=True,
    )
    for coverage in replaced:
        console.print(f"  replaced {coverage.month:%B %Y} of file {coverage.file_id}")
    for coverage in (c for o in stored for c in o.overlapped):
        console.print(
            f"  shares days of {coverage.month:%B %Y} with file {coverage.file_id} without "
            "covering all of them: both are kept",
            style="yellow", soft_wrap=True,
        )  # fmt: skip
    failed = [o for o in outcomes if o.result not in (Result.STORED, Result.ALREADY)]
    for outcome in failed:
        console.print(f"Not stored: {outcome.name} ({outcome.result})", style="red", soft_wrap=True)
