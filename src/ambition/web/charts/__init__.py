"""Vega-Lite chart specs for the pages, built with Altair and drawn in the browser by
web/static/web/charts.js (vega-embed); the same dicts render to SVG or PNG for print.

Every function takes plain rows (dicts), returns a spec dict with its data inline, and copes
with no rows and with missing values. Each spec carries a `description`, which Vega gives the
drawn SVG as its accessible name, and `usermeta` with the title and description. Titles are
not drawn: the page's figure caption shows them (web/includes/chart.html).

Specs are not validated against the Vega-Lite schema here, since pages build dozens of
sparklines; the tests validate every kind.

The package's modules: `formatting` (values for display, shared with the template filters),
`common` (palette, styling, the "No data" chart), `bars`, `maps` and `series` (the chart
kinds). Import from the package, not from them.
"""

from .bars import BAR_STEP, ranked_bar
from .common import (
    BLACK,
    BLUE,
    BROWN,
    DARK_BLUE,
    FONT,
    GREEN,
    GREY,
    LIGHT_BLUE,
    MID_GREY,
    ORANGE,
    PALETTE,
    PINK,
    PURPLE,
    RED,
    TURQUOISE,
    AnyChart,
    Row,
    Spec,
    no_data,
)
from .formatting import (
    BARE_UNITS,
    MONEY_SUFFIXES,
    NO_DATA,
    NO_POLARITY_LABEL,
    PERCENT_UNITS,
    POLARITY_LABELS,
    as_number,
    display_change,
    display_value,
    format_number,
    format_with_unit,
    mid_sentence,
    places_for,
    polarity_label,
)
from .funnel import funnel_plot
from .maps import CATEGORY_COLOURS, FIELD_TITLES, MAP_HEIGHT, NOT_KNOWN, choropleth, members_map
from .parts import stacked_parts
from .series import (
    COMPARATOR_COLOURS,
    COMPARATOR_DASHES,
    SERIES_LEGEND,
    SOLID,
    SPARK_COLOURS,
    SPARK_HEIGHT,
    SPARK_WIDTH,
    sparkline,
    time_series,
)
from .targets import target_trajectory

__all__ = [
    "BARE_UNITS",
    "BAR_STEP",
    "BLACK",
    "BLUE",
    "BROWN",
    "CATEGORY_COLOURS",
    "COMPARATOR_COLOURS",
    "COMPARATOR_DASHES",
    "DARK_BLUE",
    "FIELD_TITLES",
    "FONT",
    "GREEN",
    "GREY",
    "LIGHT_BLUE",
    "MAP_HEIGHT",
    "MID_GREY",
    "MONEY_SUFFIXES",
    "NOT_KNOWN",
    "NO_DATA",
    "NO_POLARITY_LABEL",
    "ORANGE",
    "PALETTE",
    "PERCENT_UNITS",
    "PINK",
    "POLARITY_LABELS",
    "PURPLE",
    "RED",
    "SERIES_LEGEND",
    "SOLID",
    "SPARK_COLOURS",
    "SPARK_HEIGHT",
    "SPARK_WIDTH",
    "TURQUOISE",
    "AnyChart",
    "Row",
    "Spec",
    "as_number",
    "choropleth",
    "display_change",
    "display_value",
    "format_number",
    "format_with_unit",
    "funnel_plot",
    "members_map",
    "mid_sentence",
    "no_data",
    "places_for",
    "polarity_label",
    "ranked_bar",
    "sparkline",
    "stacked_parts",
    "target_trajectory",
    "time_series",
]
