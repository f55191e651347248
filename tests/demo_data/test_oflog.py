"""The Oflog reader on the first rows of its file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scripts.demo_data.context import Context
from scripts.demo_data.sources import oflog

from .conftest import write_slice

FOLDER = "oflog-adult-social-care"


def test_read_keeps_values_verbatim_and_polarity_from_rank_order(
    shared: Path, make_context: Callable[..., Context]
) -> None:
    context = make_context()
    target = context.shared / FOLDER / "ASC_data.csv"
    write_slice(shared / FOLDER / "ASC_data.csv", target, lambda r: r["Code"] in ("ASC1", "ASC6"))
    context = make_context(
        oflog=tuple(m for m in context.selection.oflog if m.source_code in ("ASC1", "ASC6"))
    )
    shipment = oflog.read(target.parent, context)
    rows = shipment.observations.sorted_rows() if shipment.observations else []
    assert len(rows) > 100
    assert {row[1] for row in rows} == {
        "oflog-asc1-carer-quality-of-life",
        "oflog-asc6-requests-resulting-in-service",
    }
    assert ["E09000022", "oflog-asc1-carer-quality-of-life", "2016-17"] in [row[:3] for row in rows]
    asc1, asc6 = sorted(shipment.indicators, key=lambda i: i.code)
    assert (asc1.polarity, asc1.polarity_basis, asc1.unit) == (
        "higher",
        "Oflog rank_order=desc",
        "score",
    )
    assert asc1.name == "ASC Carer Quality of Life"
    assert (asc6.polarity, asc6.polarity_basis) == ("", "")
    assert "no polarity: Oflog rank_order=None" in asc6.notes
