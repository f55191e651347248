"""Vega-Lite chart specs for the pages, built with Altair and drawn in the browser by
web/static/web/charts.js (vega-embed); the same dicts render to SVG or PNG for print.

Every function takes plain rows (dicts), returns a spec dict with its data inline, and copes
with no rows and with missing values. Each spec carries a `description`, which Vega gives the
drawn SVG as its accessible name, and `usermeta` with the title and description. Titles are
not drawn: the page's figure caption shows them (web/includes/chart.html).

Specs are not validated against the Vega-Lite schema here, since pages build dozens of
sparklines; the tests validate every kind.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import altair as alt

Spec = dict[str, Any]
Row = Mapping[str, Any]
AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart

BLACK = "#0b0c0c"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
MID_GREY = "#b1b4b6"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
PINK = "#d53880"
TURQUOISE = "#28a197"
BROWN = "#b58840"
LIGHT_BLUE = "#5694ca"
PALETTE = [BLUE, ORANGE, GREEN, PURPLE, PINK, TURQUOISE, BROWN, RED, DARK_BLUE]
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", arial, sans-serif'

NO_DATA = "No data"
COMPARATOR_COLOURS = {"London": "#6f777b", "England": GREY}
COMPARATOR_DASHES = {"London": [2, 3], "England": [6, 3]}
SOLID = [1, 0]
MAP_HEIGHT = 380
BAR_STEP = 18
SPARK_WIDTH, SPARK_HEIGHT = 120, 30
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
POLARITY_LABELS = {"higher": "Higher is better", "lower": "Lower is better"}
NO_POLARITY_LABEL = "Not stated by the source"
PERCENT_UNITS = {"%", "percent", "percentage", "per cent"}
BARE_UNITS = {"", "number", "count", "no.", "n", "score", "index", "ratio"}
MONEY_SUFFIXES = {"k", "m", "bn"}


# Values for display: shared with the template filters (templatetags/ambition.py).


def as_number(value: object) -> float | None:
    """A finite float, or None for a missing, non-numeric or non-finite value."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def format_number(value: object, places: int = -1) -> str | None:
    """Thousands separators and `places` decimals, halves rounded up as in published
    statistics; a negative `places` shows up to that many decimals only when the value is not
    whole (as Django's floatformat). None: no value."""
    if as_number(value) is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(str(value))))
    digits = abs(places)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if places < 0 and rounded == rounded.to_integral_value():
        rounded, digits = rounded.quantize(Decimal(1)), 0
    text = f"{rounded:,.{digits}f}"
    return text[1:] if text.startswith("-") and rounded.is_zero() else text


def format_with_unit(text: str, unit: str | None) -> str:
    """'12.3' and '%' -> '12.3%'; '£' -> '£12.3'; '£m' -> '£12.3m'; 'days' -> '12.3 days'."""
    unit = (unit or "").strip()
    if unit.lower() in BARE_UNITS:
        return text
    if unit.lower() in PERCENT_UNITS:
        return f"{text}%"
    if unit.startswith("£"):
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        rest = unit[1:].strip()
        joiner = "" if not rest or rest.lower() in MONEY_SUFFIXES else " "
        return f"{sign}£{digits}{joiner}{rest}"
    return f"{text} {unit}"


def display_value(value: object, unit: str | None, places: int = 1) -> str:
    text = format_number(value, places)
    return NO_DATA if text is None else format_with_unit(text, unit)


def places_for(values: Iterable[object], significant: int = 3) -> int:
    """Decimals enough to show the largest value to `significant` figures, but no more than
    the values have (at most 3): for charts not told an indicator's decimal places."""
    numbers = [n for n in map(as_number, values) if n is not None]
    largest = max((abs(n) for n in numbers), default=0.0)
    if largest == 0:
        return 0
    wanted = significant - 1 - math.floor(math.log10(largest))
    held = max(_decimals_held(n) for n in numbers)
    return max(0, min(3, wanted, held))


def _decimals_held(number: float) -> int:
    exponent = Decimal(repr(number)).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _places(decimals: int | None, rows: Iterable[Row]) -> int:
    return places_for(r.get("value") for r in rows) if decimals is None else decimals


def polarity_label(polarity: str | None) -> str:
    return POLARITY_LABELS.get((polarity or "").strip().lower(), NO_POLARITY_LABEL)


# Shared pieces.


def _plain(value: object) -> object:
    """JSON-ready: Decimal to float, dates to ISO 8601, non-finite numbers to None."""
    if isinstance(value, Decimal | float):
        return as_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _pick(row: Row, fields: Iterable[str]) -> dict[str, Any]:
    return {field: _plain(row.get(field)) for field in fields}


def _count(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _sentence(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def _styled(chart: AnyChart, title: str, description: str) -> Spec:
    described: AnyChart = chart.properties(
        description=description, usermeta={"title": title, "description": description}
    )
    styled = (
        described.configure(font=FONT)
        .configure_axis(labelColor=BLACK, titleColor=BLACK, labelFontSize=12, titleFontSize=13)
        .configure_legend(labelColor=BLACK, titleColor=BLACK, labelFontSize=12, titleFontSize=13)
        .configure_view(stroke=None)
    )
    spec: Spec = styled.to_dict(validate=False)
    return spec


def no_data(
    title: str = "",
    *,
    width: int | Literal["container"] = "container",
    height: int = 60,
    size: int = 16,
) -> Spec:
    """A chart that says "No data", so a page can always draw what it was given."""
    chart = (
        alt.Chart(alt.InlineData(values=[{"text": NO_DATA}]), width=width, height=height)
        .mark_text(align="left", baseline="top", color=GREY, fontSize=size)
        .encode(text="text:N")
    )
    spec = _styled(chart, title, _sentence(f"{title}:" if title else "", "No data."))
    spec["usermeta"]["embedOptions"] = {"actions": False}
    return spec


# Ranked bar.


def _ranked(rows: Sequence[Row], polarity: str, highlight: str | None) -> list[dict[str, Any]]:
    sign = 1 if polarity == "lower" else -1
    ordered = sorted(rows, key=lambda r: (sign * float(r["value"]), str(r.get("name") or "")))
    names = [str(r.get("name") or r.get("code")) for r in ordered]
    return [
        {
            "code": r.get("code"),
            "name": name if names.count(name) == 1 else f"{name} ({r.get('code')})",
            "value": float(r["value"]),
            "rank": rank,
            "of": f"{rank} of {len(ordered)}",
            "highlighted": bool(highlight) and r.get("code") == highlight,
        }
        for rank, (r, name) in enumerate(zip(ordered, names, strict=True), start=1)
    ]


def _ranked_description(ranked: list[dict[str, Any]], missing: int, polarity: str) -> str:
    order = (
        f"best first ({polarity_label(polarity).lower()})"
        if polarity in POLARITY_LABELS
        else "no polarity: ordered by value, highest first"
    )
    chosen = [r["name"] for r in ranked if r["highlighted"]]
    return _sentence(
        f"Bar chart of {_count(len(ranked), 'authority', 'authorities')}, {order}.",
        f"{missing} with no value not shown." if missing else "",
        f"{chosen[0]} is highlighted." if chosen else "",
    )


def ranked_bar(
    rows: Sequence[Row],
    *,
    unit: str,
    polarity: str,
    highlight: str | None = None,
    title: str = "",
    decimals: int | None = None,
) -> Spec:
    """Authorities ranked best first (rows: code, name, value); `highlight` is a code."""
    present = [r for r in rows if as_number(r.get("value")) is not None]
    if not present:
        return no_data(title)
    polarity = (polarity or "").strip().lower()
    ranked = _ranked(present, polarity, highlight)
    places = _places(decimals, ranked)
    for row in ranked:
        row["display"] = display_value(row["value"], unit, places)
    base = alt.Chart(alt.InlineData(values=ranked)).encode(
        y=alt.Y(
            "name:N", sort=alt.EncodingSortField("rank", op="min", order="ascending"), title=None
        ),
        x=alt.X("value:Q", title=unit or "Value"),
        tooltip=[
            alt.Tooltip("name:N", title="Authority"),
            alt.Tooltip("display:N", title="Value"),
            alt.Tooltip("of:N", title="Rank"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.highlighted", alt.value(ORANGE), alt.value(BLUE))
    )
    labels = base.mark_text(align="left", dx=3, color=BLACK, fontSize=11).encode(text="display:N")
    # A height in pixels, not a step: a step with a container width makes Vega-Lite warn.
    chart = alt.layer(bars, labels).properties(width="container", height=BAR_STEP * len(ranked))
    description = _sentence(
        f"{title}." if title else "",
        _ranked_description(ranked, len(rows) - len(present), polarity),
    )
    return _styled(chart, title, description)


# Maps.


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
    return _sentence(unit or "Value", "(darker is better)" if polarity in POLARITY_LABELS else "")


def _choropleth_description(table: list[dict[str, Any]], polarity: str) -> str:
    present = sorted((r for r in table if r["value"] is not None), key=lambda r: r["value"])
    missing = len(table) - len(present)
    shading = (
        f"darker blue is better ({polarity_label(polarity).lower()})"
        if polarity in POLARITY_LABELS
        else "darker is higher (no polarity stated)"
    )
    return _sentence(
        f"Map of {_count(len(present), 'area')} shaded by value; {shading}.",
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
    table = [_pick(r, ("code", "name", "value")) for r in rows]
    places = _places(decimals, table)
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
    description = _sentence(f"{title}." if title else "", _choropleth_description(table, polarity))
    return _styled(_map_chart(_no_value_layer(base), shaded), title, description)


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
) -> Spec:
    """Areas coloured by a category (rows: code, name, url, `colour_field`); clicking an
    area opens its `url`."""
    if not rows:
        return no_data(title, height=MAP_HEIGHT)
    table = [
        {**_pick(r, ("code", "name", "url")), "category": _category(r.get(colour_field))}
        for r in rows
    ]
    categories = sorted({r["category"] for r in table}, key=lambda c: (c == NOT_KNOWN, c))
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
    description = _sentence(
        f"{title}." if title else "",
        f"Map of {_count(len(table), 'area')} by {legend_title.lower()}: {counts}.",
        "Select an area to open its page.",
    )
    return _styled(_map_chart(_no_value_layer(base), coloured), title, description)


# Time series and sparklines.


def _series_points(rows: Sequence[Row], unit: str, decimals: int | None) -> list[dict[str, Any]]:
    points = [
        _pick(r, ("series", "period", "start", "value", "lower", "upper"))
        for r in rows
        if r.get("start")
    ]
    places = _places(decimals, points)
    for p in points:
        p["value"], p["lower"], p["upper"] = (as_number(p[k]) for k in ("value", "lower", "upper"))
        p["display"] = display_value(p["value"], unit, places)
        has_interval = p["lower"] is not None and p["upper"] is not None
        low, high = (display_value(p[k], unit, places) for k in ("lower", "upper"))
        p["interval"] = f"{low} to {high}" if has_interval else "None given"
    return points


def _series_order(points: list[dict[str, Any]]) -> list[str]:
    """Authorities first, in the order they came; then the comparators."""
    names = list(dict.fromkeys(str(p["series"]) for p in points))
    return [n for n in names if n not in COMPARATOR_COLOURS] + [
        n for n in COMPARATOR_COLOURS if n in names
    ]


def _series_scales(names: list[str]) -> tuple[alt.Scale, alt.Scale]:
    palette = iter(PALETTE * (len(names) // len(PALETTE) + 1))
    colours = [COMPARATOR_COLOURS.get(n) or next(palette) for n in names]
    dashes = [COMPARATOR_DASHES.get(n, SOLID) for n in names]
    return alt.Scale(domain=names, range=colours), alt.Scale(domain=names, range=dashes)


# Colour and dash share one legend, so a comparator's key is a grey dashed line.
SERIES_LEGEND = alt.Legend(
    orient="bottom",
    title=None,
    symbolType="stroke",
    symbolStrokeWidth=2.5,
    symbolSize=400,
    symbolOpacity=1,
)


def _band_layer(y_title: str) -> alt.Chart:
    band: alt.Chart = (
        alt.Chart()
        .mark_area(opacity=0.15, invalid="break-paths-show-domains")
        .encode(
            x="start:T",
            y=alt.Y("lower:Q", title=y_title),
            y2="upper:Q",
            color=alt.Color("series:N", legend=SERIES_LEGEND),
        )
    )
    return band


def time_series(
    rows: Sequence[Row], *, unit: str, title: str = "", decimals: int | None = None
) -> Spec:
    """Lines with points per series (rows: series, period, start, value, lower, upper); a band
    from lower to upper where the source gives intervals; London and England dashed grey."""
    points = _series_points(rows, unit, decimals)
    if not any(p["value"] is not None for p in points):
        return no_data(title, height=80)
    names = _series_order(points)
    colour, dash = _series_scales(names)
    y_title = unit or "Value"
    tooltip = [
        alt.Tooltip("series:N", title="Series"),
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("display:N", title="Value"),
    ]
    banded = any(p["lower"] is not None and p["upper"] is not None for p in points)
    if banded:
        tooltip.append(alt.Tooltip("interval:N", title="Interval"))
    lines = (
        alt.Chart()
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", scale=colour, legend=SERIES_LEGEND),
            strokeDash=alt.StrokeDash("series:N", scale=dash, legend=SERIES_LEGEND),
            tooltip=tooltip,
        )
    )
    layers = [_band_layer(y_title), lines] if banded else [lines]
    chart = alt.layer(*layers, data=alt.InlineData(values=points)).properties(
        width="container", height=300
    )
    description = _sentence(
        f"{title}." if title else "",
        f"Line chart of {', '.join(names)}",
        f"over {_count(len({p['period'] for p in points}), 'period')}.",
        "Shaded bands show the intervals the source gives." if banded else "",
    )
    return _styled(chart, title, description)


def _direction(values: list[float], polarity: str) -> str:
    if len(values) < 2 or values[-1] == values[-2]:
        return "no change" if len(values) >= 2 else ""
    rising = values[-1] > values[-2]
    if polarity not in POLARITY_LABELS:
        return "up" if rising else "down"
    return "improving" if rising == (polarity == "higher") else "getting worse"


SPARK_COLOURS = {"improving": GREEN, "getting worse": RED}


@functools.cache
def _sparkline_frame(colour: str) -> str:
    """The sparkline spec without its data, as JSON: a page draws dozens of sparklines, and
    building each with Altair would take longer than the rest of the page."""
    x, y = alt.X("start:T", axis=None), alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("period:N", title="Period"), alt.Tooltip("display:N", title="Value")]
    line = alt.Chart().mark_line(color=GREY, strokeWidth=1.5, invalid="break-paths-show-domains")
    latest = (
        alt.Chart().transform_filter("datum.latest").mark_circle(size=30, opacity=1, color=colour)
    )
    chart = alt.layer(
        line.encode(x=x, y=y, tooltip=tooltip),
        latest.encode(x=x, y=y, tooltip=tooltip),
        data=alt.InlineData(values=[]),
    ).properties(width=SPARK_WIDTH, height=SPARK_HEIGHT, padding=3)
    return json.dumps(_styled(chart, "", ""))


def sparkline(
    rows: Sequence[Row], *, polarity: str, unit: str = "", decimals: int | None = None
) -> Spec:
    """A small line (rows: period, start, value) with the latest value marked: green if it
    improved on the one before, red if it got worse, blue otherwise. No axes."""
    points = [_pick(r, ("period", "start", "value")) for r in rows if r.get("start")]
    present = [p for p in points if as_number(p["value"]) is not None]
    if not present:
        return no_data(width=SPARK_WIDTH, height=SPARK_HEIGHT, size=11)
    places = _places(decimals, points)
    for p in points:
        p["value"] = as_number(p["value"])
        p["display"] = display_value(p["value"], unit, places)
        p["latest"] = p is present[-1]
    direction = _direction([float(p["value"]) for p in present], (polarity or "").strip().lower())
    description = _sentence(
        f"Trend over {_count(len(present), 'period')},",
        f"{present[0]['period']} to {present[-1]['period']}:",
        f"latest {present[-1]['display']}" + (f", {direction}." if direction else "."),
    )
    spec: Spec = json.loads(_sparkline_frame(SPARK_COLOURS.get(direction, BLUE)))
    spec.pop("datasets", None)
    spec["data"] = {"values": points}
    spec["description"] = description
    spec["usermeta"] = {"title": "", "description": description, "embedOptions": {"actions": False}}
    return spec
