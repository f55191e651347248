"""The efficiency API: progress and returns read with the pages' permissions; a council's
own systems submit a return for their own council only; bad input is a 422 naming the
field, and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ambition.efficiency.demo import load_demo
from ambition.efficiency.models import SavingsReturn

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH, SOUTHWARK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]
RETURNS = "/api/v1/efficiency/returns"


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


def body(**changes: Any) -> dict[str, Any]:
    line = {
        "workstream": "shared-services",
        "amount": "4500.10",
        "recurrence": "ongoing",
        "started": "2009-04-01",
        "description": "Shared legal service",
        "evidence": "Service agreement",
    }
    return {"authority": LAMBETH, "year": 2009, "lines": [line], **changes}


def post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(RETURNS, json.dumps(data), content_type="application/json")


def test_an_officer_submits_for_their_own_council_and_gets_the_flags_back() -> None:
    response = post(signed_in(f"officer:{LAMBETH}"), body())
    assert response.status_code == 201
    made = response.json()
    assert made["authority"] == LAMBETH and made["lines"][0]["amount"] == "4500.10"
    assert [f["kind"] for f in made["flags"]] == ["no-budget"]


def test_an_officer_of_another_council_is_refused_and_nothing_is_written() -> None:
    response = post(signed_in(f"officer:{SOUTHWARK}"), body())
    assert response.status_code == 403
    assert not SavingsReturn.objects.exists()
    assert post(signed_in("board"), body()).status_code == 403
    # Who is asking is checked before what they send: no 422 to one who may not write.
    assert post(signed_in(), {"nonsense": True}).status_code == 403


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"authority": "E09999999"}, "authority"),
        ({"year": 1990}, "year"),
        ({"year": 2099}, "year"),
        ({"lines": []}, "lines"),
        ({"lines": [{"workstream": "cake"}]}, "workstream"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(changes: dict[str, Any], field: str) -> None:
    response = post(signed_in("analyst"), body(**changes))
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not SavingsReturn.objects.exists()


def test_a_bad_amount_or_end_is_named() -> None:
    client = signed_in("analyst")
    for change, field in (
        ({"amount": "-1"}, "amount"),
        ({"ends": "2009-01-01"}, "ends"),
        # PostgreSQL cannot hold a NUL in text: refused by the schema, never a server error.
        ({"evidence": "minutes\x00of the cabinet"}, "evidence"),
    ):
        line = {**body()["lines"][0], **change}
        response = post(client, body(lines=[line]))
        assert response.status_code == 422 and field in json.dumps(response.json())


def test_progress_and_returns_read_with_the_pages_permissions() -> None:
    load_demo()
    progress = signed_in("board").get("/api/v1/efficiency/progress?year=2008")
    assert progress.status_code == 200
    lambeth = next(m for m in progress.json()["members"] if m["code"] == LAMBETH)
    assert lambeth["accepted"] == "3490000.00" and lambeth["illustrative"] is True
    own = signed_in(f"officer:{LAMBETH}").get(RETURNS).json()
    assert own["count"] >= 1 and {r["authority"] for r in own["results"]} == {LAMBETH}
    everyone = signed_in("analyst").get(RETURNS + "?year=2008").json()
    assert {r["authority"] for r in everyone["results"]} > {LAMBETH, SOUTHWARK}
    assert Client().get(RETURNS).status_code == 401
    assert signed_in().get("/api/v1/efficiency/progress").status_code == 403
