"""Charts of the efficiency programme, Vega-Lite specs built with Altair like the site's
others: each member's accepted NI 179 savings against its target, and the members'
savings by workstream and year. Every chart's figures are in a table on the same page."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from ambition.indicators.periods import year_label
from ambition.web.charts import BAR_STEP, BLACK, BLUE, Spec, no_data, stacked_parts
from ambition.web.charts.common import count_of, sentence, styled

from .progress import Summary, YearWorkstream

MILLION = 1_000_000


def against_target(members: Sequence[Summary], year: int) -> Spec:
    """A bar per member (accepted savings, £m) with a tick at its target."""
    title = f"Savings against target, {year_label(year)}"
    rows = [
        {
            "name": s.name,
            "accepted": float(s.accepted) / MILLION,
            "target": None if s.target is None else float(s.target) / MILLION,
        }
        for s in members
    ]
    if not any(r["accepted"] or r["target"] for r in rows):
        return no_data(title, height=80)
    base = alt.Chart(alt.InlineData(values=rows)).encode(y=alt.Y("name:N", title=None, sort=None))
    tooltip = [
        alt.Tooltip("name:N", title="Authority"),
        alt.Tooltip("accepted:Q", title="Accepted (£m)", format=",.2f"),
        alt.Tooltip("target:Q", title="Target (£m)", format=",.2f"),
    ]
    bars = base.mark_bar(color=BLUE).encode(
        x=alt.X("accepted:Q", title="£ million"), tooltip=tooltip
    )
    ticks = base.mark_tick(color=BLACK, thickness=2).encode(x="target:Q", tooltip=tooltip)
    chart = alt.layer(bars, ticks).properties(width="container", height=BAR_STEP * len(rows))
    met = sum(1 for s in members if s.met)
    description = sentence(
        f"Bar chart of accepted NI 179 savings in £ million for {count_of(len(rows), 'member')};",
        f"a black tick marks each one's target. {met} met their target.",
    )
    return styled(chart, title, description)


def by_workstream(rows: Sequence[YearWorkstream]) -> Spec:
    """The members' accepted savings (£m) by year, split by workstream."""
    parts = [
        {"label": year_label(r.year), "part": r.label, "value": float(r.accepted) / MILLION}
        for r in rows
    ]
    return stacked_parts(parts, title="Accepted savings by workstream", unit="£ million")
