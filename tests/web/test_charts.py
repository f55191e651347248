"""Chart specs: valid Vega-Lite for the schema Altair ships, and the behaviour the pages rely
on. Pure: no database, no Django."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import altair as alt
import jsonschema
import pytest

from ambition.web import charts

TOPO = "/authorities/boundaries.topojson"
SCHEMA = alt.vegalite.schema.core.load_schema()

ROWS = [
    {"code": "E09000001", "name": "City of London", "value": 30.0},
    {"code": "E09000002", "name": "Barking and Dagenham", "value": 10.0},
    {"code": "E09000003", "name": "Barnet", "value": None},
    {"code": "E09000004", "name": "Bexley", "value": 20.0},
]


def valid(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec passes the Vega-Lite JSON schema, as Altair reads it and as jsonschema does."""
    jsonschema.validate(spec, SCHEMA)
    kind = alt.LayerChart if "layer" in spec else alt.Chart
    kind.from_dict(spec, validate=True)
    json.dumps(spec, allow_nan=False)
    return spec


def datasets(spec: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    """Every inline table in the spec, wherever Altair put it."""
    yield from spec.get("datasets", {}).values()

    def walk(node: Any) -> Iterator[list[dict[str, Any]]]:
        if isinstance(node, dict):
            if isinstance(node.get("values"), list):
                yield node["values"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    yield from walk({k: v for k, v in spec.items() if k != "datasets"})


def table(spec: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The inline table whose rows carry `field`."""
    return next(t for t in datasets(spec) if t and field in t[0])


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def marks(spec: dict[str, Any]) -> list[str]:
    return [m["mark"]["type"] if isinstance(m["mark"], dict) else m["mark"] for m in layers(spec)]


def is_no_data(spec: dict[str, Any]) -> bool:
    return marks(spec) == ["text"] and table(spec, "text") == [{"text": "No data"}]


# Ranked bar


@pytest.mark.parametrize(
    ("polarity", "order"),
    [
        ("higher", ["City of London", "Bexley", "Barking and Dagenham"]),
        ("lower", ["Barking and Dagenham", "Bexley", "City of London"]),
        ("", ["City of London", "Bexley", "Barking and Dagenham"]),
    ],
)
def test_ranked_bar_sorts_best_first(polarity: str, order: list[str]) -> None:
    spec = valid(charts.ranked_bar(ROWS, unit="%", polarity=polarity))
    rows = sorted(table(spec, "rank"), key=lambda r: r["rank"])
    assert [r["name"] for r in rows] == order
    y = spec["layer"][0]["encoding"]["y"]
    assert y["sort"] == {"field": "rank", "op": "min", "order": "ascending"}


def test_ranked_bar_says_when_there_is_no_polarity() -> None:
    assert (
        "no polarity: ordered by value"
        in charts.ranked_bar(ROWS, unit="%", polarity="")["description"]
    )
    assert "best first" in charts.ranked_bar(ROWS, unit="%", polarity="lower")["description"]


def test_ranked_bar_excludes_nulls_and_counts_them() -> None:
    spec = valid(charts.ranked_bar(ROWS, unit="%", polarity="higher", title="Recycling"))
    assert "Barnet" not in {r["name"] for r in table(spec, "rank")}
    assert "1 with no value not shown" in spec["description"]
    assert spec["description"].startswith("Recycling.")
    assert spec["usermeta"]["title"] == "Recycling"


def test_ranked_bar_highlights_one_authority() -> None:
    spec = valid(charts.ranked_bar(ROWS, unit="%", polarity="higher", highlight="E09000004"))
    rows = table(spec, "rank")
    assert [r["code"] for r in rows if r["highlighted"]] == ["E09000004"]
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["condition"] == {"test": "datum.highlighted", "value": charts.ORANGE}
    assert colour["value"] == charts.BLUE
    assert "Bexley is highlighted" in spec["description"]


def test_ranked_bar_tooltip_shows_formatted_values() -> None:
    spec = valid(charts.ranked_bar(ROWS, unit="£", polarity="higher", decimals=0))
    assert {r["display"] for r in table(spec, "rank")} == {"£30", "£20", "£10"}
    tooltip = spec["layer"][0]["encoding"]["tooltip"]
    assert {"field": "display", "title": "Value", "type": "nominal"} in tooltip


def test_ranked_bar_accepts_decimals_and_tells_apart_equal_names() -> None:
    rows = [
        {"code": "A", "name": "Same", "value": Decimal("1.5")},
        {"code": "B", "name": "Same", "value": 2},
    ]
    spec = valid(charts.ranked_bar(rows, unit="", polarity="higher"))
    assert [r["name"] for r in table(spec, "rank")] == ["Same (B)", "Same (A)"]


@pytest.mark.parametrize("rows", [[], [{"code": "A", "name": "A", "value": None}]])
def test_ranked_bar_without_values_says_no_data(rows: list[dict[str, Any]]) -> None:
    spec = valid(charts.ranked_bar(rows, unit="%", polarity="higher", title="Empty"))
    assert is_no_data(spec)
    assert spec["description"] == "Empty: No data."


# Choropleth


def test_choropleth_joins_boundaries_by_code() -> None:
    spec = valid(charts.choropleth(ROWS, topojson_url=TOPO, unit="%", polarity="higher"))
    assert spec["data"] == {"url": TOPO, "format": {"type": "topojson", "feature": "boroughs"}}
    assert spec["projection"] == {"type": "mercator"}
    lookup = spec["layer"][1]["transform"][0]
    assert lookup["lookup"] == "properties.GSSCode"
    assert lookup["from"]["key"] == "code"
    assert {r["code"] for r in table(spec, "code")} == {r["code"] for r in ROWS}


@pytest.mark.parametrize(
    ("polarity", "scale"),
    [
        ("higher", {"scheme": "blues", "reverse": False}),
        ("lower", {"scheme": "blues", "reverse": True}),
        ("", {"scheme": "purples"}),
    ],
)
def test_choropleth_darker_is_better(polarity: str, scale: dict[str, Any]) -> None:
    spec = valid(charts.choropleth(ROWS, topojson_url=TOPO, unit="%", polarity=polarity))
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["scale"] == scale
    assert ("darker is better" in colour["legend"]["title"]) == bool(polarity)


def test_choropleth_greys_areas_without_values() -> None:
    spec = valid(charts.choropleth(ROWS, topojson_url=TOPO, unit="%", polarity="higher"))
    background, shaded = spec["layer"]
    assert background["mark"]["fill"] == charts.MID_GREY
    assert {"filter": "isValid(datum.value)"} in shaded["transform"]
    assert "1 with no value shown grey" in spec["description"]
    assert "Lowest Barking and Dagenham (10%), highest City of London (30%)" in spec["description"]
    tooltip_fields = {t["field"] for t in shaded["encoding"]["tooltip"]}
    assert tooltip_fields == {"label", "display"}


def test_choropleth_other_boundaries() -> None:
    spec = valid(
        charts.choropleth(
            ROWS, topojson_url="/x.json", feature="wards", id_field="id", unit="", polarity=""
        )
    )
    assert spec["data"]["format"]["feature"] == "wards"
    assert spec["layer"][0]["transform"][0]["lookup"] == "id"


def test_choropleth_without_rows_says_no_data() -> None:
    assert is_no_data(valid(charts.choropleth([], topojson_url=TOPO, unit="", polarity="")))


# Members map


MEMBERS = [
    {"code": "E09000001", "name": "City of London", "url": "/a/E09000001/", "control": None},
    {"code": "E09000002", "name": "Barking", "url": "/a/E09000002/", "control": "Labour"},
    {"code": "E09000003", "name": "Barnet", "url": "/a/E09000003/", "control": "Conservative"},
    {"code": "E09000004", "name": "Bexley", "url": "/a/E09000004/", "control": "Residents' X"},
]


def test_members_map_is_clickable_and_coloured_by_category() -> None:
    spec = valid(charts.members_map(MEMBERS, topojson_url=TOPO, colour_field="control"))
    coloured = spec["layer"][1]
    assert coloured["encoding"]["href"] == {"field": "url", "type": "nominal"}
    assert coloured["mark"]["cursor"] == "pointer"
    scale = coloured["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Conservative", "Labour", "Residents' X", "Not known"]
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["Labour"] == charts.RED
    assert colours["Not known"] == charts.MID_GREY
    assert len(set(scale["range"])) == 4
    assert {r["url"] for r in table(spec, "url")} == {m["url"] for m in MEMBERS}
    assert coloured["encoding"]["color"]["legend"]["title"] == "Political control"


def test_members_map_takes_own_colours_and_extra_fields() -> None:
    rows = [{**m, "inner_outer": "Inner", "population": Decimal("1.5")} for m in MEMBERS]
    spec = valid(
        charts.members_map(
            rows, topojson_url=TOPO, colour_field="inner_outer", colours={"Inner": "#123456"}
        )
    )
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert scale == {"domain": ["Inner"], "range": ["#123456"]}
    assert "Map of 4 areas by inner or outer london: Inner 4." in spec["description"]


def test_members_map_knows_categories_whatever_their_case() -> None:
    rows = [
        {**MEMBERS[0], "control": "."},
        {**MEMBERS[1], "control": "No Overall Control"},
        {**MEMBERS[2], "control": "Inner"},
    ]
    spec = valid(charts.members_map(rows, topojson_url=TOPO, colour_field="control"))
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "Inner": charts.DARK_BLUE,
        "No Overall Control": charts.GREY,
        "Not known": charts.MID_GREY,
    }


def test_members_map_without_rows_says_no_data() -> None:
    assert is_no_data(valid(charts.members_map([], topojson_url=TOPO, colour_field="control")))


# Time series


def point(series: str, year: int, value: float | None, interval: bool = False) -> dict[str, Any]:
    return {
        "series": series,
        "period": f"{year}/{str(year + 1)[2:]}",
        "start": f"{year}-04-01",
        "value": value,
        "lower": value - 1 if interval and value is not None else None,
        "upper": value + 1 if interval and value is not None else None,
    }


def test_time_series_band_only_where_intervals_exist() -> None:
    plain = [point("Barnet", y, 10.0 + y % 3) for y in range(2018, 2022)]
    spec = valid(charts.time_series(plain, unit="%"))
    assert marks(spec) == ["line"]
    assert "Shaded bands" not in spec["description"]

    banded = [*plain, point("Barnet", 2022, 12.0, interval=True)]
    spec = valid(charts.time_series(banded, unit="%"))
    assert marks(spec) == ["area", "line"]
    band = spec["layer"][0]["encoding"]
    assert band["y"]["field"] == "lower" and band["y2"]["field"] == "upper"
    assert table(spec, "interval")[-1]["interval"] == "11% to 13%"
    assert "Shaded bands show the intervals" in spec["description"]


def test_time_series_draws_comparators_dashed_grey() -> None:
    rows = [point(s, y, 5.0) for s in ("England", "Barnet", "London") for y in (2020, 2021)]
    spec = valid(charts.time_series(rows, unit="per 10,000"))
    encoding = spec["layer"][0]["encoding"]
    assert encoding["x"]["field"] == "start" and encoding["x"]["type"] == "temporal"
    assert encoding["color"]["scale"]["domain"] == ["Barnet", "London", "England"]
    assert encoding["color"]["scale"]["range"] == [charts.BLUE, "#6f777b", charts.GREY]
    dashes = dict(zip(*encoding["strokeDash"]["scale"].values(), strict=True))
    assert dashes["Barnet"] == charts.SOLID
    assert dashes["London"] != charts.SOLID and dashes["England"] != charts.SOLID
    assert {"field": "period", "title": "Period", "type": "nominal"} in encoding["tooltip"]


def test_time_series_keeps_gaps_for_missing_values() -> None:
    rows = [point("Barnet", 2020, 1.0), point("Barnet", 2021, None), point("Barnet", 2022, 2.0)]
    spec = valid(charts.time_series(rows, unit=""))
    assert spec["layer"][0]["mark"]["invalid"] == "break-paths-show-domains"
    assert [r["display"] for r in table(spec, "series")] == ["1", "No data", "2"]


@pytest.mark.parametrize("rows", [[], [point("Barnet", 2020, None)]])
def test_time_series_without_values_says_no_data(rows: list[dict[str, Any]]) -> None:
    assert is_no_data(valid(charts.time_series(rows, unit="%", title="Over time")))


# Sparkline


def spark_rows(*values: float | None) -> list[dict[str, Any]]:
    return [
        {"period": str(2015 + i), "start": f"{2015 + i}-04-01", "value": v, "status": ""}
        for i, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("values", "polarity", "colour", "words"),
    [
        ((1.0, 2.0), "higher", charts.GREEN, "improving"),
        ((1.0, 2.0), "lower", charts.RED, "getting worse"),
        ((2.0, 1.0, None), "lower", charts.GREEN, "improving"),
        ((1.0, 1.0), "higher", charts.BLUE, "no change"),
        ((1.0, 2.0), "", charts.BLUE, "up"),
    ],
)
def test_sparkline_marks_the_latest_point(
    values: tuple[float | None, ...], polarity: str, colour: str, words: str
) -> None:
    spec = valid(charts.sparkline(spark_rows(*values), polarity=polarity))
    assert (spec["width"], spec["height"]) == (120, 30)
    line, latest = spec["layer"]
    assert line["encoding"]["x"]["axis"] is None and line["encoding"]["y"]["axis"] is None
    assert latest["mark"]["color"] == colour
    assert latest["transform"] == [{"filter": "datum.latest"}]
    rows = table(spec, "latest")
    assert [r["value"] for r in rows if r["latest"]] == [
        next(v for v in reversed(values) if v is not None)
    ]
    assert words in spec["description"]
    assert spec["usermeta"]["embedOptions"] == {"actions": False}


def test_sparkline_without_values_says_no_data() -> None:
    spec = valid(charts.sparkline(spark_rows(None, None), polarity="higher"))
    assert is_no_data(spec)
    assert (spec["width"], spec["height"]) == (120, 30)


# Every chart, including the empty ones


def test_every_chart_is_described_for_screen_readers() -> None:
    specs = [
        charts.ranked_bar(ROWS, unit="%", polarity="higher"),
        charts.choropleth(ROWS, topojson_url=TOPO, unit="%", polarity="higher"),
        charts.members_map(MEMBERS, topojson_url=TOPO, colour_field="control"),
        charts.time_series([point("Barnet", 2020, 1.0)], unit="%"),
        charts.sparkline(spark_rows(1.0), polarity="higher"),
        charts.no_data(),
    ]
    for spec in specs:
        valid(spec)
        assert spec["description"] and spec["usermeta"]["description"] == spec["description"]
        assert spec["config"]["font"] == charts.FONT


# Values for display


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (1234567.891, 2, "1,234,567.89"),
        (12.0, -1, "12"),
        (12.34, -1, "12.3"),
        (Decimal("7.25"), 1, "7.3"),
        (2.675, 2, "2.68"),
        (0.125, -2, "0.13"),
        (3.001, -2, "3"),
        (5, 0, "5"),
        (-0.04, 1, "0.0"),
        (-1234.5, 0, "-1,235"),
        (None, 1, None),
        (float("nan"), 1, None),
        (True, 1, None),
        ("12", 1, None),
    ],
)
def test_format_number(value: object, places: int, text: str | None) -> None:
    assert charts.format_number(value, places) == text


@pytest.mark.parametrize(
    ("unit", "text"),
    [
        ("%", "12.3%"),
        ("percentage", "12.3%"),
        ("£", "£12.3"),
        ("£m", "£12.3m"),
        ("£ per head", "£12.3 per head"),
        ("per 10,000", "12.3 per 10,000"),
        ("days", "12.3 days"),
        ("", "12.3"),
        ("Number", "12.3"),
        (None, "12.3"),
    ],
)
def test_format_with_unit(unit: str | None, text: str) -> None:
    assert charts.format_with_unit("12.3", unit) == text


@pytest.mark.parametrize(
    ("values", "places"),
    [
        ([0.412, 0.38], 3),
        ([0.4, 0.38], 2),
        ([45.25, 3.5], 1),
        ([12345.6], 0),
        ([1.0, 2.0, None], 0),
        ([], 0),
        ([0.000123], 3),
    ],
)
def test_places_for_a_chart(values: list[float | None], places: int) -> None:
    assert charts.places_for(values) == places


def test_charts_use_the_decimals_they_are_given() -> None:
    rows = [{"code": "A", "name": "A", "value": 0.41234}]
    assert table(charts.ranked_bar(rows, unit="", polarity=""), "rank")[0]["display"] == "0.412"
    spec = charts.ranked_bar(rows, unit="", polarity="", decimals=1)
    assert table(spec, "rank")[0]["display"] == "0.4"


def test_format_with_unit_puts_the_sign_before_the_pound() -> None:
    assert charts.format_with_unit("-1,200", "£") == "-£1,200"


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (8.0, "%", "8.0 percentage points"),
        (-2.25, "%", "-2.3 percentage points"),
        (3.5, "per 1,000 dwellings", "3.5 per 1,000 dwellings"),
        (None, "%", "no data"),
    ],
)
def test_a_change_in_a_percentage_is_in_points(value: float | None, unit: str, words: str) -> None:
    from ambition.web.charts import NO_DATA, display_change

    assert display_change(value, unit, 1) == (NO_DATA if value is None else words)
