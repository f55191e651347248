"""The local area agreements' pages: the list and an agreement's page for those who may see
them (an officer their own council's only), illustrative over the demo's, each target's
progress and reward in words with its chart, downloads of every table, and the forms to
make an agreement and add its targets and partners, refused to an officer of another
council, every error naming its field."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ambition.efficiency.demo import load_demo
from ambition.efficiency.models import AgreementPartner, AgreementTarget, LocalAreaAgreement
from ambition.indicators.models import Indicator
from ambition.registry.models import Authority

from ..accounts.factories import UserFactory
from ..registry.factories import CAMDEN, LAMBETH, SOUTHWARK
from .factories import PSA_RULE, AgreementTargetFactory, LocalAreaAgreementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]
LIST = reverse("efficiency-laas")


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


@pytest.fixture
def demo(clean_slate: None) -> dict[str, LocalAreaAgreement]:
    load_demo()
    return {a.authority.code: a for a in LocalAreaAgreement.objects.select_related("authority")}


def test_the_list_shows_what_each_may_see_and_says_illustrative(
    demo: dict[str, LocalAreaAgreement],
) -> None:
    page = signed_in("board").get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-illustrative" in html
    assert all(f'data-agreement="{a.pk}"' in html for a in demo.values())
    own = signed_in(f"officer:{LAMBETH}").get(LIST).content.decode()
    assert f'data-agreement="{demo[LAMBETH].pk}"' in own
    assert f'data-agreement="{demo[CAMDEN].pk}"' not in own
    assert signed_in().get(LIST).status_code == 403
    assert Client().get(LIST).status_code == 302  # to sign in


def test_the_list_downloads_as_csv_json_and_xlsx(demo: dict[str, LocalAreaAgreement]) -> None:
    client = signed_in("analyst")
    rows = list(csv.DictReader(io.StringIO(client.get(LIST, {"format": "csv"}).content.decode())))
    lambeth = next(r for r in rows if r["ONS code"] == LAMBETH)
    assert lambeth["Illustrative"] == "True" and lambeth["Targets"] == "3"
    assert lambeth["Expected reward (GBP)"] == "550000.00"
    data = json.loads(client.get(LIST, {"format": "json"}).content)
    assert "expected_reward" in data["columns"] and len(data["rows"]) == len(demo)
    book = load_workbook(io.BytesIO(client.get(LIST, {"format": "xlsx"}).content))
    assert book.active is not None and book.active.max_row == len(demo) + 1
    only = client.get(LIST, {"authority": CAMDEN, "format": "json"})
    assert [r["code"] for r in json.loads(only.content)["rows"]] == [CAMDEN]


def test_an_agreements_page_shows_progress_rewards_the_rule_and_charts(
    demo: dict[str, LocalAreaAgreement],
) -> None:
    lambeth = demo[LAMBETH]
    page = signed_in("board").get(lambeth.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-illustrative" in html and "Metropolitan Police Service" in html
    assert lambeth.rule.name in html
    assert lambeth.rule.explanation[:40] in html
    # Recycling: 28% in 2010/11 is 60% of the way from 25% to 30%: missed, paid 60%.
    recycling = lambeth.targets.get(indicator__code="recycling-rate")
    assert f'data-target="{recycling.pk}" data-status="missed"' in html
    assert "Missed: 28% (2010/11)" in html and "£150,000.00" in html
    assert html.count("data-chart=") == 3
    # Not on the board's page: the forms to add targets and partners.
    assert 'data-form="target"' not in html


def test_an_agreements_tables_download(demo: dict[str, LocalAreaAgreement]) -> None:
    url = demo[LAMBETH].get_absolute_url()
    client = signed_in(f"officer:{LAMBETH}")
    targets = list(csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).content.decode())))
    recycling = next(t for t in targets if t["Indicator code"] == "recycling-rate")
    assert (recycling["Status"], recycling["Expected reward (GBP)"]) == ("missed", "150000.00")
    assert recycling["Baseline"] == "25" and recycling["Latest value by the target year"] == "28.0"
    partners = json.loads(client.get(url, {"format": "json", "table": "partners"}).content)
    assert {r["kind"] for r in partners["rows"]} == {
        "Police",
        "Health",
        "Fire and rescue",
        "Voluntary sector",
    }
    values = json.loads(client.get(url, {"format": "json", "table": "series"}).content)
    assert {"indicator": "recycling-rate", "period": "2010/11", "value": 28.0} in values["rows"]


def test_an_officer_of_another_council_may_not_see_or_change_an_agreement(
    demo: dict[str, LocalAreaAgreement],
) -> None:
    lambeth = demo[LAMBETH]
    other = signed_in(f"officer:{SOUTHWARK}")
    assert other.get(lambeth.get_absolute_url()).status_code == 403
    target = reverse("efficiency-laa-target", args=[lambeth.pk])
    partner = reverse("efficiency-laa-partner", args=[lambeth.pk])
    assert other.post(target, target_data()).status_code == 403
    assert other.post(partner, {"partner-kind": "other", "partner-name": "X"}).status_code == 403
    assert signed_in("board").post(partner, {"partner-kind": "other"}).status_code == 403
    assert lambeth.targets.count() == 3 and lambeth.partners.count() == 4


def agreement_data(**changes: str) -> dict[str, str]:
    values = {
        "authority": "",
        "start_year": "2008",
        "end_year": "2010",
        "title": "A new agreement",
        "signed_on": "2008-07-01",
        "reward_rule": PSA_RULE,
    }
    return {**values, **changes}


def test_an_officer_makes_an_agreement_for_their_own_council_only() -> None:
    officer = signed_in(f"officer:{LAMBETH}")
    form = officer.get(reverse("efficiency-laa-new"))
    assert form.status_code == 200
    lambeth = Authority.objects.get(code=LAMBETH)
    made = officer.post(reverse("efficiency-laa-new"), agreement_data(authority=str(lambeth.pk)))
    assert made.status_code == 302
    agreement = LocalAreaAgreement.objects.get(authority__code=LAMBETH)
    assert made["Location"] == agreement.get_absolute_url()
    assert agreement.created_by is not None and agreement.created_by.has_perm("efficiency.add_laa")
    southwark = signed_in(f"officer:{SOUTHWARK}")
    refused = southwark.post(
        reverse("efficiency-laa-new"), agreement_data(authority=str(lambeth.pk))
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert LocalAreaAgreement.objects.filter(authority__code=LAMBETH).count() == 1
    assert signed_in("board").get(reverse("efficiency-laa-new")).status_code == 403


def test_the_agreement_form_names_the_field_at_fault() -> None:
    analyst = signed_in("analyst")
    lambeth = str(Authority.objects.get(code=LAMBETH).pk)
    page = analyst.post(
        reverse("efficiency-laa-new"), agreement_data(authority=lambeth, end_year="2007")
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Error:" in html
    assert 'id="id_end_year-error"' in html and "must not be before" in html
    assert not LocalAreaAgreement.objects.filter(authority__code=LAMBETH).exists()


def target_data(**changes: str) -> dict[str, Any]:
    values = {
        "target-indicator": str(Indicator.objects.get(code="ons-employment-rate").pk),
        "target-baseline": "67.8",
        "target-baseline_period": "2007",
        "target-stretch": "71",
        "target-target_year": "2010",
        "target-reward_max": "400000.00",
    }
    return {**values, **changes}


def test_an_officer_adds_targets_and_partners_to_their_councils_agreement() -> None:
    agreement = AgreementTargetFactory().agreement
    officer = signed_in(f"officer:{LAMBETH}")
    page = officer.get(agreement.get_absolute_url()).content.decode()
    assert 'data-form="target"' in page and 'data-form="partner"' in page
    url = reverse("efficiency-laa-target", args=[agreement.pk])
    assert officer.post(url, target_data()).status_code == 302
    added = agreement.targets.get(indicator__code="ons-employment-rate")
    assert added.target_year == 2010 and str(added.reward_max) == "400000.00"
    partner = reverse("efficiency-laa-partner", args=[agreement.pk])
    data = {"partner-kind": "health", "partner-name": "Lambeth Primary Care Trust"}
    assert officer.post(partner, data).status_code == 302
    again = officer.post(partner, data)
    assert again.status_code == 400 and "in the agreement already" in again.content.decode()
    assert AgreementPartner.objects.filter(agreement=agreement).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"target-target_year": "2011"}, "target_year", "must lie within"),
        ({"target-stretch": "60"}, "stretch", "better than the baseline"),
        ({"target-reward_max": "-1"}, "reward_max", "must not be negative"),
        ({"target-baseline": "lots"}, "baseline", "Enter a number"),
    ],
)
def test_a_bad_target_is_refused_naming_its_field(
    changes: dict[str, str], field: str, words: str
) -> None:
    agreement = LocalAreaAgreementFactory()
    response = signed_in("analyst").post(
        reverse("efficiency-laa-target", args=[agreement.pk]), target_data(**changes)
    )
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert f'id="id_target-{field}-error"' in html and words in html
    assert not AgreementTarget.objects.filter(agreement=agreement).exists()


def test_the_programme_pages_link_to_the_agreements() -> None:
    client = signed_in("board")
    overview = client.get(reverse("efficiency-overview")).content.decode()
    assert f'href="{LIST}" data-link="laas"' in overview
    council = client.get(reverse("efficiency-authority", args=[LAMBETH])).content.decode()
    assert f'href="{LIST}?authority={LAMBETH}" data-link="laas"' in council
