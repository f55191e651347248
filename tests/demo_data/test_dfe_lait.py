"""The DfE LAIT reader on a slice: a few LAs of the code list, their statistical neighbours
and two measures of the big data set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scripts.demo_data.context import Context
from scripts.demo_data.sources import dfe_lait

from .conftest import write_slice

FOLDER = "dfe-lait-children-services"
# Former and successor councils, a county that became a unitary of the same name, a name
# styled "Borough", a name a combined authority's name begins with, and aggregates.
NUMBERS = {"835", "838", "837", "839", "815", "822", "391", "201", "202", "987", "970", "1000"}
# Selected measures among the big data set's first rows.
MEASURES = {"LACFinance", "Under18concep"}
FIRST_ROWS = 30_000


@pytest.fixture
def context(shared: Path, make_context: Callable[..., Context]) -> Context:
    context = make_context()
    lait = tuple(m for m in context.selection.lait if m.short in MEASURES)
    context = make_context(lait=lait)
    source, target = shared / FOLDER, context.shared / FOLDER
    write_slice(
        source / "la_code_list.csv",
        target / "la_code_list.csv",
        lambda r: r["LA Number"] in NUMBERS,
    )
    write_slice(source / "lait_data_dictionary.csv", target / "lait_data_dictionary.csv")
    write_slice(
        source / "bds_long.csv.gz",
        target / "bds_long.csv.gz",
        lambda r: r["LA Number"] in NUMBERS,
        limit=FIRST_ROWS,
    )
    (target / "sn_april_2021.csv").write_text(
        "".join((source / "sn_april_2021.csv").open(encoding="utf-8-sig").readlines()[:6]),
        encoding="utf-8",
    )
    return context


def test_la_numbers_resolve_by_the_importers_name_rule(context: Context) -> None:
    mapping, table = dfe_lait.la_code_list(context.shared / FOLDER, context)
    assert mapping == {
        "835": "E10000009",  # Dorset (Pre LG): the county council, not today's Dorset Council
        "838": "E06000059",
        "837": "E06000028",  # Bournemouth (Pre LG), not BCP
        "839": "E06000058",
        "815": "E06000065",  # North Yorkshire: the current council of that name
        "822": "E06000055",  # "Bedford Borough"
        "391": "E08000021",  # Newcastle upon Tyne, not the North of Tyne combined authority
        "201": "E09000001",
        "202": "E09000007",
        "987": "E13000001",  # DfE's "London (Inner)"
        "970": "E92000001",
    }
    assert table.target == "registry/dfe_la_code_list.csv"
    by_number = {row[0]: row for row in table.rows}
    assert by_number["1000"][-3:] == ["", "", ""]
    assert by_number["835"][-3:] == ["E10000009", "DOR", "mySociety name 'Dorset County Council'"]
    assert any("LA 815 North Yorkshire -> NYE" in line for line in context.report.lines[FOLDER])


def test_an_unknown_authority_stops_the_build(context: Context) -> None:
    path = context.shared / FOLDER / "la_code_list.csv"
    path.write_text(path.read_text() + "999,Nowhere Shire,South West,SC\n")
    with pytest.raises(AssertionError, match="999 Nowhere Shire"):
        dfe_lait.la_code_list(path.parent, context)


def test_read_ships_the_measures_under_gss_codes(context: Context) -> None:
    shipment = dfe_lait.read(context.shared / FOLDER, context)
    rows = shipment.observations.sorted_rows() if shipment.observations else []
    assert rows, "no observations"
    assert {row[1] for row in rows} == {"lait-cla-weekly-unit-cost", "lait-under-18-conceptions"}
    assert {row[0] for row in rows} <= {
        "E10000009",
        "E06000059",
        "E06000028",
        "E06000058",
        "E06000065",
        "E06000055",
        "E08000021",
        "E09000001",
        "E09000007",
        "E13000001",
        "E92000001",
    }
    assert all(row[4:] == ["", "", ""] for row in rows)
    by_code = {i.code: i for i in shipment.indicators}
    conceptions, cost = by_code["lait-under-18-conceptions"], by_code["lait-cla-weekly-unit-cost"]
    assert (conceptions.polarity, conceptions.polarity_basis) == (
        "lower",
        "LAIT data dictionary Polarity=Low",
    )
    assert (conceptions.service_area, conceptions.year_basis) == ("health", "calendar")
    assert (cost.polarity, cost.polarity_basis, cost.unit) == ("", "", "£ per week")
    assert "no polarity: LAIT data dictionary Polarity=" in cost.notes
    neighbours = next(t for t in shipment.tables if "neighbours" in t.target)
    assert neighbours.header[:2] == ["LA num", "LA Name"] and neighbours.header[-1] == "sn_list"
    assert neighbours.rows[0][0] == "201" and neighbours.rows[0][25] == "E09000001"
