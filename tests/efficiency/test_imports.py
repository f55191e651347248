"""Net budget imports: every bad row reported by row and column, nothing written on error,
the same file twice adds nothing, a changed figure adds a revision."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from ambition.efficiency.imports import ParseError, import_budgets, parse_amount, parse_year
from ambition.efficiency.models import NetBudget

from ..registry.factories import LAMBETH, SOUTHWARK

GOOD = f'ons_code,year,amount\n{LAMBETH},2008/09,300000000.00\n{SOUTHWARK},2008,"£280,000,000.50"\n'


@given(st.integers(2000, 2099))
def test_a_year_reads_in_every_spelling(year: int) -> None:
    short = f"{(year + 1) % 100:02d}"
    for text in (str(year), f"{year}/{short}", f"{year}-{short}", f"{year}/{year + 1}"):
        assert parse_year(text) == year


@given(st.integers(2000, 2099), st.integers(0, 99))
def test_a_year_whose_end_does_not_follow_is_refused(year: int, end: int) -> None:
    if end == (year + 1) % 100:
        return
    with pytest.raises(ParseError):
        parse_year(f"{year}/{end:02d}")


@given(st.text(max_size=12))
def test_any_text_is_a_year_or_a_parse_error(text: str) -> None:
    try:
        year = parse_year(text)
    except ParseError:
        return
    assert 2000 <= year <= 2100


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2))
def test_an_amount_reads_back_exactly_with_or_without_pounds_and_commas(amount: Decimal) -> None:
    assert parse_amount(str(amount)) == amount
    assert parse_amount(f"£{amount:,}") == amount


@given(st.text(max_size=20))
def test_any_text_is_a_positive_amount_to_the_penny_or_a_parse_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except ParseError:
        return
    assert amount > 0 and amount == amount.quantize(Decimal("0.01"))


@pytest.mark.parametrize("text", ["0", "-5", "1.234", "NaN", "Infinity", "1e3x", "", "1E100"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ParseError):
        parse_amount(text)


@pytest.mark.usefixtures("clean_slate")
def test_a_good_file_imports_and_again_adds_nothing() -> None:
    first = import_budgets(GOOD)
    assert (first.ok, first.added, first.unchanged) == (True, 2, 0)
    again = import_budgets(GOOD)
    assert (again.added, again.unchanged) == (0, 2)
    southwark = NetBudget.objects.get(authority__code=SOUTHWARK, year=2008)
    assert southwark.amount == Decimal("280000000.50")


@pytest.mark.usefixtures("clean_slate")
def test_a_changed_figure_is_a_new_revision_and_the_latest_counts() -> None:
    import_budgets(GOOD)
    import_budgets(GOOD.replace("300000000.00", "310000000.00"))
    rows = NetBudget.objects.filter(authority__code=LAMBETH, year=2008).order_by("revision")
    assert [(r.revision, r.amount) for r in rows] == [
        (1, Decimal("300000000.00")),
        (2, Decimal("310000000.00")),
    ]
    latest = NetBudget.objects.filter(authority__code=LAMBETH).latest_revision().get()
    assert latest.amount == Decimal("310000000.00")


@pytest.mark.usefixtures("clean_slate")
def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written() -> None:
    text = (
        "# a note, counted as row 1\n"
        "ons_code,year,amount\n"
        f"{LAMBETH},2008/09,300000000\n"
        "E09999999,2008,100\n"
        f"{SOUTHWARK},2008/10,-4\n"
        "# another note\n"
        f"{LAMBETH},2008,1\n"
    )
    report = import_budgets(text)
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(4, "ons_code"), (5, "year"), (5, "amount"), (7, "year")}
    assert "E09999999" in next(p.reason for p in report.problems if p.row == 4)
    assert not NetBudget.objects.exists()


@pytest.mark.usefixtures("clean_slate")
def test_a_missing_column_is_named() -> None:
    report = import_budgets(f"ons_code,amount\n{LAMBETH},1\n")
    assert [(p.row, p.column) for p in report.problems] == [(1, "year")]


@pytest.mark.usefixtures("clean_slate")
def test_the_command_imports_and_refuses_a_bad_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(f"ons_code,year,amount\n{LAMBETH},twenty,1\n")
    out = io.StringIO()
    call_command("import_net_budgets", str(good), stdout=out)
    assert "2 added" in out.getvalue()
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_net_budgets", str(bad), stdout=out)
    assert "row 2, column year" in out.getvalue()
    assert NetBudget.objects.count() == 2


@pytest.mark.usefixtures("clean_slate")
def test_a_file_over_the_row_limit_is_refused(settings: object) -> None:
    settings.IMPORT_MAX_ROWS = 1  # type: ignore[attr-defined]
    report = import_budgets(GOOD)
    assert [(p.row, p.column) for p in report.problems] == [(3, "ons_code")]
    assert "limit" in report.problems[0].reason and not NetBudget.objects.exists()
