"""The flat form of the grants: the standard's own headings, and cells no spreadsheet runs."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ambition.fund.giving.flat import HEADINGS, to_csv, to_xlsx

from .test_giving_2006 import PREFIX, awards_2006

# The header row of the `grants` sheet of the standard's 2023 template
# (documentation/_static/360-giving-schema-titles-with-meta-tab-2023.xlsx).
TEMPLATE_GRANTS_SHEET = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "URL",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Planned Dates:Duration (months)",
    "Recipient Ind:Identifier",
    "Recipient Ind:Name",
    "To Individuals Details:Primary Grant Reason",
    "To Individuals Details:Secondary Grant Reason",
    "To Individuals Details:Grant Purpose",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Org:Street Address",
    "Recipient Org:City",
    "Recipient Org:County",
    "Recipient Org:Country",
    "Recipient Org:Postal Code",
    "Recipient Org:Description",
    "Recipient Org:Web Address",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Latitude",
    "Beneficiary Location:Longitude",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Location Scope",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Grant Programme:URL",
    "From An Open Call?",
    "Related Activity",
    "Last Modified",
    "Data Source",
    "For Regrant Type",
]


def test_headings_are_the_templates_own_in_its_order() -> None:
    assert set(HEADINGS) <= set(TEMPLATE_GRANTS_SHEET)
    assert sorted(HEADINGS, key=TEMPLATE_GRANTS_SHEET.index) == list(HEADINGS)
    header = next(csv.reader(io.StringIO(to_csv(awards_2006(), PREFIX))))
    assert header == list(HEADINGS)


FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-2+3"]


@pytest.mark.parametrize("title", FORMULAS)
def test_a_formula_looking_title_stays_text_in_the_csv(title: str) -> None:
    grant = dataclasses.replace(awards_2006()[0], title=title)
    row = next(csv.DictReader(io.StringIO(to_csv([grant], PREFIX))))
    assert row["Title"] == "'" + title


@pytest.mark.parametrize("title", [*FORMULAS, "\x01=SUM(A1)"])
def test_a_formula_looking_title_stays_text_in_the_workbook(title: str, tmp_path: Path) -> None:
    grant = dataclasses.replace(awards_2006()[0], title=title)
    path = tmp_path / "grants.xlsx"
    path.write_bytes(to_xlsx([grant], PREFIX))
    cell = load_workbook(path)["grants"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + title.lstrip("\x01")


def test_the_workbook_holds_amounts_as_numbers_and_dates_as_dates(tmp_path: Path) -> None:
    grant = dataclasses.replace(
        awards_2006()[1],
        amount_disbursed=Decimal("12345.67"),
        date_modified=datetime.datetime(2007, 3, 31, 17, 0, tzinfo=datetime.UTC),
    )
    path = tmp_path / "grants.xlsx"
    path.write_bytes(to_xlsx([grant], PREFIX))
    sheet = load_workbook(path)["grants"]
    row = dict(zip(HEADINGS, (cell.value for cell in sheet[2]), strict=True))
    assert [cell.value for cell in sheet[1]] == list(HEADINGS)
    assert row["Identifier"] == "360G-ambition-2006-havering"
    assert (row["Amount Awarded"], row["Amount Disbursed"]) == (200000, 12345.67)
    assert row["Award Date"] == datetime.datetime(2006, 11, 23)
    assert row["Last Modified"] == "2007-03-31T17:00:00+00:00"
