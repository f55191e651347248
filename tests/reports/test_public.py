"""The public site: the home page leads with how London is doing, a council's page in a
resident's words, the open-data catalogue and Parquet downloads, all without signing in and
from published data only."""

from __future__ import annotations

import csv as csv_module
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.utils.html import escape

from ambition.assessment.models import AssessmentRun, RunRating, RunTarget
from ambition.fund.models import Award
from ambition.indicators.intervals import Difference
from ambition.indicators.models import Indicator, Observation
from ambition.registry.models import Authority
from ambition.web.tables import Column, Table
from tests.fund.grants import awarded, improvement_budget
from tests.indicators.test_leaks import imported

from .conftest import LAMBETH, SOUTHWARK, YEAR, lend_days

pytestmark = pytest.mark.django_db
NOT_A_MEMBER = "E08000003"  # Manchester
SECRET = "9.8765"  # a restricted residents' rating: it appears nowhere in the shipped data


def page(path: str) -> str:
    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def main(html: str) -> str:
    return html[html.index('id="main-content"') : html.index("</main>")]


def test_home_leads_with_the_targets_and_the_star_map_then_the_members(
    run: AssessmentRun,
) -> None:
    html = main(page("/"))
    assert html.index('id="targets"') < html.index('id="map"') < html.index('id="members"')
    for target in RunTarget.objects.filter(run=run):
        assert target.target[1:] in html
    assert f'href="/assessment/runs/{run.pk}/"' in html
    assert '"Star rating"' in page("/")  # the map's legend, coloured by the run's stars
    rows = re.findall(r'<tr class="govuk-table__row" data-code="(E\d+)">', html)
    assert len(rows) == Authority.objects.members().count()
    lambeth = RunRating.objects.get(run=run, authority__code=LAMBETH)
    cell = re.search(rf'data-code="{LAMBETH}">.*?data-stars="([^"]*)"', html, re.S)
    assert cell is not None and cell.group(1) == str(lambeth.stars if lambeth.stars else "")


def test_home_without_a_run_says_so_and_still_lists_the_members() -> None:
    html = main(page("/"))
    assert 'data-section="no-run"' in html
    assert len(re.findall(r'data-code="E\d+"', html)) == Authority.objects.members().count()


@pytest.mark.parametrize("table", ["members", "targets"])
def test_home_tables_download_in_every_format(run: AssessmentRun, table: str) -> None:
    client = Client()
    for form in ("csv", "json", "xlsx", "parquet"):
        response = client.get(f"/?format={form}&table={table}")
        assert response.status_code == 200, form
        assert response["Content-Disposition"].endswith(f'.{form}"')
    parquet = pq.read_table(io.BytesIO(client.get(f"/?format=parquet&table={table}").content))
    rows = parquet.to_pylist()
    if table == "members":
        assert len(rows) == Authority.objects.members().count()
        stars = {r["code"]: r["stars"] for r in rows}
        rated = RunRating.objects.filter(run=run).values_list("authority__code", "stars")
        assert all(stars[code] == s for code, s in rated if code in stars)
    else:
        assert {r["run"] for r in rows} >= {run.pk}


def test_parquet_keeps_numbers_money_and_dates_as_their_types() -> None:
    table = Table(
        "t",
        [Column("n", "N"), Column("money", "Money"), Column("day", "Day"), Column("mixed", "M")],
        [
            {"n": 1, "money": Decimal("12.50"), "day": datetime.date(2025, 4, 1), "mixed": 3},
            {"n": None, "money": Decimal("0.01"), "day": None, "mixed": "=SUM(A1)"},
        ],
    )
    read = pq.read_table(io.BytesIO(table.parquet()))
    assert read.column_names == ["n", "money", "day", "mixed"]
    assert read.to_pylist()[0] == {
        "n": 1,
        "money": Decimal("12.50"),
        "day": datetime.date(2025, 4, 1),
        "mixed": "3",
    }
    assert read.to_pylist()[1]["money"] == Decimal("0.01")
    assert read.to_pylist()[1]["mixed"] == "=SUM(A1)"  # Parquet is data, never a formula


def test_a_councils_page_in_a_residents_words(run: AssessmentRun) -> None:
    lend_days(SOUTHWARK, LAMBETH, 7)
    html = main(page(f"/councils/{LAMBETH}/?year={YEAR}"))
    rating = RunRating.objects.get(run=run, authority__code=LAMBETH)
    assert f'data-stars="{rating.stars if rating.stars is not None else ""}"' in html
    if rating.stars is not None:
        assert rating.rule_text in html
    assert rating.direction in html
    assert f'href="/assessment/runs/{run.pk}/"' in html
    took = re.search(r'data-kind="staff-days">.*?</tr>', html, re.S)
    assert took is not None and "7 days" in took.group(0)
    shown = Indicator.objects.filter(residents_view=True, code__startswith="ons-wellbeing")
    assert all(i.name in html for i in shown)


def test_a_year_without_records_points_to_the_years_with_them() -> None:
    lend_days(SOUTHWARK, LAMBETH, 7)
    html = main(page(f"/councils/{LAMBETH}/?year={YEAR + 1}"))
    empty = re.search(r'data-section="no-give-take">.*?</p>', html, re.S)
    assert empty is not None
    assert f'href="?year={YEAR}#give-take"' in empty.group(0)
    assert f'<option value="{YEAR}">' in html  # the year chooser offers it too
    assert 'data-section="no-give-take"' not in main(page(f"/councils/{LAMBETH}/?year={YEAR}"))


def test_the_year_chooser_offers_the_years_of_a_councils_grants_too() -> None:
    award = awarded(improvement_budget("1000", year=2023))
    Award.objects.filter(pk=award.pk).update(decided_on=datetime.date(2023, 6, 1))
    html = main(page(f"/councils/{LAMBETH}/?year=2023"))
    assert '<option value="2023" selected>' in html
    assert 'data-section="no-grants"' not in html


def test_a_councils_residents_views_download_with_their_intervals() -> None:
    response = Client().get(f"/councils/{LAMBETH}/?format=parquet&table=views")
    rows = pq.read_table(io.BytesIO(response.content)).to_pylist()
    surveyed = set(Indicator.objects.filter(residents_view=True).values_list("code", flat=True))
    assert {r["indicator"] for r in rows} <= surveyed and rows
    for r in rows:
        stored = (
            Observation.public_objects.latest_revision()
            .filter(authority__code=LAMBETH, indicator__code=r["indicator"], value__isnull=False)
            .order_by("-period__end")
            .first()
        )
        assert stored is not None and r["value"] == pytest.approx(float(stored.value))
        assert r["period"] == stored.period.label
        assert r["comparison"] in {str(d) for d in Difference} | {""}


def test_a_restricted_value_never_reaches_the_councils_page(tmp_path: Path) -> None:
    code = "ons-wellbeing-life-satisfaction"
    imported(
        tmp_path,
        "secret.csv",
        [f"{SOUTHWARK},{code},2099,{SECRET}"],
        restricted_until=datetime.date(2099, 12, 31),
    )
    for path in (f"/councils/{SOUTHWARK}/", f"/councils/{SOUTHWARK}/?format=csv&table=views"):
        assert SECRET not in Client().get(path).content.decode()


def test_only_members_have_a_councils_page() -> None:
    assert Client().get(f"/councils/{NOT_A_MEMBER}/").status_code == 404
    assert Client().get("/councils/E09000022/?year=nonsense").status_code == 404


def test_the_catalogue_lists_each_dataset_with_licence_source_and_update(
    run: AssessmentRun,
) -> None:
    html = main(page("/data/"))
    sources = set(Indicator.objects.values_list("source", flat=True))
    assert all(escape(s) in html for s in sources if s)
    assert "Grants (360Giving)" in html and "/fund/grants/" in html
    assert run.created_at.strftime("%-d %b %Y") in html
    csv = Client().get("/data/?format=csv").content.decode()
    assert csv.splitlines()[0].startswith("Dataset,Publisher,Licence,Source,Last updated")

    listed = {r["Publisher"]: r for r in csv_module.DictReader(io.StringIO(csv))}
    for source, licence in Indicator.objects.values_list("source", "licence").distinct():
        assert listed[source]["Licence"] == (licence or "not stated")
        assert listed[source]["Last updated"]  # every shipped source was imported
