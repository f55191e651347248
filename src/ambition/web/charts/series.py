"""Charts over time: the time series with its comparators, and the sparkline."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

import altair as alt

from .common import (
    BLUE,
    GREEN,
    GREY,
    PALETTE,
    RED,
    Row,
    Spec,
    count_of,
    no_data,
    pick,
    row_places,
    sentence,
    styled,
)
from .formatting import POLARITY_LABELS, as_number, display_value

COMPARATOR_COLOURS = {"London": "#6f777b", "England": GREY}
COMPARATOR_DASHES = {"London": [2, 3], "England": [6, 3]}
SOLID = [1, 0]
SPARK_WIDTH, SPARK_HEIGHT = 120, 30


def _series_points(rows: Sequence[Row], unit: str, decimals: int | None) -> list[dict[str, Any]]:
    points = [
        pick(r, ("series", "period", "start", "value", "lower", "upper"))
        for r in rows
        if r.get("start")
    ]
    places = row_places(decimals, points)
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
    description = sentence(
        f"{title}." if title else "",
        f"Line chart of {', '.join(names)}",
        f"over {count_of(len({p['period'] for p in points}), 'period')}.",
        "Shaded bands show the intervals the source gives." if banded else "",
    )
    return styled(chart, title, description)


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
    return json.dumps(styled(chart, "", ""))


def sparkline(
    rows: Sequence[Row], *, polarity: str, unit: str = "", decimals: int | None = None
) -> Spec:
    """A small line (rows: period, start, value) with the latest value marked: green if it
    improved on the one before, red if it got worse, blue otherwise. No axes."""
    points = [pick(r, ("period", "start", "value")) for r in rows if r.get("start")]
    present = [p for p in points if as_number(p["value"]) is not None]
    if not present:
        return no_data(width=SPARK_WIDTH, height=SPARK_HEIGHT, size=11)
    places = row_places(decimals, points)
    for p in points:
        p["value"] = as_number(p["value"])
        p["display"] = display_value(p["value"], unit, places)
        p["latest"] = p is present[-1]
    direction = _direction([float(p["value"]) for p in present], (polarity or "").strip().lower())
    description = sentence(
        f"Trend over {count_of(len(present), 'period')},",
        f"{present[0]['period']} to {present[-1]['period']}:",
        f"latest {present[-1]['display']}" + (f", {direction}." if direction else "."),
    )
    spec: Spec = json.loads(_sparkline_frame(SPARK_COLOURS.get(direction, BLUE)))
    spec.pop("datasets", None)
    spec["data"] = {"values": points}
    spec["description"] = description
    spec["usermeta"] = {"title": "", "description": description, "embedOptions": {"actions": False}}
    return spec
