"""Hostile and malformed import files: each is refused with a plain reason (row, column, the
limit it broke) before anything is written, never a crash, never a silent wrong value."""

from __future__ import annotations

import gzip
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from openpyxl import Workbook

from ambition.indicators.imports import ImportReport, import_observations
from ambition.indicators.models import Observation

from .bombs import MB, gzip_bomb, xlsx_bomb
from .test_imports import latest

pytestmark = pytest.mark.django_db
LAMBETH, SOUTHWARK = "E09000022", "E09000028"
EMPLOYMENT = "ons-employment-rate"  # calendar years
CHILDREN_IN_NEED = "lait-cin-rate"  # financial years


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def store_state() -> tuple[int, ...]:
    """Every table's row count: revisions are only ever added, so equal means unchanged."""
    models = apps.get_app_config("indicators").get_models()
    return (*(m._base_manager.count() for m in models), Observation.private_objects.count())


def refused(path: Path, **options: Any) -> ImportReport:
    """Import a file that must be refused: nothing may change, whatever the options."""
    before = store_state()
    report = import_observations(path, origin="cli", **options)
    assert not report.ok, "the file was accepted"
    assert store_state() == before
    return report


def reasons(report: ImportReport) -> str:
    return " | ".join(f"{p.row}/{p.column}/{p.value}: {p.reason}" for p in report.problems)


# 4: the same period twice in a wide file ----------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_wide_file_with_the_same_period_twice_is_refused_naming_both_columns(
    tmp_path: Path, dry_run: bool
) -> None:
    # Both values differ from the stored one: today this crashed with an IntegrityError.
    path = write(
        tmp_path,
        "twice.csv",
        f"authority,indicator,2019,2019\n{LAMBETH},{EMPLOYMENT},71.5,72.5\n",
    )
    report = refused(path, dry_run=dry_run)
    assert report.problem_count == 1
    problem = report.problems[0]
    assert problem.row == 1
    assert "'2019'" in problem.reason and "C" in problem.reason and "D" in problem.reason


def test_a_repeated_period_spelt_alike_after_folding_case_and_spaces_is_refused(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "quarters.csv",
        f"authority,indicator,2019 Q1,2019  q1 \n{LAMBETH},{EMPLOYMENT},71.5,72.5\n",
    )
    report = refused(path)
    assert "columns C and D" in report.problems[0].reason


def test_two_spellings_of_one_period_in_a_row_are_refused_not_a_crash(tmp_path: Path) -> None:
    # "2019/20" and "2019-04-01/P1Y" are one financial year: only the database knows that
    # they clash, once both are resolved.
    path = write(
        tmp_path,
        "spellings.csv",
        f"authority,indicator,2019/20,2019-04-01/P1Y\n{LAMBETH},{CHILDREN_IN_NEED},300.5,400.5\n",
    )
    report = refused(path)
    assert [p.row for p in report.problems] == [2, 2]
    assert "twice in this row" in report.problems[0].reason
    assert {p.value for p in report.problems} == {"300.5", "400.5"}


def test_the_same_period_twice_in_a_row_with_one_value_is_harmless(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "spellings.csv",
        f"authority,indicator,2019/20,2019-04-01/P1Y\n{LAMBETH},{CHILDREN_IN_NEED},300.5,300.5\n",
    )
    report = import_observations(path, origin="cli", dry_run=True)
    assert report.ok, reasons(report)


# 6: duplicate header names, period columns in a long file -----------------------------------


def test_two_authority_columns_are_refused_naming_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "two.csv",
        "authority,indicator,period,value, Authority\n"
        f"{LAMBETH},{EMPLOYMENT},2019,71.5,{SOUTHWARK}\n",
    )
    problem = refused(path).problems[0]
    assert (problem.row, problem.column) == (1, "")
    assert "columns A and E" in problem.reason and "authority" in problem.reason


def test_a_long_file_with_period_columns_is_refused_naming_them(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "both.csv",
        f"authority,indicator,period,value,2020,2021\n{LAMBETH},{EMPLOYMENT},2019,71.5,72,73\n",
    )
    reason = refused(path).problems[0].reason
    assert "'2020' (column E)" in reason and "'2021' (column F)" in reason


# 5: XLSX formulas ---------------------------------------------------------------------------


def formula_workbook(tmp_path: Path, cached: str | None) -> Path:
    """A sheet with a formula; openpyxl saves it with no value, as a script would, and a
    spreadsheet program saves the value it computed beside it."""
    book = Workbook()
    sheet = book.active
    sheet.append(["authority", "indicator", "period", "value"])
    sheet.append([LAMBETH, EMPLOYMENT, "2005", 65.8])
    sheet.append([LAMBETH, EMPLOYMENT, "2004", "=50+7.5"])
    path = tmp_path / "formula.xlsx"
    book.save(path)
    if cached is not None:
        rewrite_member(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(
                b"<f>50+7.5</f><v />", f"<f>50+7.5</f><v>{cached}</v>".encode()
            ),
        )
    return path


def rewrite_member(path: Path, name: str, change: Any) -> None:
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = change(members[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member, data in members.items():
            target.writestr(member, data)


def test_a_formula_with_no_saved_value_is_refused_with_its_cell(tmp_path: Path) -> None:
    report = refused(formula_workbook(tmp_path, None))
    assert report.problem_count == 1
    problem = report.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "value", "=50+7.5")
    assert "a formula with no saved value" in problem.reason
    assert "paste values" in problem.reason


def test_a_formula_with_a_saved_value_imports_that_value(tmp_path: Path) -> None:
    report = import_observations(formula_workbook(tmp_path, "57.5"), origin="cli")
    assert report.ok, reasons(report)
    assert latest(LAMBETH, EMPLOYMENT, "2004").value == 57.5


def test_a_sheet_whose_stated_size_is_the_whole_grid_reads_only_its_cells(tmp_path: Path) -> None:
    # A stated dimension of A1:XFD1048576 made the reader pad every row to 16,384 cells.
    path = formula_workbook(tmp_path, "57.5")
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:D3" />', b'<dimension ref="A1:XFD1048576"/>'),
    )
    report = import_observations(path, origin="cli", dry_run=True)
    assert report.ok, reasons(report)
    assert report.observations == 2


# 11: zip and gzip bombs ---------------------------------------------------------------------


def repeat(target: Any, size: int, chunk: bytes) -> None:
    """Write `size` bytes of one repeated chunk without holding them."""
    for _ in range(size // len(chunk)):
        target.write(chunk)


def refused_with_flat_memory(path: Path) -> str:
    before = store_state()
    tracemalloc.start()
    try:
        report = import_observations(path, origin="cli")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert store_state() == before
    assert peak < 64 * MB, f"reading the bomb took {peak // MB} MB"
    assert report.problem_count == 1
    return report.problems[0].reason


@pytest.mark.parametrize("size", [200 << 20, 1 << 30])
def test_a_gzip_bomb_is_refused_before_it_expands(tmp_path: Path, size: int) -> None:
    path = gzip_bomb(tmp_path / "bomb.csv.gz", size)
    assert path.stat().st_size < 2 << 20
    reason = refused_with_flat_memory(path)
    assert "the file expands to more than" in reason and "the limit is" in reason


def test_a_gzip_bomb_that_hides_its_size_is_stopped_while_it_streams(tmp_path: Path) -> None:
    path = gzip_bomb(tmp_path / "bomb.csv.gz", 1 << 30)
    with path.open("r+b") as handle:  # the trailer's stated size now says 4 bytes
        handle.seek(-4, 2)
        handle.write((4).to_bytes(4, "little"))
    reason = refused_with_flat_memory(path)
    assert "the file expands to more than" in reason


def test_an_xlsx_bomb_of_one_huge_shared_string_is_refused(tmp_path: Path) -> None:
    path = xlsx_bomb(tmp_path / "bomb.xlsx", 1 << 30)
    assert path.stat().st_size < 2 << 20
    reason = refused_with_flat_memory(path)
    assert "the file expands to more than" in reason and "the limit is" in reason


def test_a_compressed_file_over_the_expanded_size_limit_is_refused(
    tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_EXPANDED_MB = 1
    path = tmp_path / "plain.csv.gz"
    rows = "".join(f"{LAMBETH},{EMPLOYMENT},{1900 + i % 200},{i % 97}\n" for i in range(40000))
    path.write_bytes(gzip.compress(f"authority,indicator,period,value\n{rows}".encode()))
    reason = refused(path).problems[0].reason
    assert "the file expands to more than 1 MB; the limit is 1 MB" in reason


def test_an_ordinary_gzip_file_still_imports(tmp_path: Path) -> None:
    path = tmp_path / "ordinary.csv.gz"
    path.write_bytes(
        gzip.compress(
            f"authority,indicator,period,value\n{LAMBETH},{EMPLOYMENT},2004,70.1\n".encode()
        )
    )
    report = import_observations(path, origin="cli", dry_run=True)
    assert report.ok and report.revised == 1, reasons(report)


# 12: limits on rows and columns (on uploads: test_upload_limits.py) -----------------------


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(
    tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 3
    rows = "".join(f"{LAMBETH},{EMPLOYMENT},{2004 + i},70\n" for i in range(4))
    reason = refused(write(tmp_path, "long.csv", f"authority,indicator,period,value\n{rows}"))
    assert "more than 3 rows" in reason.problems[0].reason
    assert "the limit is 3" in reason.problems[0].reason


def test_a_file_over_the_column_limit_is_refused_naming_the_limit(
    tmp_path: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_COLUMNS = 4
    path = write(tmp_path, "wide.csv", "authority,indicator,2004,2005,2006\n")
    problem = refused(path).problems[0]
    assert "5 columns" in problem.reason and "the limit is 4" in problem.reason


def test_one_endless_row_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "endless.csv"
    with path.open("wb") as handle:
        handle.write(b"authority,indicator,period,value\n")
        repeat(handle, 16 << 20, b"1," * (1 << 19))
    reason = refused_with_flat_memory(path)
    assert "row 2" in reason and "the limit is" in reason
