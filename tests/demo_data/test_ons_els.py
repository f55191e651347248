"""The ONS Explore Local Statistics reader on one dataset's first rows."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from scripts.demo_data.context import Context
from scripts.demo_data.sources import ons_els

from .conftest import write_slice

FOLDER = "ons-explore-local-statistics"
DATASET = Path("indicators") / "claimant-count"


def test_read_keeps_english_rows_of_known_areas(
    shared: Path, make_context: Callable[..., Context]
) -> None:
    context = make_context()
    source, target = shared / FOLDER / DATASET, context.shared / FOLDER / DATASET
    write_slice(source / "claimant-count.csv.gz", target / "claimant-count.csv.gz", limit=400)
    shutil.copyfile(source / "claimant-count.json", target / "claimant-count.json")
    context = make_context(
        ons=tuple(i for i in context.selection.ons if i.dataset == "claimant-count")
    )
    shipment = ons_els.read(context.shared / FOLDER, context)
    rows = shipment.observations.sorted_rows() if shipment.observations else []
    assert rows and all(row[0].startswith("E") and context.known(row[0]) for row in rows)
    assert {row[1] for row in rows} == {"ons-claimant-count-rate"}
    assert all("/" in row[2] for row in rows), "periods are the source's ISO 8601 intervals"
    (claimants,) = shipment.indicators
    assert (claimants.polarity, claimants.unit, claimants.year_basis) == ("", "%", "calendar")
    assert "ONS dataset=claimant-count" in claimants.notes


def test_year_basis_follows_the_interval_start() -> None:
    assert ons_els.year_basis({"2015-04-01/P1Y", "2016-04-01/P1Y"})[0] == "financial"
    assert ons_els.year_basis({"2015-09-01/P1Y"})[0] == "academic"
    assert ons_els.year_basis({"2008-04-16", "2009-04-22"}) == (
        "calendar",
        "periods are dates (points in time)",
    )
