"""Charts of the fund: what the money bought, as the amount awarded by service area (or
programme, for corporate bids) split by what the impact engine found. Built with the
site's stacked bar (ambition.web.charts.stacked_parts)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from altair.utils.schemapi import debug_mode

from ambition.web.charts import Spec, stacked_parts

TITLE = "What the money bought"


def money_bought(rows: Sequence[dict[str, Any]]) -> Spec:
    """Rows: `area` (the bar), `status` (the part) and `amount` (GBP, a Decimal); awards
    whose amount is not published add nothing."""
    parts = [
        {"label": r["area"], "part": r["status"], "value": r["amount"]}
        for r in rows
        if r["amount"] is not None
    ]
    # Altair checks every object it builds against the Vega-Lite schema unless told not to:
    # three quarters of this chart's time on every request to the public overview. The spec
    # is the same either way; the tests validate it against the schema.
    with debug_mode(False):
        return stacked_parts(parts, title=TITLE, unit="Awarded (GBP)")
