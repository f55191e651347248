"""`ambition export-grants` on the awards the database holds (`ambition.fund.published`)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ambition.fund.giving.flat import HEADINGS
from ambition.fund.giving.schema import problems
from ambition.fund.published import grant_records
from tests.fund.grants import awarded, improvement_budget


def test_a_workbook_is_never_written_to_standard_output() -> None:
    with pytest.raises(CommandError, match="--out"):
        call_command("export_grants", "--format", "xlsx", stdout=io.StringIO())


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("export_grants", "--format", "iati", stdout=io.StringIO())


@pytest.fixture
def awards(db: None) -> int:
    """How many awards the database publishes, after making one through the engine."""
    awarded(improvement_budget("1000"), "300")
    return len(list(grant_records()))


def test_the_package_on_standard_output_is_valid_360giving(awards: int) -> None:
    out = io.StringIO()
    call_command("export_grants", stdout=out)
    document = json.loads(out.getvalue(), parse_float=Decimal)
    assert problems(document) == []
    assert len(document["grants"]) == awards
    assert all(g["id"].startswith("360G-ambition-") for g in document["grants"])


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_the_flat_forms_go_to_the_named_file(awards: int, form: str, tmp_path: Path) -> None:
    path = tmp_path / "out" / f"grants.{form}"
    err = io.StringIO()
    call_command("export_grants", "--format", form, "--out", str(path), stderr=err)
    assert f"Wrote {awards} grants" in err.getvalue()
    if form == "csv":
        header, *body = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    else:
        header, *body = load_workbook(path)["grants"].iter_rows(values_only=True)
    assert list(header) == list(HEADINGS)
    assert len(body) == awards


@pytest.mark.django_db
def test_no_awards_is_said_rather_than_written_as_an_empty_package() -> None:
    with pytest.raises(CommandError, match="No awards"):
        call_command("export_grants", stdout=io.StringIO())
