"""The spend commands as a person runs them: `ambition import-spend` over files and
folders (problems row by row and nothing stored, unless the errors are accepted; questions
asked with exit 2 and answered with --map; the same files again skipped), and
`ambition spend-summary` printing exact totals with a count column."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ambition.spend.models import SpendFile, SpendProblem
from ambition.spend.store import spend_root

from ..accounts.factories import UserFactory
from .test_store import AMBIGUOUS, GLA, LAMBETH, gla_period, gla_sums, lambeth_sums, needs_data

pytestmark = needs_data
# Lambeth's files of 2011 up to November: a quick subset of real files.
LAMBETH_2011 = [f"2011-{m:02d}-payments.csv" for m in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11)]


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Lambeth's 2011 files in a folder of their own, with a note that is not spend."""
    path = tmp_path / "lambeth"
    path.mkdir()
    for name in LAMBETH_2011:
        shutil.copy(LAMBETH / name, path / name)
    (path / "README.txt").write_text("not a spending file")
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_folder_with_broken_rows_stores_only_the_whole_files(db: None, folder: Path) -> None:
    with pytest.raises(CommandError, match="not stored"):
        run("import_spend", "Lambeth", str(folder))
    stored = set(SpendFile.objects.values_list("name", flat=True))
    assert stored == set(LAMBETH_2011) - {"2011-10-payments.csv", "2011-11-payments.csv"}
    assert not SpendProblem.objects.exists()


def test_accepted_errors_then_the_summary_to_the_penny(db: None, folder: Path) -> None:
    out = run("import_spend", "E09000022", str(folder), "--accept-errors")
    assert "954" in out  # the damaged row, listed by its number
    assert "Stored 10 file(s)" in out
    summary = run("spend_summary", "Lambeth", "--by", "month", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(summary)))
    assert list(rows[0]) == ["month", "transactions", "amount"]
    expected = lambeth_sums(LAMBETH_2011)["month"]
    assert {r["month"]: Decimal(r["amount"]) for r in rows} == expected
    again = run("import_spend", "E09000022", str(folder), "--accept-errors")
    assert "10 already imported, skipped" in again
    assert SpendFile.objects.count() == 10


def test_gla_summary_by_supplier_counts_and_totals(db: None) -> None:
    name = "2013-P05.csv.gz"
    period = gla_period(name)
    label = f"{period.start}/{period.end}"
    run("import_spend", "E61000001", str(GLA / name), "--period", label)
    summary = run(
        "spend_summary", "Greater London Authority", "--by", "supplier", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(summary)))
    assert {r["supplier"]: Decimal(r["amount"]) for r in rows} == gla_sums([name])["supplier"]
    assert sum(int(r["transactions"]) for r in rows) == SpendFile.objects.get().rows_stored
    table = run("spend_summary", "E61000001", "--by", "year")
    assert "Transactions" in table and "2013" in table


def test_an_ambiguous_mapping_exits_2_with_its_questions(db: None, tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_bytes(AMBIGUOUS.encode())
    with pytest.raises(CommandError) as raised:
        run("import_spend", "E09000022", str(path))
    assert raised.value.returncode == 2
    assert not SpendFile.objects.exists()
    out = run("import_spend", "E09000022", str(path), "--map", "Gross Amount=amount")
    assert "Stored 1 file(s)" in out


def test_an_officer_imports_only_for_their_own_authority(db: None, tmp_path: Path) -> None:
    path = tmp_path / "spend.csv"
    path.write_bytes(AMBIGUOUS.encode())
    officer = UserFactory(roles=["officer:E09000022"])
    with pytest.raises(CommandError, match="may not import"):
        run("import_spend", "E09000008", str(path), "--user", officer.username)
    run(
        "import_spend",
        "E09000022",
        str(path),
        "--map",
        "Net Amount=amount",
        "--user",
        officer.username,
    )
    assert SpendFile.objects.get().imported_by == officer


def test_bad_answers_and_missing_files_are_refused(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a field"):
        run("import_spend", "E09000022", str(tmp_path), "--map", "Amount=money")
    with pytest.raises(CommandError, match="no such file"):
        run("import_spend", "E09000022", str(tmp_path / "absent.csv"))
    assert not spend_root().exists() or not list(spend_root().rglob("*.parquet"))
