"""A target's trajectory: its value at each assessment date, the goal, and a forecast of the
next value drawn apart from the measured ones (dashed, hollow), so no one mistakes it for one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from .common import BLUE, GREEN, ORANGE, Row, Spec, count_of, no_data, pick, sentence, styled
from .formatting import as_number

MEASURED, FORECAST, GOAL = "Measured", "Forecast (straight line)", "Goal"
TRAJECTORY_HEIGHT = 220


def _share(value: object) -> str:
    number = as_number(value)
    return "No data" if number is None else f"{number:.0%}"


def _points(rows: Sequence[Row]) -> list[dict[str, Any]]:
    points = []
    for r in rows:
        point = pick(r, ("as_of", "value"))
        point["value"] = as_number(point["value"])
        point["series"] = FORECAST if r.get("forecast") else MEASURED
        point["display"] = _share(point["value"])
        points.append(point)
    return [p for p in points if p["as_of"] and p["value"] is not None]


def _joined(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The last measured point again, as the forecast line's start, so the dash joins on."""
    measured = [p for p in points if p["series"] == MEASURED]
    forecast = [p for p in points if p["series"] == FORECAST]
    if not (measured and forecast):
        return points
    return [*points, {**measured[-1], "series": FORECAST}]


def _description(points: list[dict[str, Any]], goal: float, title: str) -> str:
    measured = [p for p in points if p["series"] == MEASURED]
    forecast = [p for p in points if p["series"] == FORECAST]
    first, last = measured[0], measured[-1]
    return sentence(
        f"{title}." if title else "",
        f"Line chart of the value at {count_of(len(measured), 'assessment date')},",
        f"{first['as_of']} to {last['as_of']}: latest {last['display']} against a goal of "
        f"{_share(goal)}.",
        f"Straight-line forecast for {forecast[0]['as_of']}: {forecast[0]['display']}."
        if forecast
        else "Too few dates for a forecast.",
    )


def target_trajectory(rows: Sequence[Row], *, goal: float, title: str = "") -> Spec:
    """A share (0-1) over assessment dates (rows: as_of, value, forecast: bool), with the
    goal as a horizontal rule and the forecast dashed and hollow."""
    points = _points(rows)
    if not any(p["series"] == MEASURED for p in points):
        return no_data(title, height=80)
    domain, colours = [MEASURED, FORECAST, GOAL], [BLUE, ORANGE, GREEN]
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=domain, range=colours),
        legend=alt.Legend(orient="bottom", title=None, symbolType="stroke"),
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=domain, range=[[1, 0], [6, 4], [2, 2]]),
        legend=None,
    )
    # Ticks at the assessment dates themselves: a run as of 31 December 2019 is 2019's.
    dates = sorted({str(p["as_of"]) for p in points})
    axis = alt.Axis(values=dates, format="%b %Y", labelAngle=0, labelOverlap="greedy")
    x = alt.X("as_of:T", title="As of", axis=axis, scale=alt.Scale(padding=12))
    y = alt.Y("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
    tooltip = [
        alt.Tooltip("series:N", title="What"),
        alt.Tooltip("as_of:T", title="As of", format="%d %b %Y"),
        alt.Tooltip("display:N", title="Value"),
    ]
    lines = (
        alt.Chart(alt.InlineData(values=_joined(points)))
        .mark_line()
        .encode(x=x, y=y, color=colour, strokeDash=dash, tooltip=tooltip)
    )
    # Measured points filled, the forecast hollow.
    dots = (
        alt.Chart(alt.InlineData(values=points))
        .mark_point(size=60, strokeWidth=2, opacity=1)
        .encode(
            x=x,
            y=y,
            color=colour,
            fill=alt.condition(
                f"datum.series == '{MEASURED}'", alt.value(BLUE), alt.value("white")
            ),
            tooltip=tooltip,
        )
    )
    rule = (
        alt.Chart(alt.InlineData(values=[{"goal": goal, "series": GOAL, "display": _share(goal)}]))
        .mark_rule(strokeWidth=1.5)
        .encode(
            y="goal:Q",
            color=colour,
            strokeDash=dash,
            tooltip=[alt.Tooltip("series:N", title="What"), alt.Tooltip("display:N", title="Goal")],
        )
    )
    chart = alt.layer(rule, lines, dots).properties(width="container", height=TRAJECTORY_HEIGHT)
    return styled(chart, title, _description(points, goal, title))
