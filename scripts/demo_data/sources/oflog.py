"""Oflog's adult social care measures (the Local Authority Data Explorer's file)."""

from __future__ import annotations

import collections
from pathlib import Path

from ..context import Context
from ..files import read_csv
from ..records import OGL, Indicator, ObservationSet, Shipment
from ..selection import OflogMeasure
from ..text import inferred_decimal_places

SOURCE = "oflog-adult-social-care"
FILE = "oflog_asc.csv.gz"


class Measures:
    """What the file says about each measure across its rows."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.rank_orders: dict[str, set[str]] = collections.defaultdict(set)
        self.values: dict[str, list[str]] = collections.defaultdict(list)


def read(source: Path, context: Context) -> Shipment:
    wanted = {measure.source_code: measure for measure in context.selection.oflog}
    observations, seen = observe(read_csv(source / "ASC_data.csv"), wanted, context)
    indicators = [indicator(measure, seen) for measure in context.selection.oflog]
    return Shipment(SOURCE, indicators, observations)


def observe(
    rows: list[dict[str, str]], wanted: dict[str, OflogMeasure], context: Context
) -> tuple[ObservationSet, Measures]:
    """Every row of an authority the register knows; the others are counted in the log."""
    observations, seen = ObservationSet(FILE), Measures()
    dropped: collections.Counter[str] = collections.Counter()
    for row in rows:
        code = wanted[row["Code"]].code
        if row["Local authority code"] not in context.registry.gss_codes:
            dropped[row["Local authority code"]] += 1
            continue
        seen.names[row["Code"]] = row["Measure"]
        if row["rank_order"]:
            seen.rank_orders[row["Code"]].add(row["rank_order"])
        observations.add(row["Local authority code"], code, row["Financial year"], row["Value"])
        seen.values[code].append(row["Value"])
    if dropped:
        context.report.add(SOURCE, f"rows left out, code not in mySociety: {dict(dropped)}")
    return observations, seen


def indicator(measure: OflogMeasure, seen: Measures) -> Indicator:
    """Polarity from `rank_order` (desc: ranked highest first); the unit is ours, see notes."""
    orders = seen.rank_orders[measure.source_code]
    assert len(orders) == 1, f"{measure.source_code} has rank_order {orders}"
    order = next(iter(orders))
    polarity = {"desc": "higher", "asc": "lower"}.get(order.lower(), "")
    name = seen.names[measure.source_code]
    return Indicator(
        code=measure.code,
        name=name.removeprefix("Outcome, "),
        service_area=measure.service_area,
        unit=measure.unit,
        polarity=polarity,
        polarity_basis=f"Oflog rank_order={order}" if polarity else "",
        year_basis="financial",
        definition=f'Oflog adult social care measure "{name}" ({measure.source_code}), as shown '
        "in the Local Authority Data Explorer; values originate from NHS England "
        "ASCOF / ASC-FR and Skills for Care workforce data. The source file "
        "carries no longer description.",
        source="Office for Local Government (Oflog), Local Authority Data Explorer",
        source_url="https://github.com/communitiesuk/oflog-automated-text",
        licence=OGL,
        decimal_places=str(inferred_decimal_places(seen.values[measure.code])),
        file=FILE,
        notes="; ".join(indicator_notes(measure, polarity, order)),
    )


def indicator_notes(measure: OflogMeasure, polarity: str, order: str) -> list[str]:
    notes = [
        f"Oflog Code={measure.source_code}",
        "unit not stated in the Oflog file"
        + ("" if measure.unit in ("score", "rate") else "; values are 0-100 proportions"),
        "decimal_places inferred from the published values",
    ]
    if not polarity:
        notes.append(f"no polarity: Oflog rank_order={order}")
    return notes
