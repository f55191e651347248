"""The CLI prints user data as plain text (issue 9, item 10): a cell value, a file name or an
authority's name that looks like rich's console markup (`[/bold]`, `[red]`) is printed as
written, and never crashes a command or changes its colours."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ambition.registry.models import Authority

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parent.parent / "src" / "ambition"
EMPLOYMENT = "ons-employment-rate"


def test_a_problem_cell_that_looks_like_markup_is_printed_as_written(tmp_path: Path) -> None:
    path = tmp_path / "markup.csv"
    path.write_text(
        f"authority,indicator,period,value\n[/bold],{EMPLOYMENT},2004,[red]lots[/red]\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_observations", str(path), stdout=out)
    printed = out.getvalue()
    assert "[/bold]" in printed and "[red]lots[/red]" in printed


def test_a_file_named_like_markup_imports_and_is_named_as_written(tmp_path: Path) -> None:
    path = tmp_path / "returns [red] 2024 [bold].csv"
    path.write_text(f"authority,indicator,period,value\nE09000022,{EMPLOYMENT},2004,67.0\n")
    out = io.StringIO()
    call_command("import_observations", str(path), "--dry-run", stdout=out)
    assert "returns [red] 2024 [bold].csv" in out.getvalue()


def test_names_in_a_commands_table_are_printed_as_written() -> None:
    Authority.objects.filter(code="E09000022").update(name="Lambeth [/bold]")
    out = io.StringIO()
    call_command("compare_neighbours", "--k", "10", "--worst", "40", stdout=out)
    assert "[/bold]" in out.getvalue()


def test_every_command_prints_through_the_one_plain_console() -> None:
    """One way for the whole CLI: no command makes a console, a progress column or a status
    of its own that would read its text as markup."""
    commands = sorted(SRC.glob("*/management/commands/*.py"))
    own = [
        str(p.relative_to(SRC))
        for p in commands
        if any(made in p.read_text() for made in ("Console(", "TextColumn(", ".status("))
    ]
    assert commands and own == []
