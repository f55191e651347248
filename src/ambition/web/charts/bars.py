"""The ranked bar chart: authorities best first, one highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from .common import (
    BLACK,
    BLUE,
    ORANGE,
    Row,
    Spec,
    count_of,
    no_data,
    row_places,
    sentence,
    styled,
)
from .formatting import POLARITY_LABELS, as_number, display_value, polarity_label

BAR_STEP = 18


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
    return sentence(
        f"Bar chart of {count_of(len(ranked), 'authority', 'authorities')}, {order}.",
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
    places = row_places(decimals, ranked)
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
    description = sentence(
        f"{title}." if title else "",
        _ranked_description(ranked, len(rows) - len(present), polarity),
    )
    return styled(chart, title, description)
