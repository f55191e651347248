"""Procurement savings checked against the spend, end to end: the GLA's real spending files
for 2013-14 and 2014-15 stored, then returns submitted through the real form and the API.
Consultancy spend rose (£10.23m to £13.64m), so a consultancy saving is flagged with the
figures; ICT spend fell by £105,340.80, bearing out a smaller saving and not a larger one;
a council with no spend data is flagged as unchecked. The return's page and the office's
flags page show each line's spend by year, and the page downloads it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ambition.efficiency.models import SavingsLine, SavingsReturn
from ambition.registry.models import Authority

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH
from ..spend.test_store import GLA, GLA_FILES, store_gla

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_slate"),
    pytest.mark.skipif(not GLA.exists(), reason="the shared data is not here"),
]
GLA_CODE = "E61000001"
RETURNS = "/api/v1/efficiency/returns"


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def gla_spend(db: None) -> Authority:
    gla = Authority.objects.get(name="Greater London Authority")
    store_gla(gla, [n for n in GLA_FILES if n[:4] in ("2013", "2014")])
    return gla


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


def form_data(authority: Authority, **line: str) -> dict[str, str]:
    values = {
        "line-0-workstream": "procurement",
        "line-0-category": "consultancy",
        "line-0-amount": "500000.00",
        "line-0-cash_releasing": "yes",
        "line-0-recurrence": "ongoing",
        "line-0-started": "2014-04-01",
        "line-0-description": "Consultancy framework shared with the boroughs",
        "line-0-evidence": "Framework award report",
    }
    return {
        "authority": str(authority.pk),
        "year": "2014",
        "line-TOTAL_FORMS": "1",
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "1",
        "line-MAX_NUM_FORMS": "20",
        **values,
        **{f"line-0-{k}": v for k, v in line.items()},
    }


def api_line(**changes: Any) -> dict[str, Any]:
    values = {
        "workstream": "procurement",
        "category": "ict",
        "amount": "100000.00",
        "recurrence": "one-off",
        "started": "2014-04-01",
        "description": "Software licences bought with the boroughs",
        "evidence": "Licence agreement",
    }
    return {**values, **changes}


def post(client: Client, authority: str, *lines: dict[str, Any]) -> Any:
    body = {"authority": authority, "year": 2014, "lines": list(lines)}
    return client.post(RETURNS, json.dumps(body), content_type="application/json")


def test_a_gla_saving_its_spend_did_not_bear_out_is_flagged_through_the_form(
    gla_spend: Authority,
) -> None:
    client = signed_in(f"officer:{GLA_CODE}")
    made = client.post(reverse("efficiency-return-new"), form_data(gla_spend))
    assert made.status_code == 302, made.content.decode()[:2000]
    stored = SavingsReturn.objects.get(authority=gla_spend)
    line = stored.lines.get()
    assert line.category == "consultancy"
    assert [(y["year"], y["amount"], y["full"]) for y in line.category_spend] == [
        (2013, "10961957.80", True),
        (2014, "14006381.63", True),
    ]
    flag = stored.flags.get(kind="spend-not-borne-out")
    assert flag.line == line and stored.state == "flagged"
    assert flag.detail["fall"] == "-3044423.83" and flag.detail["expected"] == "500000.00"
    for figure in (
        "£10,961,957.80",
        "2013-14",
        "£14,006,381.63",
        "2014-15",
        "rose by £3,044,423.83",
    ):
        assert figure in flag.reason, figure
    assert "£500,000.00" in flag.reason

    page = client.get(made["Location"]).content.decode()
    assert 'data-table="spend"' in page and 'data-verdict="spend-not-borne-out"' in page
    assert "£14,006,381.63" in page and "Not borne out" in page
    download = client.get(made["Location"] + "?format=csv&table=spend").content.decode()
    rows = list(csv.DictReader(io.StringIO(download)))
    assert [(r["Year"], r["Spend (GBP)"], r["Compared as"]) for r in rows] == [
        ("2013", "10961957.80", "Year before the saving"),
        ("2014", "14006381.63", "Compared"),
    ]
    flags_page = signed_in("analyst").get(reverse("efficiency-flags")).content.decode()
    assert f'data-flag="{flag.pk}"' in flags_page and 'data-line="' in flags_page
    assert "£10,961,957.80" in flags_page


def test_the_api_weighs_each_line_against_its_category(gla_spend: Authority) -> None:
    smaller = api_line()
    larger = api_line(amount="200000.00", description="Hardware bought with the boroughs")
    response = post(signed_in(f"officer:{GLA_CODE}"), GLA_CODE, smaller, larger)
    assert response.status_code == 201, response.json()
    made = response.json()
    verdicts = [(x["category"], x["spend_verdict"]) for x in made["lines"]]
    assert verdicts == [("ict", "borne-out"), ("ict", "spend-not-borne-out")]
    assert made["lines"][0]["spend"][1] == {
        "year": 2014,
        "amount": "2311989.42",
        "transactions": 475,
        "full": True,
    }
    spend_flags = [f for f in made["flags"] if f["kind"].startswith("spend")]
    assert [f["line"] for f in spend_flags] == [made["lines"][1]["id"]]
    assert "fell by £105,340.80" in spend_flags[0]["reason"]


def test_a_council_with_no_spend_data_is_flagged_unchecked(db: None) -> None:
    response = post(signed_in(f"officer:{LAMBETH}"), LAMBETH, api_line())
    assert response.status_code == 201
    made = response.json()
    assert [f["kind"] for f in made["flags"]] == ["no-budget", "no-spend-data"]
    assert made["lines"][0]["spend"] == [] and made["lines"][0]["spend_verdict"] == "no-spend-data"
    assert "does not cover the whole of 2013-14" in made["flags"][1]["reason"]
    # A line that is not procurement, or names no category, is not weighed at all.
    other = api_line(workstream="back-office", category="", description="Shared payroll")
    plain = api_line(category="", description="Stationery", amount="99.00")
    kinds = [f["kind"] for f in post(signed_in("analyst"), LAMBETH, other, plain).json()["flags"]]
    assert kinds == ["no-budget"]


def test_a_category_is_only_for_a_procurement_line_and_must_be_known(db: None) -> None:
    lambeth = Authority.objects.get(code=LAMBETH)
    client = signed_in("analyst")
    page = client.post(
        reverse("efficiency-return-new"), form_data(lambeth, workstream="back-office")
    )
    assert page.status_code == 200
    assert "Give a procurement category only for a procurement saving" in page.content.decode()
    grants = client.post(reverse("efficiency-return-new"), form_data(lambeth, category="grants"))
    assert grants.status_code == 200 and b"govuk-error-message" in grants.content
    for line, field in (
        (api_line(category="cake"), "category"),
        (api_line(workstream="income"), "category"),
    ):
        response = post(client, LAMBETH, line)
        assert response.status_code == 422 and field in json.dumps(response.json())
    assert not SavingsLine.objects.exists()
