"""The chart of spend by procurement category, a Vega-Lite spec built with Altair like the
site's others; the categories page puts its figures in a table beside it."""

from __future__ import annotations

import altair as alt
from altair.utils.schemapi import debug_mode

from ambition.web.charts import BAR_STEP, BLUE, GREY, Spec, no_data
from ambition.web.charts.common import count_of, sentence, styled

from .report import CategoryReport

MILLION = 1_000_000
KINDS = ["Buys something", "Passed on (grants)"]


def category_chart(result: CategoryReport, title: str) -> Spec:
    """A bar per category, its spend in £ million, largest first; money passed on (grants)
    in grey, since buying together cannot act on it."""
    rows = [
        {
            "name": c.name,
            "spend": float(c.amount) / MILLION,
            "kind": KINDS[0] if c.procurement else KINDS[1],
        }
        for c in result.categories
    ]
    if not rows:
        return no_data(title, height=80)
    with debug_mode(False):  # the spec is the same; the schema checks cost time per request
        chart = (
            alt.Chart(alt.InlineData(values=rows))
            .mark_bar()
            .encode(
                y=alt.Y("name:N", title=None, sort=None),
                x=alt.X("spend:Q", title="£ million"),
                color=alt.Color(
                    "kind:N",
                    scale=alt.Scale(domain=KINDS, range=[BLUE, GREY]),
                    legend=alt.Legend(title=None, orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("name:N", title="Category"),
                    alt.Tooltip("spend:Q", title="Spend (£m)", format=",.2f"),
                ],
            )
            .properties(width="container", height=BAR_STEP * len(rows))
        )
        description = sentence(
            f"Bar chart of spend in £ million for {count_of(len(rows), 'category', 'categories')},",
            f"largest first; {rows[0]['name']} is the largest, at £{rows[0]['spend']:,.1f}m.",
            "Money passed on as grants is in grey.",
        )
        return styled(chart, title, description)
