"""The Kaggle "Housing in London" reader on a few areas of its yearly file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from scripts.demo_data.context import Context
from scripts.demo_data.sources import housing_kaggle

from .conftest import write_slice

FOLDER = "housing-in-london-kaggle"
AREAS = {"E09000002", "E09000022", "E09000033", "E12000007", "E92000001", "S92000003"}


@pytest.fixture
def context(shared: Path, make_context: Callable[..., Context]) -> Context:
    context = make_context()
    name = "housing_in_london_yearly_variables.csv"
    write_slice(
        shared / FOLDER / name, context.shared / FOLDER / name, lambda r: r["code"] in AREAS
    )
    profiles = context.shared / housing_kaggle.PROFILES
    profiles.parent.mkdir(parents=True)
    shutil.copyfile(shared / housing_kaggle.PROFILES, profiles)
    return context


def test_read_relabels_dates_as_financial_years(context: Context) -> None:
    shipment = housing_kaggle.read(context.shared / FOLDER, context)
    rows = shipment.observations.sorted_rows() if shipment.observations else []
    assert {row[0] for row in rows} == AREAS - {"S92000003"}
    assert {row[2] for row in rows} >= {"1999/00", "2014/15", "2019/20"}
    assert all(row[2][:2] in ("19", "20") and row[2][4] == "/" for row in rows)
    assert any("01/12/14 ->" in line for line in context.report.lines[FOLDER])


def test_financial_year() -> None:
    assert housing_kaggle.financial_year("01/12/99") == "1999/00"
    assert housing_kaggle.financial_year("01/12/14") == "2014/15"
