"""Maps of the areas from the boundary TopoJSON: shaded by a value (choropleth) or coloured
by a category (members_map). Areas without a value or category are drawn grey."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from .common import (
    BLUE,
    DARK_BLUE,
    GREEN,
    GREY,
    LIGHT_BLUE,
    MID_GREY,
    ORANGE,
    PALETTE,
    PURPLE,
    RED,
    AnyChart,
    Row,
    Spec,
    count_of,
    no_data,
    pick,
    row_places,
    sentence,
    styled,
)
from .formatting import NO_DATA, POLARITY_LABELS, as_number, display_value, polarity_label

MAP_HEIGHT = 380
# Conventional colours for categories the maps show; matched without regard to case.
CATEGORY_COLOURS = {
    "labour": RED,
    "conservative": BLUE,
    "liberal democrat": ORANGE,
    "liberal democrats": ORANGE,
    "green": GREEN,
    "independent": PURPLE,
    "residents": PURPLE,
    "no overall control": GREY,
    "inner": DARK_BLUE,
    "inner london": DARK_BLUE,
    "outer": LIGHT_BLUE,
    "outer london": LIGHT_BLUE,
    "not known": MID_GREY,
}
NOT_KNOWN = "Not known"
FIELD_TITLES = {"control": "Political control", "inner_outer": "Inner or outer London"}


def _boundaries(topojson_url: str, feature: str) -> alt.UrlData:
    return alt.UrlData(
        url=topojson_url, format=alt.TopoDataFormat(type="topojson", feature=feature)
    )


def _map_base(
    table: list[dict[str, Any]], fields: list[str], topojson_url: str, feature: str, id_field: str
) -> alt.Chart:
    """Boundaries joined to the table by code; `label` names each area, by its code if unnamed."""
    lookup = alt.LookupData(alt.InlineData(values=table), key="code", fields=fields)
    code = "datum." + id_field
    return (
        alt.Chart(_boundaries(topojson_url, feature))
        .transform_lookup(lookup=id_field, from_=lookup)
        .transform_calculate(label=f"isValid(datum.name) ? datum.name : {code}")
    )


def _no_value_layer(base: alt.Chart) -> alt.Chart:
    """Every area in grey: the areas without a value stay grey under the coloured layer."""
    layer: alt.Chart = (
        base.transform_calculate(shown=f"'{NO_DATA}'")
        .mark_geoshape(fill=MID_GREY, stroke="white", strokeWidth=0.75)
        .encode(
            tooltip=[alt.Tooltip("label:N", title="Area"), alt.Tooltip("shown:N", title="Value")]
        )
    )
    return layer


def _map_chart(*layers: alt.Chart) -> AnyChart:
    layered = alt.layer(*layers).project(type="mercator")
    chart: AnyChart = layered.properties(width="container", height=MAP_HEIGHT)
    return chart


def _choropleth_scale(polarity: str) -> alt.Scale:
    """Better is darker blue when the polarity is known; otherwise a neutral purple ramp."""
    if polarity in POLARITY_LABELS:
        return alt.Scale(scheme="blues", reverse=polarity == "lower")
    return alt.Scale(scheme="purples")


def _legend_title(unit: str, polarity: str) -> str:
    return sentence(unit or "Value", "(darker is better)" if polarity in POLARITY_LABELS else "")


def _choropleth_description(table: list[dict[str, Any]], polarity: str) -> str:
    present = sorted((r for r in table if r["value"] is not None), key=lambda r: r["value"])
    missing = len(table) - len(present)
    shading = (
        f"darker blue is better ({polarity_label(polarity).lower()})"
        if polarity in POLARITY_LABELS
        else "darker is higher (no polarity stated)"
    )
    return sentence(
        f"Map of {count_of(len(present), 'area')} shaded by value; {shading}.",
        f"Lowest {present[0]['name']} ({present[0]['display']}), highest {present[-1]['name']} "
        f"({present[-1]['display']})."
        if present
        else "",
        f"{missing} with no value shown grey." if missing else "",
    )


def choropleth(
    rows: Sequence[Row],
    *,
    topojson_url: str,
    feature: str = "boroughs",
    id_field: str = "properties.GSSCode",
    unit: str,
    polarity: str,
    title: str = "",
    decimals: int | None = None,
) -> Spec:
    """Areas shaded by value (rows: code, name, value), joined to the TopoJSON by code."""
    if not rows:
        return no_data(title, height=MAP_HEIGHT)
    polarity = (polarity or "").strip().lower()
    table = [pick(r, ("code", "name", "value")) for r in rows]
    places = row_places(decimals, table)
    for row in table:
        row["value"] = as_number(row["value"])
        row["display"] = display_value(row["value"], unit, places)
    base = _map_base(table, ["name", "value", "display"], topojson_url, feature, id_field)
    shaded = (
        base.transform_filter("isValid(datum.value)")
        .mark_geoshape(stroke="white", strokeWidth=0.75)
        .encode(
            color=alt.Color(
                "value:Q",
                scale=_choropleth_scale(polarity),
                legend=alt.Legend(
                    orient="bottom", title=_legend_title(unit, polarity), gradientLength=200
                ),
            ),
            tooltip=[alt.Tooltip("label:N", title="Area"), alt.Tooltip("display:N", title="Value")],
        )
    )
    description = sentence(f"{title}." if title else "", _choropleth_description(table, polarity))
    return styled(_map_chart(_no_value_layer(base), shaded), title, description)


def _category_colours(categories: list[str], colours: Mapping[str, str] | None) -> list[str]:
    chosen = {**CATEGORY_COLOURS, **{k.lower(): v for k, v in (colours or {}).items()}}
    known = [chosen.get(c.lower()) for c in categories]
    spare = iter([c for c in PALETTE if c not in known] + PALETTE * len(categories))
    return [colour or next(spare) for colour in known]


def _category(value: object) -> str:
    """The category's name; blank or punctuation alone (a source's '.' or '-') is not known."""
    text = str(value or "").strip()
    return text if any(ch.isalnum() for ch in text) else NOT_KNOWN


def members_map(
    rows: Sequence[Row],
    *,
    topojson_url: str,
    colour_field: str,
    title: str = "",
    colour_title: str | None = None,
    colours: Mapping[str, str] | None = None,
    feature: str = "boroughs",
    id_field: str = "properties.GSSCode",
    scale: Sequence[str] | None = None,
) -> Spec:
    """Areas coloured by a category (rows: code, name, url, `colour_field`); clicking an
    area opens its `url`. `scale` orders the legend and shows every category in it, even one
    no area has (an ordered scale such as star ratings reads wrongly with a step missing)."""
    if not rows:
        return no_data(title, height=MAP_HEIGHT)
    table = [
        {**pick(r, ("code", "name", "url")), "category": _category(r.get(colour_field))}
        for r in rows
    ]
    found = sorted({r["category"] for r in table}, key=lambda c: (c == NOT_KNOWN, c))
    categories = [*scale, *(c for c in found if c not in scale)] if scale else found
    legend_title = colour_title or FIELD_TITLES.get(
        colour_field, colour_field.replace("_", " ").capitalize()
    )
    base = _map_base(table, ["name", "category", "url"], topojson_url, feature, id_field)
    coloured = (
        base.transform_filter("isValid(datum.category)")
        .mark_geoshape(stroke="white", strokeWidth=0.75, cursor="pointer")
        .encode(
            color=alt.Color(
                "category:N",
                scale=alt.Scale(domain=categories, range=_category_colours(categories, colours)),
                legend=alt.Legend(orient="bottom", title=legend_title, columns=2),
            ),
            href="url:N",
            tooltip=[
                alt.Tooltip("label:N", title="Area"),
                alt.Tooltip("category:N", title=legend_title),
            ],
        )
    )
    counts = ", ".join(f"{c} {sum(r['category'] == c for r in table)}" for c in categories)
    description = sentence(
        f"{title}." if title else "",
        f"Map of {count_of(len(table), 'area')} by {legend_title.lower()}: {counts}.",
        "Select an area to open its page.",
    )
    return styled(_map_chart(_no_value_layer(base), coloured), title, description)
