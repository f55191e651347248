"""The pack's charts: Vega-Lite specs built in Python (Altair), drawn to SVG on the server
by vl-convert, so that the page and the PDF show the same vector drawing with no script."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert

from ambition.web import charts

WIDTH = 420  # pixels: fits half an A4 page's text width beside its label column
BAR_HEIGHT = 16
YOU, AVERAGE = "This member", "Partnership average"


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: str

    @property
    def data_uri(self) -> str:
        """As an <img> source: CSP allows data: images, and WeasyPrint draws the SVG as
        vectors, not pixels."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def drawn(spec: dict[str, Any], title: str) -> Chart:
    return Chart(title, str(spec.get("description", title)), vl_convert.vegalite_to_svg(spec))


def styled(chart: alt.Chart | alt.FacetChart | alt.LayerChart, description: str) -> dict[str, Any]:
    configured = (
        chart.properties(description=description)
        .configure(font="Liberation Sans, Arial, Helvetica, sans-serif")
        .configure_axis(labelColor=charts.BLACK, titleColor=charts.BLACK, labelFontSize=11)
        .configure_header(labelFontSize=12, labelColor=charts.BLACK, labelFontWeight="bold")
        .configure_legend(labelColor=charts.BLACK, titleColor=charts.BLACK, labelFontSize=11)
        .configure_view(stroke=None)
    )
    spec: dict[str, Any] = configured.to_dict(validate=False)
    return spec


def give_take_spec(rows: Sequence[dict[str, Any]], name: str) -> dict[str, Any]:
    """Rows: kind (its label and unit), what ("Gave"/"Took"), who, value. One panel per
    kind, each on its own scale since days, pounds and items do not share one. Kept lean
    (no grid, few ticks): the PDF draws every SVG node, and its time grows with them."""
    values = [{**r, "value": float(r["value"])} for r in rows]
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    base = alt.Chart(width=WIDTH, height=alt.Step(BAR_HEIGHT)).encode(
        y=alt.Y("what:N", title=None, sort=["Gave", "Took"]),
        yOffset=alt.YOffset("who:N", sort=[name, AVERAGE]),
        x=alt.X("value:Q", title=None, axis=alt.Axis(grid=False, tickCount=3)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "who:N",
            scale=alt.Scale(domain=[name, AVERAGE], range=[charts.ORANGE, charts.BLUE]),
            legend=alt.Legend(title=None, orient="top"),
        )
    )
    labels = base.mark_text(align="left", dx=3, fontSize=10, color=charts.BLACK).encode(
        text=alt.Text("value:Q", format=",.1~f")
    )
    header = alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelAlign="left")
    faceted = (
        alt.layer(bars, labels, data=alt.InlineData(values=values))
        .facet(row=alt.Row("kind:N", title=None, sort=kinds, header=header))
        .resolve_scale(x="independent")
    )
    return styled(
        faceted,
        f"Bar charts of what {name} gave and took, beside the partnership's average, "
        f"for {len(kinds)} kinds: {', '.join(kinds)}.",
    )


def balance_spec(rows: Sequence[dict[str, Any]], unit: str) -> dict[str, Any]:
    """Rows: name, balance. One bar per member, highest balance first, coloured by sign."""
    values = [{"name": r["name"], "balance": float(r["balance"])} for r in rows]
    chart = (
        alt.Chart(alt.InlineData(values=values), width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort="-x", title=None),
            x=alt.X(
                "balance:Q",
                title=f"Balance (gave minus took), {unit}",
                axis=alt.Axis(grid=False, tickCount=5),
            ),
            color=alt.condition(
                alt.datum.balance < 0, alt.value(charts.RED), alt.value(charts.GREEN)
            ),
        )
        .properties(height=alt.Step(12))
    )
    return styled(
        chart,
        f"Bar chart of each of {len(values)} members' balance in {unit}, highest first; "
        "members that took more than they gave are in red.",
    )
