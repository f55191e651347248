"""The efficiency pages: each renders for those who may see it, refuses the others (an
officer of another council above all), says "illustrative" over the demo's figures, and
downloads its tables as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ambition.efficiency.demo import load_demo
from ambition.efficiency.models import Flag, NetBudget, ReturnState, SavingsReturn
from ambition.registry.models import Authority

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH, SOUTHWARK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]
HARROW = "E09000015"


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


@pytest.fixture
def demo(clean_slate: None) -> None:
    load_demo()


def line_data(**changes: str) -> dict[str, str]:
    values = {
        "line-TOTAL_FORMS": "3",
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "1",
        "line-MAX_NUM_FORMS": "20",
        "line-0-workstream": "procurement",
        "line-0-amount": "1250000.50",
        "line-0-cash_releasing": "yes",
        "line-0-recurrence": "ongoing",
        "line-0-started": "2009-05-01",
        "line-0-description": "A new saving",
        "line-0-evidence": "Invoices",
        "line-1-cash_releasing": "yes",
        "line-1-recurrence": "ongoing",
        "line-2-cash_releasing": "yes",
        "line-2-recurrence": "ongoing",
    }
    return {**values, **changes}


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    "name,args",
    [
        ("efficiency-overview", []),
        ("efficiency-authority", [LAMBETH]),
        ("efficiency-flags", []),
        ("efficiency-budget-import", []),
        ("efficiency-return-new", []),
    ],
)
def test_the_office_sees_every_page_marked_illustrative(name: str, args: list[str]) -> None:
    response = signed_in("analyst").get(reverse(name, args=args) + "?year=2008")
    assert response.status_code == 200
    if name != "efficiency-return-new":
        assert b"Illustrative" in response.content


@pytest.mark.usefixtures("demo")
def test_the_overview_shows_the_members_against_their_targets() -> None:
    response = signed_in("board").get(reverse("efficiency-overview") + "?year=2008")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-authority="E09000022"' in page and "efficiency-target-spec" in page
    download = signed_in("board").get(reverse("efficiency-overview") + "?year=2008&format=csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    lambeth = next(r for r in rows if r["ONS code"] == LAMBETH)
    # The demo's Lambeth 2008: £3,490,000 ongoing and accepted; the depot sale is one-off.
    assert lambeth["Accepted NI 179 (GBP)"] == "3490000.00"
    assert len(rows) >= 33


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("table", ["progress", "returns", "flags", "budgets"])
def test_an_authority_page_downloads_each_of_its_tables(table: str) -> None:
    url = reverse("efficiency-authority", args=[LAMBETH])
    response = signed_in(f"officer:{LAMBETH}").get(f"{url}?table={table}&format=json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["rows"], table
    xlsx = signed_in("analyst").get(f"{url}?table={table}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


@pytest.mark.usefixtures("demo")
def test_an_officer_of_another_council_is_refused_its_page_and_its_returns() -> None:
    southwark = signed_in(f"officer:{SOUTHWARK}")
    assert southwark.get(reverse("efficiency-authority", args=[LAMBETH])).status_code == 403
    lambeths = SavingsReturn.objects.filter(authority__code=LAMBETH).first()
    assert lambeths is not None
    assert southwark.get(lambeths.get_absolute_url()).status_code == 403
    assert southwark.get(reverse("efficiency-flags")).status_code == 403
    assert southwark.get(reverse("efficiency-budget-import")).status_code == 403
    assert signed_in().get(reverse("efficiency-overview")).status_code == 403


def test_an_officer_returns_for_their_own_council_and_not_another() -> None:
    client = signed_in(f"officer:{LAMBETH}")
    url = reverse("efficiency-return-new")
    assert client.get(url).status_code == 200
    ids = {code: Authority.objects.get(code=code).pk for code in (LAMBETH, SOUTHWARK)}
    refused = client.post(url, {"authority": ids[SOUTHWARK], "year": "2009", **line_data()})
    assert refused.status_code == 200 and not SavingsReturn.objects.exists()
    made = client.post(url, {"authority": ids[LAMBETH], "year": "2009", **line_data()})
    assert made.status_code == 302
    stored = SavingsReturn.objects.get()
    assert stored.state == ReturnState.FLAGGED  # no budget for 2009: the size is unchecked
    assert stored.lines.get().amount == Decimal("1250000.50")
    assert client.get(made["Location"]).status_code == 200


def test_a_bad_line_is_named_and_nothing_is_written() -> None:
    client = signed_in("analyst")
    data = line_data(**{"line-0-amount": "12.345", "line-0-started": "1 May"})
    pk = Authority.objects.get(code=LAMBETH).pk
    response = client.post(
        reverse("efficiency-return-new"), {"authority": pk, "year": "2009", **data}
    )
    assert response.status_code == 200
    assert b"Amount (GBP)" in response.content and b"govuk-error-message" in response.content
    assert not SavingsReturn.objects.exists()


@pytest.mark.usefixtures("demo")
def test_the_office_decides_a_flag_on_the_review_page() -> None:
    flag = Flag.objects.filter(savings_return__authority__code=HARROW).get()
    client = signed_in("analyst")
    url = reverse("efficiency-flags")
    client.post(url, {"flag": flag.pk, "decision": "uphold", "reason": ""})
    flag.refresh_from_db()
    assert flag.state == "open"
    client.post(url, {"flag": flag.pk, "decision": "uphold", "reason": "Whole-council figure"})
    flag.refresh_from_db()
    assert (flag.state, flag.decision_reason) == ("upheld", "Whole-council figure")
    officer = signed_in(f"officer:{HARROW}")
    assert (
        officer.post(url, {"flag": flag.pk, "decision": "accept", "reason": "x"}).status_code == 403
    )


@pytest.mark.usefixtures("demo")
def test_a_return_page_downloads_its_lines_and_flags() -> None:
    found = SavingsReturn.objects.filter(authority__code=HARROW).get()
    client = signed_in("board")
    lines = client.get(found.get_absolute_url() + "?format=csv")
    flags = client.get(found.get_absolute_url() + "?format=json&table=flags")
    assert "19500000.00" in lines.content.decode()
    assert json.loads(flags.content)["rows"][0]["kind"] == "too-large"


def test_the_office_uploads_budgets_and_a_bad_file_is_reported_by_row() -> None:
    client = signed_in("analyst")
    url = reverse("efficiency-budget-import")
    bad = SimpleUploadedFile("b.csv", f"ons_code,year,amount\n{LAMBETH},2008,abc\n".encode())
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and b"amount" in response.content
    assert not NetBudget.objects.exists()
    good = SimpleUploadedFile("g.csv", f"ons_code,year,amount\n{LAMBETH},2008,100\n".encode())
    assert client.post(url, {"file": good}).status_code == 302
    assert NetBudget.objects.get().amount == 100
    assert signed_in(f"officer:{LAMBETH}").post(url, {"file": good}).status_code == 403
