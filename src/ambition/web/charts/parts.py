"""The stacked bar: what each row's total is made of, part by part (a proposal's score by
its parts, say), in a fixed order and colour per part."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from .bars import BAR_STEP
from .common import PALETTE, Row, Spec, count_of, no_data, sentence, styled
from .formatting import as_number


def stacked_parts(rows: Sequence[Row], *, title: str = "", unit: str = "") -> Spec:
    """Rows: `label` (the bar), `part`, `value` (at least 0). Bars keep the rows' order;
    parts stack in the order they first appear."""
    kept = [(str(r["label"]), str(r["part"]), as_number(r.get("value")) or 0.0) for r in rows]
    kept = [k for k in kept if k[2] >= 0]
    if not any(value for _, _, value in kept):
        return no_data(title)
    labels = list(dict.fromkeys(label for label, _, _ in kept))
    parts = list(dict.fromkeys(part for _, part, _ in kept))
    order = {p: i for i, p in enumerate(parts)}
    values: list[dict[str, Any]] = [
        {"label": label, "part": part, "value": value, "order": order[part]}
        for label, part, value in kept
    ]
    chart = (
        alt.Chart(alt.InlineData(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=labels, title=None),
            x=alt.X("sum(value):Q", title=unit or "Score"),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(domain=parts, range=PALETTE[: len(parts)]),
                legend=alt.Legend(title=None, orient="bottom", columns=3),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("value:Q", title="Adds", format=".2f"),
            ],
        )
        .properties(width="container", height=BAR_STEP * len(labels))
    )
    totals = dict.fromkeys(labels, 0.0)
    for label, _, value in kept:
        totals[label] += value
    best = max(totals, key=lambda k: totals[k])
    description = sentence(
        f"{title}." if title else "",
        f"{count_of(len(labels), 'bar')}, each split into {', '.join(parts)}.",
        f"The largest is {best}, at {totals[best]:.2f}.",
    )
    return styled(chart, title, description)
