"""Importing observations: every class of bad input is reported with its row and column
and changes nothing; good files in awkward shapes import; re-imports make revisions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from ambition.indicators.imports import ImportReport, import_observations
from ambition.indicators.models import ImportBatch, Observation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
EMPLOYMENT = "ons-employment-rate"
pytestmark = pytest.mark.django_db


def run(name: str, **options: object) -> ImportReport:
    return import_observations(FIXTURES / name, origin="cli", **options)  # type: ignore[arg-type]


def database_state() -> tuple[object, ...]:
    """Every table's row count and a digest of every observation: equal means unchanged."""
    counts = tuple(m._base_manager.count() for m in apps.get_app_config("indicators").get_models())
    digest = hashlib.sha256()
    fields = (
        "id",
        "authority_id",
        "indicator_id",
        "period_id",
        "revision",
        "value",
        "status",
        "is_latest",
    )
    for row in (
        Observation.private_objects.order_by("id").values_list(*fields).iterator(chunk_size=20000)
    ):
        digest.update(repr(row).encode())
    return counts, digest.hexdigest()


def latest(authority: str, indicator: str, period_label: str) -> Observation:
    return Observation.private_objects.latest_revision().get(
        authority__code=authority, indicator__code=indicator, period__label=period_label
    )


@pytest.mark.parametrize(
    ("name", "row", "column", "reason"),
    [
        ("unknown_authority.csv", 3, "authority", "unknown authority 'Gotham City'"),
        ("unknown_indicator.csv", 3, "indicator", "unknown indicator 'ons-employment-rat'"),
        ("unreadable_period.csv", 3, "period", "2017/19"),
        ("non_numeric_value.csv", 3, "value", "0..361"),
        ("negative_percentage.csv", 2, "value", "a percentage under 0"),
        ("conflicting_duplicate.csv", 4, "value", "as row 2 with a different value"),
        ("lower_above_upper.csv", 2, "lower", "lower bound is above the upper"),
        ("unknown_status.csv", 2, "status", "maybe"),
        ("empty.csv", 1, "", "empty"),
        ("no_indicator_column.csv", 1, "", "no indicator column"),
        ("neither_layout.csv", 1, "", "neither layout"),
        ("broken.xlsx", 1, "", "not a readable XLSX"),
    ],
)
def test_every_class_of_error_is_reported_and_nothing_is_written(
    name: str, row: int, column: str, reason: str
) -> None:
    before = Observation.private_objects.count(), ImportBatch.objects.count()
    report = run(name)
    assert not report.ok
    problem = report.problems[0]
    assert (problem.row, problem.column) == (row, column)
    assert reason in problem.reason
    assert report.problem_count == 1
    assert (Observation.private_objects.count(), ImportBatch.objects.count()) == before


def test_a_failed_import_leaves_the_database_exactly_as_it_was() -> None:
    before = database_state()
    report = run("many_problems.csv")
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "authority"),
        (4, "period"),
        (5, "value"),
    ]
    assert database_state() == before


def test_the_same_file_twice_makes_nothing_new_and_a_change_makes_a_revision(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lambeth.csv"
    path.write_text(
        "authority,indicator,period,value,status,lower,upper\n"
        f"E09000022,{EMPLOYMENT},2004-01-01/P1Y,67.0,,62.8,71.2\n"
        f"E09000022,{EMPLOYMENT},2005-01-01/P1Y,65.8,,61.9,69.7\n"
    )
    first = import_observations(path, origin="cli")
    assert (first.created, first.revised, first.unchanged) == (0, 0, 2)  # the demo loaded these
    assert (
        first.batch_id is None and ImportBatch.objects.filter(file_name="lambeth.csv").count() == 0
    )

    path.write_text(path.read_text().replace("65.8,,61.9", "66.3,p,61.9"))
    second = import_observations(path, origin="cli")
    assert (second.created, second.revised, second.unchanged) == (0, 1, 1)
    revisions = Observation.private_objects.filter(
        authority__code="E09000022", indicator__code=EMPLOYMENT, period__label="2005"
    ).order_by("revision")
    assert [(o.revision, o.value, o.status, o.is_latest) for o in revisions] == [
        (1, 65.8, "", False),
        (2, 66.3, "provisional", True),
    ]
    batch = ImportBatch.objects.get(pk=second.batch_id)
    assert (batch.file_name, batch.revised, len(batch.sha256)) == ("lambeth.csv", 1, 64)
    again = import_observations(path, origin="cli")
    assert (again.created, again.revised, again.unchanged) == (0, 0, 2)


def test_a_dry_run_reports_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "change.csv"
    path.write_text(f"authority,indicator,period,value\nE09000022,{EMPLOYMENT},2004,70.1\n")
    before = database_state()
    report = import_observations(path, origin="cli", dry_run=True)
    assert report.ok and report.revised == 1 and report.summary().count("would make") == 1
    assert database_state() == before


def test_windows_1252_with_bare_cr_line_endings_and_old_codes() -> None:
    report = run("windows1252_cr.csv")
    assert report.ok, report.problems
    assert (report.rows_read, report.unchanged) == (2, 2)  # same values as the shipped data


def test_names_spellings_dfe_numbers_and_suppression_markers(tmp_path: Path) -> None:
    report = run("identifiers_and_markers.csv")
    assert report.ok, report.problems
    assert report.revised == 2  # the two markers replace real values
    suppressed = latest("E09000013", "lait-cla-rate", "2016")
    missing = latest("E09000001", "lait-cla-rate", "2016")
    assert (suppressed.value, suppressed.status) == (None, "suppressed")  # never a zero
    assert (missing.value, missing.status) == (None, "missing")
    assert latest("E09000002", "lait-phonics-year-1", "2025").status == "provisional"


def test_wide_xlsx_one_column_per_period(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["LA number", "LA name", "2016", "2017", "2018"])
    sheet.append(
        [208, "Lambeth", 74, 66, 66]
    )  # the real DfE figures, children looked after per 10,000
    sheet.append([301, "Barking and Dagenham", 69, "x", None])
    path = tmp_path / "cla.xlsx"
    book.save(path)
    report = import_observations(path, origin="cli", indicator="lait-cla-rate")
    assert report.ok, report.problems
    assert report.layout == "wide" and report.observations == 6
    assert latest("E09000022", "lait-cla-rate", "2017").value == 66


def test_cli_prints_every_problem_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_observations", str(FIXTURES / "many_problems.csv"))
    out = capsys.readouterr().out
    assert "Nowhere" in out and "2006 Q5" in out and "lots" in out


def test_cli_dry_run_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    before = Observation.private_objects.count()
    call_command("import_observations", str(FIXTURES / "identifiers_and_markers.csv"), "--dry-run")
    assert "would make 0 new, 2 revised" in capsys.readouterr().out.replace("\n", " ")
    assert Observation.private_objects.count() == before
