"""The local area agreements' API: read with the pages' permissions, each target's progress
and expected reward computed from the stored observations; a council's own systems make an
agreement for their own council only; bad input is a 422 naming the field, and nothing is
written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.models import AuditEntry
from ambition.efficiency.models import LocalAreaAgreement

from ..accounts.factories import UserFactory
from ..registry.factories import CAMDEN, LAMBETH, SOUTHWARK, AuthorityFactory
from .factories import (
    PSA_RULE,
    AgreementPartnerFactory,
    AgreementTargetFactory,
    LocalAreaAgreementFactory,
)

pytestmark = pytest.mark.django_db
LAAS = "/api/v1/efficiency/laa"


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


def body(**changes: Any) -> dict[str, Any]:
    target = {
        "indicator": "recycling-rate",
        "baseline": "25",
        "baseline_period": "2007/08",
        "stretch": "30",
        "target_year": 2010,
        "reward_max": "100000.00",
    }
    values = {
        "authority": LAMBETH,
        "start_year": 2008,
        "end_year": 2010,
        "title": "Lambeth local area agreement 2008-11",
        "signed_on": "2008-06-30",
        "reward_rule": PSA_RULE,
        "partners": [{"kind": "police", "name": "Metropolitan Police Service"}],
        "targets": [target],
    }
    return {**values, **changes}


def post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(LAAS, json.dumps(data), content_type="application/json")


def test_an_officer_makes_an_agreement_for_their_own_council_and_gets_its_progress() -> None:
    response = post(signed_in(f"officer:{LAMBETH}"), body())
    assert response.status_code == 201
    made = response.json()
    assert made["authority"] == LAMBETH and made["partners"][0]["kind"] == "police"
    # Lambeth's stored recycling rate: 28% in 2010/11, 60% of the way from 25% to 30%.
    (target,) = made["targets"]
    assert (target["status"], target["latest_value"], target["latest_period"]) == (
        "missed",
        28.0,
        "2010/11",
    )
    assert target["share"] == "0.6" and target["expected_reward"] == "60000.00"
    assert (made["reward_max"], made["expected_reward"]) == ("100000.00", "60000.00")
    stored = LocalAreaAgreement.objects.get(pk=made["id"])
    assert stored.created_by is not None and not stored.illustrative
    # The audit log has the agreement, its partner and its target, each by the API's caller.
    written = AuditEntry.objects.filter(via="api", username=stored.created_by.username)
    assert {"efficiency.localareaagreement", "efficiency.agreementpartner"} <= set(
        written.values_list("model", flat=True)
    )
    assert written.filter(model="efficiency.agreementtarget", action="create").exists()


def test_an_officer_of_another_council_is_refused_and_nothing_is_written() -> None:
    assert post(signed_in(f"officer:{SOUTHWARK}"), body()).status_code == 403
    assert post(signed_in("board"), body()).status_code == 403
    # Who is asking is checked before what they send: no 422 to one who may not write.
    assert post(signed_in(), {"nonsense": True}).status_code == 403
    assert post(Client(), body()).status_code == 401
    assert not LocalAreaAgreement.objects.filter(authority__code=LAMBETH).exists()


def with_target(**changes: Any) -> dict[str, Any]:
    return body(targets=[{**body()["targets"][0], **changes}])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (body(authority="E09999999"), "authority"),
        (body(end_year=2007), "end_year"),
        (body(start_year=1990), "start_year"),
        (body(reward_rule="by-the-hour"), "reward_rule"),
        (body(title=""), "title"),
        (body(title="Nul\x00"), "title"),
        (body(signed_on="30/06/2008"), "signed_on"),
        (body(partners=[{"kind": "church", "name": "St Mary's"}]), "kind"),
        (with_target(indicator="no-such-indicator"), "targets[0].indicator"),
        (with_target(target_year=2011), "targets[0].target_year"),
        (with_target(stretch="20"), "targets[0].stretch"),
        (with_target(reward_max="-5"), "reward_max"),
        (with_target(reward_max="10.001"), "reward_max"),
        (with_target(baseline="lots"), "baseline"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(data: dict[str, Any], field: str) -> None:
    response = post(signed_in("analyst"), data)
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not LocalAreaAgreement.objects.filter(authority__code=LAMBETH).exists()


def test_a_second_agreement_for_the_same_start_is_refused_by_its_start_year() -> None:
    client = signed_in("analyst")
    assert post(client, body()).status_code == 201
    again = post(client, body())
    assert again.status_code == 422 and "start_year" in again.json()["detail"]
    assert LocalAreaAgreement.objects.filter(authority__code=LAMBETH).count() == 1


def test_agreements_are_read_with_the_pages_permissions() -> None:
    lambeth = AgreementTargetFactory().agreement
    AgreementPartnerFactory(agreement=lambeth)
    camden = LocalAreaAgreementFactory(authority=AuthorityFactory(code=CAMDEN))
    board = signed_in("board").get(LAAS).json()
    assert {r["id"] for r in board["results"]} >= {lambeth.pk, camden.pk}
    own = signed_in(f"officer:{LAMBETH}")
    mine = own.get(LAAS).json()
    assert [r["id"] for r in mine["results"]] == [lambeth.pk] and mine["count"] == 1
    assert own.get(f"{LAAS}/{camden.pk}").status_code == 403
    assert signed_in(f"officer:{SOUTHWARK}").get(f"{LAAS}/{lambeth.pk}").status_code == 403
    assert signed_in().get(LAAS).status_code == 403
    assert Client().get(LAAS).status_code == 401
    assert signed_in("analyst").get(f"{LAAS}/999999999").status_code == 404


def test_one_agreement_has_its_targets_progress_and_the_list_filters_by_authority() -> None:
    lambeth = AgreementTargetFactory(stretch="27").agreement
    LocalAreaAgreementFactory(authority=AuthorityFactory(code=CAMDEN))
    client = signed_in("analyst")
    one = client.get(f"{LAAS}/{lambeth.pk}").json()
    (target,) = one["targets"]
    assert target["status"] == "achieved" and target["expected_reward"] == "100000.00"
    assert target["forecast"] is None and target["level"] == 0.8
    only = client.get(LAAS, {"authority": CAMDEN.lower()}).json()
    assert {r["authority"] for r in only["results"]} == {CAMDEN}
    paged = client.get(LAAS, {"limit": 1}).json()
    assert paged["limit"] == 1 and len(paged["results"]) == 1 and paged["count"] >= 2
