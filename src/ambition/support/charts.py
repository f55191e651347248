"""Charts of peer support: an indicator either side of a review, and the ledger's give
and take per member. Vega-Lite specs built with Altair, styled like the site's others."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import altair as alt

from ambition.web.charts import BLUE, GREY, ORANGE, Spec, display_value, no_data
from ambition.web.charts.common import count_of, sentence, styled

from .outcomes import BeforeAfter


def review_indicator(row: BeforeAfter, arrived: datetime.date | None) -> Spec:
    """The authority's series with a rule on the day the review team arrived."""
    unit = row.indicator.unit
    points = [
        {
            "period": p.period,
            "end": p.end.isoformat(),
            "value": p.value,
            "display": display_value(p.value, unit, row.indicator.decimal_places),
        }
        for p in row.series
    ]
    if not points:
        return no_data(row.indicator.name, height=80)
    tooltip = [alt.Tooltip("period:N", title="Period"), alt.Tooltip("display:N", title="Value")]
    line = (
        alt.Chart(alt.InlineData(values=points))
        .mark_line(point=True, color=BLUE)
        .encode(
            x=alt.X("end:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value:Q", title=unit or "Value", scale=alt.Scale(zero=False)),
            tooltip=tooltip,
        )
    )
    layers: list[Any] = [line]
    if arrived is not None:
        mark = [{"day": arrived.isoformat(), "label": "Peer review"}]
        rule = (
            alt.Chart(alt.InlineData(values=mark))
            .mark_rule(color=ORANGE, strokeDash=[4, 3], strokeWidth=2)
            .encode(x="day:T")
        )
        text = (
            alt.Chart(alt.InlineData(values=mark))
            .mark_text(align="left", dx=4, dy=-4, baseline="top", color=GREY, y=0)
            .encode(x="day:T", text="label:N")
        )
        layers += [rule, text]
    chart = alt.layer(*layers).properties(width="container", height=160)
    description = sentence(
        f"{row.indicator.name}: {count_of(len(points), 'period')},",
        f"{points[0]['period']} to {points[-1]['period']}.",
        f"The dashed line marks the peer review on {arrived.isoformat()}." if arrived else "",
    )
    return styled(chart, row.indicator.name, description)


def give_and_take(rows: Sequence[dict[str, Any]], unit: str, mean: tuple[float, float]) -> Spec:
    """Per member, what it gave (right) and took (left, negative), with the partnership's
    mean of each as rules. rows: name, gave, took."""
    if not any(r["gave"] or r["took"] for r in rows):
        return no_data("Gave and took", height=80)
    values = [
        {"name": r["name"], "side": side, "amount": float(r[side]) * sign}
        for r in rows
        for side, sign in (("gave", 1), ("took", -1))
    ]
    bars = (
        alt.Chart(alt.InlineData(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None, sort=None),
            x=alt.X("amount:Q", title=f"Took (left) and gave (right), {unit}"),
            color=alt.Color(
                "side:N",
                scale=alt.Scale(domain=["gave", "took"], range=[BLUE, ORANGE]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("name:N", title="Member"),
                alt.Tooltip("side:N", title=""),
                alt.Tooltip("amount:Q", title=unit, format=",.1f"),
            ],
        )
    )
    means = [{"amount": mean[0], "what": "mean gave"}, {"amount": -mean[1], "what": "mean took"}]
    rules = (
        alt.Chart(alt.InlineData(values=means))
        .mark_rule(color=GREY, strokeDash=[4, 3])
        .encode(
            x="amount:Q",
            tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("amount:Q", format=",.1f")],
        )
    )
    chart = alt.layer(bars, rules).properties(width="container", height=14 * len(rows) + 40)
    description = sentence(
        f"Bar chart of what each of {count_of(len(rows), 'member')} gave and took, in {unit};",
        "dashed lines mark the partnership's means.",
    )
    return styled(chart, "Gave and took", description)
