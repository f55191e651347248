"""What every chart shares: the GOV.UK palette, the row helpers, the styling and the
"No data" chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import altair as alt

from .formatting import NO_DATA, as_number, places_for

Spec = dict[str, Any]
Row = Mapping[str, Any]
AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart

BLACK = "#0b0c0c"
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
MID_GREY = "#b1b4b6"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
PINK = "#d53880"
TURQUOISE = "#28a197"
BROWN = "#b58840"
LIGHT_BLUE = "#5694ca"
PALETTE = [BLUE, ORANGE, GREEN, PURPLE, PINK, TURQUOISE, BROWN, RED, DARK_BLUE]
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", arial, sans-serif'


def row_places(decimals: int | None, rows: Iterable[Row]) -> int:
    """The decimals asked for, or else enough for the rows' values (see places_for)."""
    return places_for(r.get("value") for r in rows) if decimals is None else decimals


def plain(value: object) -> object:
    """JSON-ready: Decimal to float, dates to ISO 8601, non-finite numbers to None."""
    if isinstance(value, Decimal | float):
        return as_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def pick(row: Row, fields: Iterable[str]) -> dict[str, Any]:
    return {field: plain(row.get(field)) for field in fields}


def count_of(n: int, noun: str, plural: str = "") -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def sentence(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def styled(chart: AnyChart, title: str, description: str) -> Spec:
    described: AnyChart = chart.properties(
        description=description, usermeta={"title": title, "description": description}
    )
    configured = (
        described.configure(font=FONT)
        .configure_axis(labelColor=BLACK, titleColor=BLACK, labelFontSize=12, titleFontSize=13)
        .configure_legend(labelColor=BLACK, titleColor=BLACK, labelFontSize=12, titleFontSize=13)
        .configure_view(stroke=None)
    )
    spec: Spec = configured.to_dict(validate=False)
    return spec


def no_data(
    title: str = "",
    *,
    width: int | Literal["container"] = "container",
    height: int = 60,
    size: int = 16,
) -> Spec:
    """A chart that says "No data", so a page can always draw what it was given."""
    chart = (
        alt.Chart(alt.InlineData(values=[{"text": NO_DATA}]), width=width, height=height)
        .mark_text(align="left", baseline="top", color=GREY, fontSize=size)
        .encode(text="text:N")
    )
    spec = styled(chart, title, sentence(f"{title}:" if title else "", "No data."))
    spec["usermeta"]["embedOptions"] = {"actions": False}
    return spec
