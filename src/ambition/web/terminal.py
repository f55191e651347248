"""The CLI's console, one for every command. What it prints is plain text: user data (a cell
value `[/bold]`, a file named `[red].csv`, an authority's or a person's name) is shown as
written and never read as rich's console markup, which would garble it or crash the command.
Colour comes from a `style`, never from markup inside a string."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import TextColumn
from rich.text import Text


def console_for(command: BaseCommand, **options: Any) -> Console:
    """The console a management command prints to: its stdout, without markup."""
    out = command.stdout._out  # type: ignore[attr-defined]
    return Console(file=out, highlight=False, markup=False, **options)


def done(words: str) -> Text:
    """A step that finished: a green tick, then the words as written."""
    return Text.assemble(("✓", "green"), " ", words)


def text_column(template: str, style: str = "none") -> TextColumn:
    """A progress bar's column: its fields (a file's name) are filled in, not read as markup."""
    return TextColumn(template, style=style, markup=False)


@contextmanager
def status(console: Console, words: str) -> Iterator[Callable[[str], None]]:
    """A spinner with words, and the function that changes them (a rich status reads a plain
    string as markup whatever the console says, so the words go in as Text)."""
    with console.status(Text(words)) as shown:
        yield lambda said: shown.update(Text(said))
