"""A local area agreement target's chart, a Vega-Lite spec built with Altair like the site's
others: the authority's stored values of the indicator over time, the agreed baseline and
stretch target as level lines, the end of the target year, and, while the target is open,
the forecast for that day with its interval (orange, apart from the measured values)."""

from __future__ import annotations

from typing import Any

import altair as alt

from ambition.indicators.periods import year_label
from ambition.web.charts import BLACK, BLUE, GREEN, GREY, ORANGE, Spec, no_data
from ambition.web.charts.common import count_of, sentence, styled

from .agreements import TargetProgress, due

MEASURED, BASELINE, STRETCH, FORECAST = "Measured", "Baseline", "Stretch target", "Forecast"
DOMAIN, COLOURS = [MEASURED, BASELINE, STRETCH, FORECAST], [BLUE, GREY, GREEN, ORANGE]
HEIGHT = 220
# Years either side of the agreement that the chart shows: enough to see the trend.
CONTEXT_YEARS = 5


def _colour() -> alt.Color:
    scale = alt.Scale(domain=DOMAIN, range=COLOURS)
    return alt.Color("what:N", scale=scale, legend=alt.Legend(orient="bottom", title=None))


def _measured(row: TargetProgress) -> list[dict[str, Any]]:
    agreement = row.target.agreement
    # From before the agreement (or, for one beyond the data, before the latest value).
    newest = max((p.t for p in row.series), default=agreement.start_year)
    first = min(agreement.start_year, newest) - CONTEXT_YEARS
    last = agreement.end_year + 1 + CONTEXT_YEARS
    return [
        {"t": p.t, "value": p.value, "period": p.period, "what": MEASURED}
        for p in row.series
        if first <= p.t <= last
    ]


def _levels(row: TargetProgress) -> list[dict[str, Any]]:
    target = row.target
    return [
        {"value": float(target.baseline), "what": BASELINE, "period": target.baseline_period},
        {"value": float(target.stretch), "what": STRETCH, "period": str(target.target_year)},
    ]


def _forecast(row: TargetProgress) -> list[dict[str, Any]]:
    if row.forecast is None:
        return []
    return [
        {
            "t": due(row.target.target_year),
            "value": row.forecast,
            "lower": row.lower,
            "upper": row.upper,
            "what": FORECAST,
            "period": f"end of {year_label(row.target.target_year)}",
        }
    ]


def _description(row: TargetProgress, points: list[dict[str, Any]], title: str) -> str:
    target = row.target
    return sentence(
        f"{title}." if title else "",
        f"Line chart of {count_of(len(points), 'stored value')} of the indicator,",
        f"with the baseline {float(target.baseline):g} and the stretch target "
        f"{float(target.stretch):g} for {year_label(target.target_year)} as level lines.",
        _forecast_words(row),
    )


def _forecast_words(row: TargetProgress) -> str:
    if row.forecast is None or row.lower is None or row.upper is None:
        return ""
    return (
        f"Forecast for the end of the target year: {row.forecast:.3g}, between "
        f"{row.lower:.3g} and {row.upper:.3g}."
    )


def target_chart(row: TargetProgress, title: str = "") -> Spec:
    points = _measured(row)
    if not points:
        return no_data(title, height=80)
    x = alt.X("t:Q", title="Year", scale=alt.Scale(zero=False), axis=alt.Axis(format="d"))
    y = alt.Y("value:Q", title=row.target.indicator.unit or None, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("what:N", title="What"), alt.Tooltip("period:N", title="Period")]
    tooltip.append(alt.Tooltip("value:Q", title="Value", format=",.4~g"))
    colour = _colour()
    line = alt.Chart(alt.InlineData(values=points)).mark_line(point=True)
    layers: list[Any] = [
        alt.Chart(alt.InlineData(values=_levels(row)))
        .mark_rule(strokeDash=[6, 4], strokeWidth=1.5)
        .encode(y=y, color=colour, tooltip=tooltip),
        alt.Chart(alt.InlineData(values=[{"t": due(row.target.target_year)}]))
        .mark_rule(color=BLACK, strokeDash=[2, 2])
        .encode(x=x),
        line.encode(x=x, y=y, color=colour, tooltip=tooltip),
    ]
    ahead = _forecast(row)
    if ahead:
        band = alt.Chart(alt.InlineData(values=ahead))
        layers.append(band.mark_rule(color=ORANGE).encode(x=x, y="lower:Q", y2="upper:Q"))
        layers.append(
            band.mark_point(filled=False, size=70, strokeWidth=2).encode(
                x=x, y=y, color=colour, tooltip=tooltip
            )
        )
    chart = alt.layer(*layers).properties(width="container", height=HEIGHT)
    return styled(chart, title, _description(row, points, title))
