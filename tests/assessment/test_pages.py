"""The assessment's public pages on real runs of both methods: the dashboard, an authority's
scorecard, the methodology pages and the runs, with their downloads; each figure checked
against the run's stored rows."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.engine.run import weights_frame
from ambition.assessment.engine.trajectory import straight_line_forecast
from ambition.assessment.frames import indicator_frame
from ambition.assessment.making import make_run, member_codes
from ambition.assessment.methodology import load
from ambition.assessment.models import (
    AssessmentRun,
    Judgement,
    RunArea,
    RunIndicator,
    RunRating,
    RunTarget,
)
from ambition.assessment.views.dashboard import STAR_SCALE
from ambition.registry.models import Authority
from ambition.web import charts
from tests.pages import body_rows, page, parse
from tests.web.test_charts import valid

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAMBETH, SOUTHWARK = "E09000022", "E09000028"


def rating(run: AssessmentRun, code: str) -> RunRating:
    return RunRating.objects.get(run=run, authority__code=code)


def csv_header(client: Client, path: str, **params: str) -> list[str]:
    response = client.get(path, {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return next(csv.reader(io.StringIO(response.content.decode())))


def json_table(client: Client, path: str, **params: str) -> dict[str, object]:
    response = client.get(path, {**params, "format": "json"})
    assert response.status_code == 200
    table: dict[str, object] = json.loads(response.content)
    return table


@pytest.fixture
def office() -> object:
    return create_person("pages-analyst", "pages-password-1", [RoleSpec.parse("analyst")])


def judge(office: object, code: str, key: str, score: int, reason: str) -> Judgement:
    authority = Authority.objects.get(code=code)
    return Judgement.objects.create(
        authority=authority,
        method="cpa-2005",
        key=key,
        score=score,
        reason=reason,
        entered_by=office,
    )


# The dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_each_members_stars_and_direction_from_the_latest_run(
    client: Client,
) -> None:
    make_run("ambition-default", datetime.date(2022, 12, 31))
    run = make_run("ambition-default", TODAY)
    doc = page(client, "/assessment/")
    assert f"assessment run {run.pk}" in doc.find("div", data_section="run").text
    assert run.data_fingerprint[:12] in doc.find("div", data_section="run").text
    rows = body_rows(doc.find("table", data_table="members"))
    assert len(rows) == len(member_codes()) == 35
    for row in rows:
        stored = rating(run, row.attrs["data-code"])
        shown = row.find("td", data_stars=str(stored.stars) if stored.stars is not None else "")
        assert ("not rated" if stored.stars is None else f"{stored.stars} star") in shown.text
        assert row.find("td", data_direction=stored.direction).text == (
            stored.direction or "not judged"
        )
    lambeth = rating(run, LAMBETH)
    lambeth_row = doc.find("tr", data_code=LAMBETH)
    assert lambeth_row.find("a").attrs["href"] == f"/assessment/authorities/{LAMBETH}/?run={run.pk}"
    weak = [a.text for a in lambeth_row.find_all("a")[1:]]
    assert len(weak) == len(lambeth.weak_areas)


def test_the_map_colours_the_boroughs_on_the_whole_star_scale(client: Client) -> None:
    run = make_run("ambition-default", TODAY)
    spec = client.get("/assessment/").context["map_spec"]
    layer = spec["layer"][1]
    dataset = spec["datasets"][layer["transform"][0]["from"]["data"]["name"]]
    values = {v["code"]: v["category"] for v in dataset}
    assert set(values) == {c for c in member_codes() if c.startswith("E09")}
    for code, category in values.items():
        stars = rating(run, code).stars
        assert category == ("Not rated" if stars is None else STAR_SCALE[stars])
    assert layer["encoding"]["color"]["scale"]["domain"] == STAR_SCALE
    valid(spec)


def test_the_dashboard_chooses_a_method_or_a_run(client: Client) -> None:
    default = make_run("ambition-default", TODAY)
    cpa = make_run("cpa-2005", TODAY)
    assert client.get("/assessment/").context["run"] == default
    assert client.get("/assessment/", {"method": "cpa-2005"}).context["run"] == cpa
    assert client.get("/assessment/", {"run": str(default.pk)}).context["run"] == default
    doc = page(client, "/assessment/", method="cpa-2005")
    # No judgement is entered, so no member is rated: the page says so rather than guessing.
    assert all("not rated" in r.text for r in body_rows(doc.find("table", data_table="members")))


def test_each_target_has_its_trajectory_one_run_per_date_and_a_forecast(client: Client) -> None:
    first_2021 = make_run("ambition-default", datetime.date(2021, 12, 31))
    latest_2021 = make_run("ambition-default", datetime.date(2021, 12, 31))
    make_run("ambition-default", datetime.date(2023, 12, 31))
    run = make_run("ambition-default", TODAY)
    make_run("ambition-default", TODAY + datetime.timedelta(days=400))  # later than this run
    targets = client.get("/assessment/", {"run": str(run.pk)}).context["targets"]
    assert [t["target"] for t in targets] == list(
        RunTarget.objects.filter(run=run).values_list("target", flat=True)
    )
    for target in targets:
        measured = [p for p in target["trajectory"] if not p["forecast"]]
        assert [p["as_of"] for p in measured] == [
            datetime.date(2021, 12, 31),
            datetime.date(2023, 12, 31),
            TODAY,
        ]
        assert measured[0]["run"] == latest_2021.pk != first_2021.pk
        assert measured[-1]["value"] == target["value"]
        forecast = [p for p in target["trajectory"] if p["forecast"]]
        assert len(forecast) == 1 and forecast[0]["as_of"] > TODAY
        assert 0.0 <= forecast[0]["value"] <= 1.0
        assert target["spec"]["usermeta"]["description"].count("forecast") == 1
        valid(target["spec"])
    holding = targets[0]["behind"]
    short = RunRating.objects.filter(run=run, stars__lt=2).count()
    assert len(holding) == short


def test_a_straight_line_forecast_reads_the_line_a_year_on_and_stays_a_share() -> None:
    rising = [(datetime.date(2020, 12, 31), 0.5), (datetime.date(2021, 12, 31), 0.6)]
    when, value = straight_line_forecast(rising) or (None, None)
    assert when == datetime.date(2022, 12, 31)
    assert value == pytest.approx(0.7, abs=0.001)
    steep = [(datetime.date(2020, 12, 31), 0.5), (datetime.date(2021, 12, 31), 0.95)]
    assert straight_line_forecast(steep) == (datetime.date(2022, 12, 31), 1.0)
    assert straight_line_forecast(rising[:1]) is None


def test_the_dashboard_without_a_run_says_so(client: Client) -> None:
    doc = page(client, "/assessment/")
    assert "No assessment has been run" in doc.find("p", data_section="no-run").text


# The scorecard -------------------------------------------------------------------------------


def test_a_scorecard_shows_the_runs_stars_and_why(client: Client) -> None:
    run = make_run("ambition-default", TODAY)
    stored = rating(run, LAMBETH)
    doc = page(client, f"/assessment/authorities/{LAMBETH}/")
    headline = doc.find("ul", data_section="headline")
    assert headline.find("span", data_stars=str(stored.stars)) is not None
    assert stored.direction.capitalize() in headline.text
    assert stored.rule_text in doc.find("div", data_section="rule").text
    held = body_rows(doc.find("table", data_table="held-back"))
    assert len(held) == len(stored.held_back)
    options = doc.find("ul", data_section="next-star").find_all("li")
    assert 1 <= len(options) <= min(5, len(stored.to_next_star))
    assert "No part of this rating is judgement" in doc.text


def test_a_scorecard_lists_every_area_and_indicator_with_its_position(client: Client) -> None:
    run = make_run("ambition-default", TODAY)
    doc = page(client, f"/assessment/authorities/{LAMBETH}/", run=str(run.pk))
    areas = RunArea.objects.filter(run=run, authority__code=LAMBETH).select_related("area")
    for area in areas:
        cell = doc.find("tr", data_area=area.area.code).find("td", data_score=str(area.score or ""))
        assert cell.text == (str(area.score) if area.score is not None else "insufficient data")
    stored = RunIndicator.objects.filter(run=run, authority__code=LAMBETH).select_related(
        "indicator"
    )
    assert stored.count() > 20
    for indicator in stored:
        row = doc.find("tr", data_indicator=indicator.indicator.code)
        quartile = row.find("td", data_quartile=str(indicator.quartile or ""))
        if indicator.percentile is not None:
            shown = charts.format_number(indicator.percentile, 0)  # as the page rounds
            assert quartile.text == f"{shown} (Q{indicator.quartile})"
        if indicator.rank is not None:
            assert row.find("td", data_rank="").text.endswith(f"of {indicator.n}")
        trend = row.find("td", data_trend=indicator.trend).text
        if indicator.improving or indicator.worsening:
            assert trend.startswith("improving" if indicator.improving else "worsening")
        elif indicator.trend == "no significant change":
            assert trend.startswith("no significant change")
        if indicator.p_value is not None:
            assert f"p = {indicator.p_value:.3f}" in trend
    assert doc.find_all("script", id=f"spark-{stored.first().indicator.code}-spec")


def test_a_cpa_scorecard_says_which_parts_were_judgement_and_whose(
    client: Client, office: object
) -> None:
    judge(office, LAMBETH, "corporate_assessment", 3, "Strong leadership; reviewed in March")
    judge(office, LAMBETH, "use_of_resources", 2, "Weak financial controls")
    run = make_run("cpa-2005", TODAY)
    doc = page(client, f"/assessment/authorities/{LAMBETH}/", run=str(run.pk))
    judged = doc.find("table", data_table="judgements")
    corporate = judged.find("tr", data_key="corporate_assessment")
    assert "Strong leadership; reviewed in March" in corporate.text
    assert "pages-analyst" in corporate.text
    stored = rating(run, LAMBETH)
    if stored.stars is not None:
        assert stored.rule_text in doc.find("div", data_section="rule").text
    # Southwark has no judgement: not rated, with the missing inputs named.
    other = page(client, f"/assessment/authorities/{SOUTHWARK}/", run=str(run.pk))
    missing = other.find("ul", data_section="missing").text
    assert "Corporate assessment" in missing and "judgement not entered" in missing


def test_an_inferred_rule_is_flagged_with_its_reasoning(client: Client, office: object) -> None:
    # Corporate assessment 1 fires only inferred rules (no CA 1 row was found).
    judge(office, LAMBETH, "corporate_assessment", 1, "Failing governance")
    judge(office, LAMBETH, "use_of_resources", 2, "Weak financial controls")
    run = make_run("cpa-2005", TODAY)
    stored = rating(run, LAMBETH)
    assert stored.stars is not None and stored.inferred
    doc = page(client, f"/assessment/authorities/{LAMBETH}/", run=str(run.pk))
    assert "was inferred" in doc.find("div", data_section="inferred").text
    reasoning = next(r for r in load("cpa-2005").stars.rules if r.id == stored.rule_id).reasoning
    assert " ".join(reasoning.split())[:60] in doc.text


# Downloads -----------------------------------------------------------------------------------


def test_every_table_downloads_with_its_columns(client: Client) -> None:
    run = make_run("ambition-default", TODAY)
    assert csv_header(client, "/assessment/")[:4] == ["ONS code", "Authority", "Stars", "Rule"]
    members = json_table(client, "/assessment/", table="members")
    assert members["run"] == run.pk and len(members["rows"]) == 35  # type: ignore[arg-type]
    assert json_table(client, "/assessment/", table="targets")["columns"][:4] == [  # type: ignore[index]
        "target",
        "value",
        "goal",
        "met",
    ]
    assert "Forecast" in csv_header(client, "/assessment/", table="trajectory")
    assert "Risk" in csv_header(client, "/assessment/", table="warnings")
    card = f"/assessment/authorities/{LAMBETH}/"
    assert csv_header(client, card)[:4] == ["Service area", "Indicator code", "Indicator", "Period"]
    assert "p-value" in csv_header(client, card, table="indicators")
    assert csv_header(client, card, table="areas")[2:4] == ["Score", "Indicators with a position"]
    assert "Probability of the bottom quartile" in csv_header(client, card, table="warnings")
    lambeth = json_table(client, card, table="indicators")
    assert (
        len(lambeth["rows"])
        == RunIndicator.objects.filter(  # type: ignore[arg-type]
            run=run, authority__code=LAMBETH
        ).count()
    )
    assert csv_header(client, "/assessment/runs/")[:3] == ["Run", "Method", "Method version"]
    assert csv_header(client, f"/assessment/runs/{run.pk}/")[:3] == [
        "ONS code",
        "Authority",
        "Stars",
    ]
    assert csv_header(client, f"/assessment/runs/{run.pk}/", table="judgements")[2] == "Judgement"
    method = "/assessment/methods/cpa-2005/"
    assert csv_header(client, method)[3:5] == ["Indicator code", "Indicator"]
    assert csv_header(client, method, table="rules")[:3] == ["Order", "Rule", "Stars"]
    assert csv_header(client, method, table="direction")[1] == "Direction of travel"
    assert csv_header(client, "/assessment/methods/")[0] == "Name"
    assert client.get(card, {"format": "csv", "table": "nope"}).status_code == 404


# Not found -----------------------------------------------------------------------------------


def test_unknown_codes_runs_methods_and_tables_are_not_found(client: Client) -> None:
    run = make_run("ambition-default", TODAY)
    for path, params in [
        ("/assessment/authorities/E99999999/", {}),
        ("/assessment/authorities/E08000025/", {}),  # Birmingham: not a member, not assessed
        (f"/assessment/authorities/{LAMBETH}/", {"run": "999999"}),
        (f"/assessment/authorities/{LAMBETH}/", {"run": "latest"}),
        ("/assessment/", {"method": "no-such-method"}),
        ("/assessment/runs/999999/", {}),
        (f"/assessment/runs/{run.pk}/compare/999999/", {}),
        ("/assessment/methods/no-such-method/", {}),
        ("/assessment/methods/neighbours/", {}),  # a data file, not a methodology
        ("/assessment/methods/ambition-default-stars/", {}),
    ]:
        assert client.get(path, params).status_code == 404, (path, params)


# Methodology pages ---------------------------------------------------------------------------


def test_a_methodology_page_resolves_every_indicator_and_lists_every_rule(client: Client) -> None:
    method = load("cpa-2005")
    doc = page(client, "/assessment/methods/cpa-2005/")
    assert method.sha256 in doc.find("dl", data_section="files").text
    weights = weights_frame(method.rules(), indicator_frame())
    table = json_table(client, "/assessment/methods/cpa-2005/", table="indicators")
    shown = {(r["indicator"], r["area"], r["weight"]) for r in table["rows"]}  # type: ignore[union-attr, index]
    assert shown == set(weights.iter_rows()) and len(shown) > 30
    rules = body_rows(doc.find("table", data_table="rules"))
    assert [r.attrs["data-rule"] for r in rules] == [r.id for r in method.stars.rules]
    inferred = [r for r in rules if "inferred" in r.text]
    assert len(inferred) == sum(r.inferred for r in method.stars.rules) == 4
    assert method.text.splitlines()[0] in doc.find("textarea", id="method-text").text
    listing = page(client, "/assessment/methods/")
    assert {r.attrs["data-method"] for r in body_rows(listing.find("table"))} == {
        "ambition-default",
        "cpa-2005",
    }


# Runs ----------------------------------------------------------------------------------------


def test_the_runs_are_listed_newest_first_and_each_shows_its_record(
    client: Client, office: object
) -> None:
    judge(office, LAMBETH, "corporate_assessment", 3, "Strong leadership")
    older = make_run("ambition-default", TODAY)
    newer = make_run("cpa-2005", TODAY)
    rows = body_rows(page(client, "/assessment/runs/").find("table", data_table="runs"))
    assert [r.find("a").text for r in rows[:2]] == [str(newer.pk), str(older.pk)]
    rated = RunRating.objects.filter(run=older, stars__isnull=False).count()
    assert rows[1].find_all("td")[-1].text == f"{rated} of 35"
    doc = page(client, f"/assessment/runs/{newer.pk}/")
    record = doc.find("dl", data_section="record").text
    assert newer.method_sha256 in record and newer.results_sha256 in record
    judged = body_rows(doc.find("table", data_table="judgements"))
    assert len(judged) == 1 and "Strong leadership" in judged[0].text
    assert len(body_rows(doc.find("table", data_table="ratings"))) == 35
    response = client.get(f"/assessment/runs/{newer.pk}/", {"compare": str(older.pk)})
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/runs/{older.pk}/compare/{newer.pk}/"


def test_the_run_list_without_runs_says_so(client: Client) -> None:
    doc = parse(client.get("/assessment/runs/").content)
    assert "No assessment has been run" in doc.find("p", data_section="no-runs").text
