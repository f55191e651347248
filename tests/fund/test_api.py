"""The fund's API: budgets and applications read by the partnership, awards and their impact
by anyone; a council's own systems make an application and submit a milestone's evidence for
their own council only; bad input is a 422 naming the field, with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from ambition.fund import demo
from ambition.fund.models import Application, MilestoneEvidence
from ambition.indicators.models import Indicator

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH, SOUTHWARK
from .grants import awarded, improvement_budget

pytestmark = pytest.mark.django_db
APPLICATIONS = "/api/v1/fund/applications"


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def bid(budget_id: int, **changes: Any) -> dict[str, Any]:
    indicator = Indicator.objects.order_by("code").first()
    assert indicator is not None
    return {
        "lead": LAMBETH,
        "budget": budget_id,
        "title": "Shared legal",
        "purpose": "One legal service",
        "amount": "300.00",
        "targets": [{"indicator": indicator.code, "change": "2.5", "by_date": "2027-03-31"}],
        "milestones": [{"title": "Done", "due": "2026-06-01", "amount": "300.00"}],
        **changes,
    }


def test_an_officer_applies_for_their_own_council_and_submits() -> None:
    budget = improvement_budget()
    response = post(signed_in(f"officer:{LAMBETH}"), APPLICATIONS, bid(budget.pk, submit=True))
    assert response.status_code == 201
    made = response.json()
    assert made["lead"] == LAMBETH and made["state"] == "submitted"
    assert made["targets"][0]["change"] == "2.5000" and made["milestones"][0]["amount"] == "300.00"


def test_who_may_apply_is_checked_before_what_they_send() -> None:
    budget = improvement_budget()
    assert post(signed_in(f"officer:{SOUTHWARK}"), APPLICATIONS, bid(budget.pk)).status_code == 403
    assert post(signed_in("board"), APPLICATIONS, bid(budget.pk)).status_code == 403
    assert post(signed_in(), APPLICATIONS, {"nonsense": True}).status_code == 403
    assert post(Client(), APPLICATIONS, bid(budget.pk)).status_code == 401
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"lead": "E09999999"}, "lead"),
        ({"budget": 999999}, "budget"),
        ({"amount": "-1"}, "amount"),
        ({"service_area": "cake"}, "service_area"),
        ({"targets": [{"indicator": "cake", "change": "1", "by_date": "2027-03-31"}]}, "indicator"),
        ({"submit": True, "amount": "400.00"}, "milestones add up"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    changes: dict[str, Any], field: str
) -> None:
    budget = improvement_budget()
    response = post(signed_in("analyst"), APPLICATIONS, bid(budget.pk, **changes))
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not Application.objects.exists()


def test_budgets_and_applications_are_the_partnerships_awards_are_public() -> None:
    demo.load()
    assert signed_in("board").get("/api/v1/fund/budgets").status_code == 200
    assert signed_in().get("/api/v1/fund/budgets").status_code == 403
    assert Client().get("/api/v1/fund/budgets").status_code == 401
    assert signed_in().get(APPLICATIONS).status_code == 403
    listed = signed_in(f"officer:{SOUTHWARK}").get(APPLICATIONS + "?authority=E09000002").json()
    assert listed["count"] == 1 and listed["results"][0]["lead"] == "E09000002"
    awards = Client().get("/api/v1/fund/awards").json()
    assert awards["count"] == 5
    waltham = next(a for a in awards["results"] if a["lead"] == "E09000031")
    assert waltham["amount"] is None and waltham["paid"] == "0.00"
    barking = next(a for a in awards["results"] if a["lead"] == "E09000002")
    assert barking["amount"] == "250000.00" and barking["paid"] == "125000.00"


def test_an_awards_impact_is_public() -> None:
    award = awarded(improvement_budget())
    found = Client().get(f"/api/v1/fund/awards/{award.pk}/impact").json()
    assert len(found) == 1 and found[0]["status"] in ("estimated", "too early", "not enough data")
    assert Client().get("/api/v1/fund/awards/999999/impact").status_code == 404


def test_the_council_submits_a_milestones_evidence_for_its_own_award_only() -> None:
    award = awarded(improvement_budget())
    milestone = award.application.milestones.get()
    url = f"/api/v1/fund/awards/{award.pk}/milestones/{milestone.pk}/evidence"
    body = {"summary": "Service launched", "link": "https://example.org/report"}
    assert post(signed_in(f"officer:{SOUTHWARK}"), url, body).status_code == 403
    assert post(signed_in("board"), url, body).status_code == 403
    bad = post(signed_in(f"officer:{LAMBETH}"), url, {**body, "link": "javascript:x"})
    assert bad.status_code == 422 and "link" in json.dumps(bad.json())
    made = post(signed_in(f"officer:{LAMBETH}"), url, body)
    assert made.status_code == 201 and made.json()["state"] == "submitted"
    assert MilestoneEvidence.objects.get().summary == "Service launched"
