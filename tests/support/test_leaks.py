"""Data a viewer may not see, reached through a relation: another council's back-fill claims
through the secondment pages and their download, and offered people through a proposal that
is not for their offer, or that a newer broker run has replaced."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from ambition.support import money
from ambition.support.matching import Superseded, decide
from ambition.support.models import (
    Match,
    OfferPerson,
    SupportKind,
    SupportOffer,
    SupportRequest,
)
from tests.accounts.factories import SUPPORT_ROLES, people_in
from tests.registry.factories import CAMDEN, LAMBETH, SOUTHWARK
from tests.support.factories import (
    BackfillClaimFactory,
    BrokerRunFactory,
    MatchFactory,
    OfferPersonFactory,
    SecondmentFactory,
    SupportOfferFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db
CLAIMED = "4321.98"  # appears nowhere else in the demo data


@pytest.fixture
def people() -> dict[str, Any]:
    return people_in(SUPPORT_ROLES)


def client_of(who: Any) -> Client:
    client = Client()
    client.force_login(who)
    return client


def southwark_lends_to_camden() -> tuple[int, int]:
    """A secondment Southwark lends to Camden, and Southwark's back-fill claim for it, paid."""
    lent = SecondmentFactory(
        from_authority__code=SOUTHWARK,
        to_authority__code=CAMDEN,
        start=datetime.date(2026, 5, 1),
        end=datetime.date(2026, 6, 30),
        days=Decimal(10),
    )
    claim = BackfillClaimFactory(
        claimant__code=SOUTHWARK,
        budget__year=2026,
        budget__amount=Decimal(10000),
        amount=Decimal(CLAIMED),
        secondment=lent,
    )
    money.approve(claim, None)
    money.pay(claim, None)
    return lent.pk, claim.pk


def test_claims_through_secondments_follow_the_claim_pages_rule(people: dict[str, Any]) -> None:
    lent, claim = southwark_lends_to_camden()
    pages = [
        "/support/secondments/",
        "/support/secondments/?format=csv",
        "/support/secondments/?format=json",
        f"/support/secondments/{lent}/",
        f"/support/secondments/{lent}/?format=csv",
    ]
    for who, user in people.items():
        client = client_of(user)
        may = client.get(f"/support/claims/{claim}/").status_code == 200
        assert may == (who in ("southwark", "analyst", "board")), who
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            text = response.content.decode().replace(",", "")
            assert (CLAIMED in text) == may, (who, path)


def test_a_hidden_back_fill_says_so_rather_than_none_claimed(people: dict[str, Any]) -> None:
    lent, _ = southwark_lends_to_camden()
    text = client_of(people["lambeth"]).get(f"/support/secondments/{lent}/").content.decode()
    assert "seen only by the performance office, the board and the lending" in text
    assert "£0" not in text


def offer(kind: str, year: int = 2026, person: str = "") -> SupportOffer:
    made = SupportOfferFactory(authority__code=SOUTHWARK, kind=kind, staff_days=30, year=year)
    OfferPersonFactory(offer=made, name=person, role="Leak role")
    return made


def lambeth_asks(kind: str = SupportKind.MENTORING) -> SupportRequest:
    return SupportRequestFactory(
        authority__code=LAMBETH,
        kind=kind,
        staff_days=5,
        window_start=datetime.date(2026, 5, 1),
        window_end=datetime.date(2026, 9, 30),
    )


def proposed(request: SupportRequest) -> Match:
    return MatchFactory(request=request, supporter__code=SOUTHWARK, days=5)


def seen_by(user: Any) -> set[str]:
    return set(OfferPerson.private_objects.visible_to(user).values_list("name", flat=True))


def test_a_proposal_shows_the_people_of_its_own_offer_only(people: dict[str, Any]) -> None:
    mentors = offer(SupportKind.MENTORING, person="Ada Mentor")
    reviewers = offer(SupportKind.PEER_REVIEW, person="Ben Reviewer")
    last_year = offer(SupportKind.MENTORING, year=2024, person="Cy Last-Year")
    proposed(lambeth_asks(SupportKind.MENTORING))
    assert seen_by(people["lambeth"]) == {"Ada Mentor"}
    lambeth = client_of(people["lambeth"])
    assert "Ada Mentor" in lambeth.get(f"/support/offers/{mentors.pk}/").content.decode()
    for other in (reviewers, last_year):
        assert "Leak role" not in lambeth.get(f"/support/offers/{other.pk}/").content.decode()
    assert seen_by(people["camden"]) == set()


def test_a_newer_broker_run_ends_an_older_runs_undecided_proposals(
    people: dict[str, Any],
) -> None:
    offer(SupportKind.MENTORING, person="Ada Mentor")
    old = proposed(lambeth_asks())
    assert seen_by(people["lambeth"]) == {"Ada Mentor"}
    BrokerRunFactory()
    assert seen_by(people["lambeth"]) == set()
    assert not Match.objects.live().filter(pk=old.pk).exists()
    listed = client_of(people["lambeth"]).get(f"/api/v1/support/matches?run={old.broker_run_id}")
    assert [(m["id"], m["state"], m["live"]) for m in listed.json()["results"]] == [
        (old.pk, "proposed", False)
    ]
    with pytest.raises(Superseded):
        decide(old, people["lambeth"], accept=True)
    # What was accepted stays live whatever runs come after.
    kept = proposed(lambeth_asks())
    assert decide(kept, people["lambeth"], accept=True).changed
    BrokerRunFactory()
    assert seen_by(people["lambeth"]) == {"Ada Mentor"}
