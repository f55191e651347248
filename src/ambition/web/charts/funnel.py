"""The funnel plot: each authority's value against its size, with the 95% and 99.8% control
limits around the group's average drawn as a funnel, and the points outside them marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from .common import (
    BLACK,
    BLUE,
    GREY,
    ORANGE,
    RED,
    AnyChart,
    Row,
    Spec,
    count_of,
    no_data,
    sentence,
    styled,
)
from .formatting import as_number, display_value, format_number

FLAG_ORDER = ["above 99.8%", "above 95%", "within", "below 95%", "below 99.8%"]
FLAG_COLOURS = [RED, ORANGE, BLUE, ORANGE, RED]
FLAG_SHAPES = ["triangle-up", "triangle-up", "circle", "triangle-down", "triangle-down"]
LIMITS = {"95% limits": ("lower95", "upper95"), "99.8% limits": ("lower998", "upper998")}
FUNNEL_HEIGHT = 380
LOG_RANGE = 10.0  # sizes spanning this factor or more get a log axis


def _points(rows: Sequence[Row], unit: str, places: int) -> list[dict[str, Any]]:
    return [
        {
            "code": r.get("code"),
            "name": str(r.get("name") or r.get("code")),
            "value": float(r["value"]),
            "size": float(r["size"]),
            "flag": str(r.get("flag") or "within"),
            "display": display_value(r["value"], unit, places),
            "size_display": format_number(r["size"], 0),
        }
        for r in rows
        if as_number(r.get("value")) is not None and (as_number(r.get("size")) or 0) > 0
    ]


def _limit_lines(curve: Sequence[Row]) -> list[dict[str, Any]]:
    """The curve's rows in long form: one row per size, limit and side."""
    return [
        {"size": float(r["size"]), "limit": limit, "side": side, "value": value}
        for r in curve
        for limit, columns in LIMITS.items()
        for side, column in zip(("lower", "upper"), columns, strict=True)
        if (value := as_number(r.get(column))) is not None
    ]


def _x(points: list[dict[str, Any]], size_label: str) -> alt.X:
    sizes = [p["size"] for p in points]
    wide = max(sizes) >= LOG_RANGE * min(sizes)
    scale = alt.Scale(type="log") if wide else alt.Scale(zero=False)
    return alt.X("size:Q", title=size_label, scale=scale, axis=alt.Axis(format="~s"))


def _layers(
    points: list[dict[str, Any]], lines: list[dict[str, Any]], centre: float, x: alt.X, unit: str
) -> AnyChart:
    y = alt.Y("value:Q", title=unit or "Value", scale=alt.Scale(zero=False))
    limits = (
        alt.Chart(alt.InlineData(values=lines))
        .mark_line(color=GREY, strokeWidth=1.25, clip=True)
        .encode(
            x=x,
            y=y,
            detail="side:N",
            strokeDash=alt.StrokeDash(
                "limit:N",
                title="Control limits",
                scale=alt.Scale(domain=list(LIMITS), range=[[6, 4], [1, 0]]),
            ),
        )
    )
    average = (
        alt.Chart(alt.InlineData(values=[{"centre": centre}]))
        .mark_rule(color=BLACK, strokeWidth=2)
        .encode(y="centre:Q")
    )
    flag = alt.Scale(domain=FLAG_ORDER, range=FLAG_COLOURS)
    shape = alt.Scale(domain=FLAG_ORDER, range=FLAG_SHAPES)
    dots = (
        alt.Chart(alt.InlineData(values=points))
        .mark_point(filled=True, size=70, opacity=0.9)
        .encode(
            x=x,
            y=y,
            color=alt.Color("flag:N", title="Against the limits", scale=flag),
            shape=alt.Shape("flag:N", title="Against the limits", scale=shape),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip("display:N", title="Value"),
                alt.Tooltip("size_display:N", title="Size"),
                alt.Tooltip("flag:N", title="Against the limits"),
            ],
        )
    )
    return alt.layer(limits, average, dots)


def _description(points: list[dict[str, Any]], centre: str, size_label: str) -> str:
    outside = [p["name"] for p in points if p["flag"] != "within"]
    named = ", ".join(outside[:10]) + (" and others" if len(outside) > 10 else "")
    return sentence(
        f"Funnel plot of {count_of(len(points), 'authority', 'authorities')}: value against "
        f"{size_label.lower()}, with 95% and 99.8% control limits around the average of {centre}.",
        f"Outside the 95% limits: {named}." if outside else "Every point is within the limits.",
    )


def funnel_plot(
    points: Sequence[Row],
    curve: Sequence[Row],
    *,
    centre: float,
    unit: str,
    size_label: str,
    title: str = "",
    decimals: int = 1,
) -> Spec:
    """Points (code, name, value, size, flag) over the limit curve (size, lower998, lower95,
    upper95, upper998) around `centre`; `flag` is where a point falls (see FLAG_ORDER)."""
    shown = _points(points, unit, decimals)
    if not shown or as_number(centre) is None:
        return no_data(title)
    chart = _layers(shown, _limit_lines(curve), centre, _x(shown, size_label), unit)
    chart = chart.properties(width="container", height=FUNNEL_HEIGHT)
    average = display_value(centre, unit, decimals)
    description = sentence(f"{title}." if title else "", _description(shown, average, size_label))
    return styled(chart, title, description)
