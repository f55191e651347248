"""Asking, offering and deciding through the pages and the API, as the parties would: from a
scorecard's weak area one click to a filled-in request; an officer acts for their own
authority only, and a refusal changes nothing."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from ambition.accounts.tokens import issue_token
from ambition.assessment.making import make_run
from ambition.assessment.models import RunArea
from ambition.registry.models import Authority
from ambition.support import demo
from ambition.support.matching import match_support
from ambition.support.models import Match, OfferPerson, SupportOffer, SupportRequest
from tests.accounts.factories import UserFactory
from tests.registry.factories import LAMBETH, SOUTHWARK

TODAY = datetime.date.today()
BRENT = "E09000005"

pytestmark = pytest.mark.django_db


def signed_in(*roles: str) -> Client:
    client = Client()
    client.force_login(UserFactory(roles=roles))
    return client


@pytest.fixture
def run(db: None) -> Any:
    return make_run("ambition-default", TODAY)


def lambeth_weak_area(run: Any) -> RunArea:
    found = RunArea.objects.filter(run=run, authority__code=LAMBETH, weak=True).first()
    assert found is not None, "Lambeth has a weak service area in the shipped data"
    return found


def test_the_scorecard_links_a_weak_area_to_a_filled_in_request(run: Any) -> None:
    officer = signed_in(f"officer:{LAMBETH}")
    page = officer.get(f"/assessment/authorities/{LAMBETH}/").content.decode()
    area = lambeth_weak_area(run)
    link = f"/support/requests/new/?run={run.pk}&amp;area={area.pk}"
    assert link in page
    form = officer.get(link.replace("&amp;", "&")).content.decode()
    assert "weak service area" in form and f'value="{area.area_id}" selected' in form
    # Residents and other councils' officers see no such link.
    assert (
        "/support/requests/new/"
        not in Client().get(f"/assessment/authorities/{LAMBETH}/").content.decode()
    )
    brent = signed_in(f"officer:{BRENT}")
    assert link not in brent.get(f"/assessment/authorities/{LAMBETH}/").content.decode()


def request_form(area: RunArea, **extra: Any) -> dict[str, Any]:
    return {
        "authority": area.authority_id,
        "service_area": area.area_id,
        "kind": "peer-review",
        "problem": "Waiting lists have grown",
        "staff_days": "12",
        "window_start": "2026-06-01",
        "window_end": "2026-09-30",
        "preference": "neighbour",
        "avoid": [Authority.objects.get(code=BRENT).pk],
        "run": area.run_id,
        "area": area.pk,
        **extra,
    }


def test_an_officer_asks_for_support_from_the_weak_area(run: Any) -> None:
    area = lambeth_weak_area(run)
    response = signed_in(f"officer:{LAMBETH}").post("/support/requests/new/", request_form(area))
    made = SupportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/support/requests/{made.pk}/"
    assert made.prompted_by_area == area and made.prompted_by_run_id == run.pk
    assert list(made.avoid.values_list("code", flat=True)) == [BRENT]


def test_a_bad_request_says_what_is_wrong_and_saves_nothing(run: Any) -> None:
    area = lambeth_weak_area(run)
    bad = request_form(area, window_end="2026-05-01", staff_days="0")
    response = signed_in(f"officer:{LAMBETH}").post("/support/requests/new/", bad)
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "on or after the first day" in page and "greater than or equal to 1" in page
    assert not SupportRequest.objects.exists()


def test_an_officer_cannot_ask_for_another_council_nor_borrow_its_weak_area(run: Any) -> None:
    area = lambeth_weak_area(run)
    brent = signed_in(f"officer:{BRENT}")
    # Lambeth is not among the authorities Brent's officer may choose.
    response = brent.post("/support/requests/new/", request_form(area))
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    own = request_form(area, authority=Authority.objects.get(code=BRENT).pk)
    response = brent.post("/support/requests/new/", own)
    assert "another authority" in response.content.decode()
    assert brent.get(f"/support/requests/new/?run={run.pk}&area={area.pk}").status_code == 403
    assert not SupportRequest.objects.exists()


def test_an_offer_with_a_person_whom_only_the_parties_and_the_office_see(run: Any) -> None:
    southwark = signed_in(f"officer:{SOUTHWARK}")
    area = lambeth_weak_area(run)
    response = southwark.post(
        "/support/offers/new/",
        {
            "authority": Authority.objects.get(code=SOUTHWARK).pk,
            "service_area": area.area_id,
            "kind": "peer-review",
            "staff_days": "20",
            "year": str(TODAY.year if TODAY.month >= 4 else TODAY.year - 1),
        },
    )
    offer = SupportOffer.objects.get()
    assert response["Location"] == f"/support/offers/{offer.pk}/"
    southwark.post(f"/support/offers/{offer.pk}/", {"name": "Ada Reviewer", "role": "AD"})
    assert OfferPerson.private_objects.filter(offer=offer).count() == 1
    lambeth = signed_in(f"officer:{LAMBETH}")
    assert "Ada Reviewer" not in lambeth.get(f"/support/offers/{offer.pk}/").content.decode()
    assert (
        lambeth.post(f"/support/offers/{offer.pk}/", {"name": "X", "role": "Y"}).status_code == 403
    )
    assert (
        "Ada Reviewer" in signed_in("analyst").get(f"/support/offers/{offer.pk}/").content.decode()
    )


@pytest.fixture
def proposals(run: Any) -> Any:
    make_run("ambition-default", datetime.date(2021, 12, 31))
    demo.load()
    return match_support(None, "command")


def test_the_office_runs_the_broker_from_its_page_and_reads_why(proposals: Any) -> None:
    analyst = signed_in("analyst")
    response = analyst.post("/support/broker/")
    newest = type(proposals).objects.order_by("-id").first()
    assert response["Location"] == f"/support/broker/{newest.pk}/"
    page = analyst.get(response["Location"]).content.decode()
    assert "Relevant experience" in page and "Best alternatives not chosen" in page
    assert "parts-chart" in page
    rows = json.loads(analyst.get(response["Location"] + "?format=json").content)["rows"]
    assert rows and {"experience", "similarity", "score"} <= set(rows[0])
    assert signed_in(f"officer:{LAMBETH}").post("/support/broker/").status_code == 403


def test_either_party_decides_once_and_others_may_not(proposals: Any) -> None:
    match = proposals.matches.filter(request__authority__code=LAMBETH).first()
    supporter = match.supporter.code
    outsider = signed_in(f"officer:{BRENT}")
    assert (
        outsider.post(f"/support/matches/{match.pk}/decide/", {"decision": "accept"}).status_code
        == 403
    )
    assert Match.objects.get(pk=match.pk).state == Match.State.PROPOSED
    helper = signed_in(f"officer:{supporter}")
    helper.post(f"/support/matches/{match.pk}/decide/", {"decision": "decline"})
    assert Match.objects.get(pk=match.pk).state == Match.State.DECLINED
    lambeth = signed_in(f"officer:{LAMBETH}")
    lambeth.post(f"/support/matches/{match.pk}/decide/", {"decision": "accept"})
    assert Match.objects.get(pk=match.pk).state == Match.State.DECLINED  # decided once


def test_the_api_lists_proposals_with_their_parts_for_partners_only(proposals: Any) -> None:
    analyst = UserFactory(roles=["analyst"])
    _, raw = issue_token(analyst, "script")
    response = Client().get(
        f"/api/v1/support/matches?authority={LAMBETH}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    body = response.json()
    assert response.status_code == 200 and body["run"] == proposals.pk and body["count"] > 0
    first = body["results"][0]
    assert LAMBETH in (first["requester"], first["supporter"])
    assert set(first["parts"]) == set(first["weights"])
    assert Client().get("/api/v1/support/matches").status_code == 401
    resident = Client()
    resident.force_login(UserFactory())
    assert resident.get("/api/v1/support/matches").status_code == 403


def test_the_overview_reads_a_fixed_number_of_queries_however_many_offers(
    proposals: Any, django_assert_max_num_queries: Any
) -> None:
    board = signed_in("board")
    assert SupportOffer.objects.count() >= 15
    with django_assert_max_num_queries(20):
        response = board.get("/support/")
    assert response.status_code == 200 and "Southwark" in response.content.decode()
