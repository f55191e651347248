"""Funnel plots: the control limits as properties of any group and by hand, and the indicator
benchmarking page on a real run of the London data (values, positions, funnel, downloads)."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
from typing import Any

import altair as alt
import jsonschema
import polars as pl
import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from ambition.assessment.engine.funnel import FLAGS, Z95, Z998, Funnel, funnel
from ambition.assessment.making import make_run, member_codes
from ambition.assessment.models import RunIndicator
from ambition.registry.models import ProfileFigure
from ambition.web import charts

SCHEMA = alt.vegalite.schema.core.load_schema()
LIMITS = ["lower998", "lower95", "upper95", "upper998"]
SLACK = 1e-9


def group(values: list[float], sizes: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "authority": [f"E09{n:06d}" for n in range(1, len(values) + 1)],
            "value": values,
            "size": sizes,
        },
        schema={"authority": pl.String, "value": pl.Float64, "size": pl.Float64},
    )


sizes = st.floats(min_value=5.0, max_value=1e7, allow_nan=False)


@st.composite
def funnels(draw: st.DrawFn) -> Funnel:
    """A proportion (percentages) or a rate per 1,000 to 100,000, overdispersed or not."""
    kind = draw(st.sampled_from(["proportion", "rate"]))
    per = 100.0 if kind == "proportion" else draw(st.sampled_from([1e3, 1e4, 1e5]))
    top = 100.0 if kind == "proportion" else 500.0
    count = draw(st.integers(min_value=3, max_value=35))
    values = draw(st.lists(st.floats(0.5, top - 0.5), min_size=count, max_size=count))
    weights = draw(st.lists(sizes, min_size=count, max_size=count))
    return funnel(group(values, weights), kind, per, overdispersed=draw(st.booleans()))


@given(funnels(), st.lists(sizes, min_size=2, max_size=20))
def test_limits_widen_as_size_falls(made: Funnel, at: list[float]) -> None:
    limits = made.limits(pl.Series(sorted(at))).to_dicts()
    for smaller, larger in itertools.pairwise(limits):
        assert smaller["upper95"] >= larger["upper95"] - SLACK
        assert smaller["upper998"] >= larger["upper998"] - SLACK
        assert smaller["lower95"] <= larger["lower95"] + SLACK
        assert smaller["lower998"] <= larger["lower998"] + SLACK


@given(funnels(), st.lists(sizes, min_size=1, max_size=20))
def test_the_998_limits_lie_outside_the_95_limits_which_contain_the_mean(
    made: Funnel, at: list[float]
) -> None:
    for row in made.limits(pl.Series(at)).to_dicts():
        assert row["lower998"] <= row["lower95"] <= made.centre + SLACK
        assert made.centre - SLACK <= row["upper95"] <= row["upper998"]


@given(funnels())
def test_the_centre_is_the_size_weighted_mean(made: Funnel) -> None:
    values, weights = made.points["value"], made.points["size"]
    expected = float((values * weights).sum()) / float(weights.sum())
    assert made.centre == pytest.approx(expected, rel=1e-9)
    assert float(values.min()) - SLACK <= made.centre <= float(values.max()) + SLACK  # type: ignore[arg-type]


@given(funnels())
def test_each_flag_says_where_the_point_falls_against_the_limits_at_its_size(
    made: Funnel,
) -> None:
    limits = made.limits(made.points["size"]).drop("size")
    rows = pl.concat([made.points, limits], how="horizontal").to_dicts()
    for r in rows:
        value = r["value"]
        if any(abs(value - r[c]) < 1e-6 * max(1.0, abs(value)) for c in LIMITS):
            continue  # on a limit: either side is right to within rounding
        inside95 = r["lower95"] <= value <= r["upper95"]
        inside998 = r["lower998"] <= value <= r["upper998"]
        assert (r["flag"] == "within") == inside95
        assert r["flag"].endswith("99.8%") == (not inside998)
        assert r["flag"] in FLAGS


@given(funnels())
def test_allowing_for_overdispersion_never_narrows_the_limits(made: Funnel) -> None:
    wide = funnel(made.points.select("authority", "value", "size"), made.kind, made.per, True)
    plain = funnel(made.points.select("authority", "value", "size"), made.kind, made.per, False)
    assert wide.phi >= 1.0 and plain.phi == 1.0
    assert wide.spread == pytest.approx(plain.spread)
    at = made.points["size"]
    for w, p in zip(wide.limits(at).to_dicts(), plain.limits(at).to_dicts(), strict=True):
        assert w["upper998"] >= p["upper998"] - SLACK and w["lower998"] <= p["lower998"] + SLACK


def test_limits_by_hand() -> None:
    """50% on 100 people: sd 5 points; 10 per 1,000 on 10,000: an expected 100 events, sd 1."""
    half = funnel(group([40.0, 60.0], [100.0, 100.0]), "proportion", 100.0)
    row = half.limits(pl.Series([100.0])).row(0, named=True)
    assert half.centre == 50.0
    assert row["upper95"] == pytest.approx(50 + Z95 * 5)
    assert row["lower998"] == pytest.approx(50 - Z998 * 5)
    rate = funnel(group([9.0, 11.0], [10_000.0, 10_000.0]), "rate", 1000.0)
    assert rate.limits(pl.Series([10_000.0]))["upper998"][0] == pytest.approx(10 + Z998)
    # Two points are too few to estimate overdispersion from.
    assert rate.spread == 1.0


def test_a_tiny_size_clips_a_proportions_limits_to_0_and_100() -> None:
    made = funnel(group([10.0, 90.0, 50.0], [2.0, 2.0, 2.0]), "proportion", 100.0)
    row = made.limits(pl.Series([1.0])).row(0, named=True)
    assert (row["lower998"], row["upper998"]) == (0.0, 100.0)


def test_points_without_a_size_are_left_out() -> None:
    frame = group([10.0, 20.0, 30.0], [100.0, 0.0, 100.0]).with_columns(
        size=pl.Series([100.0, 0.0, None])
    )
    made = funnel(frame, "rate", 1000.0)
    assert made.points["authority"].to_list() == ["E09000001"]


# The chart


def chart_of(made: Funnel, names: dict[str, str] | None = None) -> dict[str, Any]:
    points = [
        {"code": p["authority"], "name": (names or {}).get(p["authority"], p["authority"])}
        | {k: p[k] for k in ("value", "size", "flag")}
        for p in made.points.to_dicts()
    ]
    return charts.funnel_plot(
        points,
        made.curve().to_dicts(),
        centre=made.centre,
        unit="%",
        size_label="Population",
        title="Funnel",
    )


def test_the_funnel_chart_is_valid_vega_lite_described_with_the_points_outside() -> None:
    made = funnel(group([50.0, 51.0, 49.5, 90.0], [2e3, 3e3, 4e3, 100]), "proportion", 100.0)
    spec = valid(chart_of(made, {"E09000004": "Bexley"}))
    assert spec["description"] == spec["usermeta"]["description"]
    assert "Outside the 95% limits: Bexley." in spec["description"]
    assert made.points["flag"].to_list() == ["within", "within", "within", "above 99.8%"]
    drawn = {layer["mark"]["type"]: layer for layer in spec["layer"]}
    assert set(drawn) == {"line", "rule", "point"}
    assert drawn["point"]["encoding"]["x"]["scale"] == {"type": "log"}  # sizes span 40 times
    flags = [f for t in spec["datasets"].values() for r in t if (f := r.get("flag"))]
    assert sorted(flags) == sorted(made.points["flag"].to_list())


def test_the_funnel_chart_of_close_sizes_has_a_linear_axis_and_of_nothing_says_no_data() -> None:
    made = funnel(group([50.0, 51.0, 49.5], [2e3, 3e3, 4e3]), "proportion", 100.0)
    spec = valid(chart_of(made))
    point = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert point["encoding"]["x"]["scale"] == {"zero": False}
    assert "Every point is within the limits." in spec["description"]
    empty = charts.funnel_plot(
        [{"code": "x", "value": 1.0, "size": None}],
        [],
        centre=1.0,
        unit="",
        size_label="Population",
    )
    assert empty["usermeta"]["description"] == "No data."


# The benchmarking page on a real run


@pytest.fixture
def run(db: None) -> Any:
    return make_run("ambition-default", datetime.date.today())


def page(client: Client, code: str, **params: str) -> Any:
    response = client.get(f"/assessment/indicators/{code}/", params)
    assert response.status_code == 200
    return response


def valid(spec: dict[str, Any]) -> dict[str, Any]:
    jsonschema.validate(spec, SCHEMA)
    alt.LayerChart.from_dict(spec, validate=True)
    json.dumps(spec, allow_nan=False)
    return spec


def test_a_percentage_is_benchmarked_with_a_funnel_sized_by_its_children(
    run: Any, client: Client
) -> None:
    response = page(client, "lait-care-leavers-eet")
    rows, view = response.context["rows"], response.context["view"]
    stored = {
        r.authority.code: r
        for r in RunIndicator.objects.filter(run=run, indicator__code="lait-care-leavers-eet")
    }
    assert len(rows) >= 30 and {r["code"] for r in rows} <= set(member_codes())
    for r in rows:
        kept = stored[r["code"]]
        assert (r["value"], r["rank"], r["quartile"]) == (kept.value, kept.rank, kept.quartile)
        assert (r["percentile"], r["robust_z"]) == (kept.percentile, kept.robust_z)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert view.basis.kind == "proportion" and view.size.label == "Children aged 0-15"
    assert view.widened and view.funnel.phi == view.funnel.spread > 1
    lambeth = next(r for r in rows if r["code"] == "E09000022")
    population = ProfileFigure.objects.get(authority__code="E09000022", key="population-2020")
    share = ProfileFigure.objects.get(
        authority__code="E09000022", key="proportion-of-population-aged-0-15"
    )
    assert lambeth["size"] == pytest.approx(population.value * share.value / 100)
    text = response.content.decode()
    assert "This is an approximation" in text and "overdispersion" in text
    spec = valid(response.context["funnel_spec"])
    drawn = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert drawn["encoding"]["x"]["title"] == "Children aged 0-15"


def test_a_rate_per_child_has_poisson_limits_unless_the_spread_is_asked_for(
    run: Any, client: Client
) -> None:
    chance = page(client, "lait-injury-admissions-0-14").context["view"]
    assert (chance.basis.kind, chance.basis.per) == ("rate", 10_000.0)
    assert chance.funnel.phi == 1.0 and chance.funnel.spread > 1
    outside = [p for p in chance.funnel.points.to_dicts() if p["flag"] != "within"]
    spread = page(client, "lait-injury-admissions-0-14", limits="spread").context["view"]
    assert spread.funnel.phi == pytest.approx(chance.funnel.spread)
    wider = [p for p in spread.funnel.points.to_dicts() if p["flag"] != "within"]
    assert len(wider) < len(outside)
    valid(page(client, "lait-injury-admissions-0-14").context["funnel_spec"])


def test_indicators_with_no_sensible_size_get_the_ranked_chart_and_the_reason(
    run: Any, client: Client
) -> None:
    score = page(client, "lait-ks4-attainment-8")
    assert score.context["view"].funnel is None and "funnel_spec" not in score.context
    assert "its unit (score) is neither a rate" in score.content.decode()
    valid_bar = score.context["ranked_spec"]
    jsonschema.validate(valid_bar, SCHEMA)
    teenage = page(client, "lait-under-18-conceptions").content.decode()
    assert "no count of the population aged 15-17" in teenage


def test_an_indicator_the_run_does_not_rank_shows_values_and_a_population_funnel(
    run: Any, client: Client
) -> None:
    # Contested in the default method (an input, and a sign of need): never ranked.
    response = page(client, "ons-fe-skills-participation")
    rows, view = response.context["rows"], response.context["view"]
    assert not response.context["ranked"] and rows
    assert all(r.get("rank") is None for r in rows)
    assert view.basis.per == 100_000.0 and view.size.label == "Population"
    populations = dict(
        ProfileFigure.objects.filter(key="population-2020").values_list("authority__code", "value")
    )
    assert all(r["size"] == populations[r["code"]] for r in rows if "size" in r)
    values = [r["value"] for r in rows]
    assert values == sorted(values, reverse=True)  # no polarity: highest first


def test_the_tables_download_as_csv_and_json(run: Any, client: Client) -> None:
    shown = page(client, "lait-care-leavers-eet").context["rows"]
    response = client.get("/assessment/indicators/lait-care-leavers-eet/", {"format": "csv"})
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv") and len(table) == len(shown)
    assert table[0]["Robust z"] and table[0]["Against the limits"] in FLAGS
    assert float(table[0]["Upper 95% limit"]) <= float(table[0]["Upper 99.8% limit"])
    limits = json.loads(
        client.get(
            "/assessment/indicators/lait-care-leavers-eet/", {"format": "json", "table": "limits"}
        ).content
    )
    assert limits["run"] == run.pk and limits["phi"] > 1 and len(limits["rows"]) == 80
    assert all(
        r["lower998"] <= r["lower95"] <= r["upper95"] <= r["upper998"] for r in limits["rows"]
    )
    no_funnel = client.get(
        "/assessment/indicators/lait-ks4-attainment-8/", {"format": "csv", "table": "limits"}
    )
    assert no_funnel.status_code == 404


def test_a_run_is_chosen_by_id_and_an_unknown_one_is_not_found(run: Any, client: Client) -> None:
    assert page(client, "lait-care-leavers-eet", run=str(run.pk)).context["run"] == run
    for wrong in ("999999", "abc", "9" * 30):
        response = client.get("/assessment/indicators/lait-care-leavers-eet/", {"run": wrong})
        assert response.status_code == 404


@pytest.mark.django_db
def test_with_no_run_the_page_says_so(client: Client) -> None:
    response = page(client, "lait-care-leavers-eet")
    assert response.context["run"] is None
    assert "There is no assessment run yet" in response.content.decode()
    assert client.get("/assessment/indicators/no-such-indicator/").status_code == 404
