"""Charts of where councils could buy together, Vega-Lite specs built with Altair like the
site's others; every chart's figures are in a table on the same page."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from ambition.web.charts import BAR_STEP, BLUE, Spec, no_data
from ambition.web.charts.common import GREEN, count_of, sentence, styled

from .opportunities import Line, Share

MILLION = 1_000_000
LABEL_LIMIT = 280  # pixels of a category or authority name before it is cut


def category_spend(lines: Sequence[Line], title: str) -> Spec:
    """A bar per category: its combined spend (£m), the estimated saving within it."""
    rows = [
        {
            "name": line.name,
            "spend": float(line.amount) / MILLION,
            "saving": float(line.saving) / MILLION if line.saving is not None else 0.0,
            "authorities": line.authorities,
        }
        for line in lines
        if line.amount > 0
    ]
    if not rows:
        return no_data(title, height=80)
    base = alt.Chart(alt.InlineData(values=rows)).encode(
        y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    )
    tooltip = [
        alt.Tooltip("name:N", title="Category"),
        alt.Tooltip("spend:Q", title="Combined spend (£m)", format=",.2f"),
        alt.Tooltip("saving:Q", title="Estimated saving (£m)", format=",.2f"),
        alt.Tooltip("authorities:Q", title="Authorities"),
    ]
    spend = base.mark_bar(color=BLUE).encode(x=alt.X("spend:Q", title="£ million"), tooltip=tooltip)
    saving = base.mark_bar(color=GREEN, height=8).encode(x="saving:Q", tooltip=tooltip)
    chart = alt.layer(spend, saving).properties(width="container", height=BAR_STEP * len(rows))
    saved = sum(1 for r in rows if r["saving"])
    description = sentence(
        "Bar chart of combined procurement spend in £ million for",
        f"{count_of(len(rows), 'category', 'categories')},",
        "largest first; a thin green bar inside marks the estimated saving from buying together",
        f"where the office has set a rate ({saved} of them).",
    )
    return styled(chart, title, description)


def authority_spend(shares: Sequence[Share], title: str) -> Spec:
    """A bar per authority: its part of the spend (£m)."""
    rows = [
        {"name": s.name, "spend": float(s.amount) / MILLION, "share": s.share * 100} for s in shares
    ]
    if not any(r["spend"] for r in rows):
        return no_data(title, height=80)
    chart = (
        alt.Chart(alt.InlineData(values=rows))
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("spend:Q", title="£ million"),
            tooltip=[
                alt.Tooltip("name:N", title="Authority"),
                alt.Tooltip("spend:Q", title="Spend (£m)", format=",.3f"),
                alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
            ],
        )
        .properties(width="container", height=BAR_STEP * len(rows))
    )
    description = sentence(
        f"Bar chart of spend in £ million for {count_of(len(rows), 'authority', 'authorities')},",
        "largest first.",
    )
    return styled(chart, title, description)
