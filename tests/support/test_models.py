"""Peer support's data: the database refuses impossible requests and matches, a match is
decided once and never edited, declined pairs are found in one query, officers write for
their own authority only, and the people an offer names are seen only by the performance
office and the two parties."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from ambition.assessment.making import make_run
from ambition.assessment.models import RunArea
from ambition.registry.models import Authority
from ambition.support.models import (
    Match,
    OfferPerson,
    SupportKind,
)
from tests.accounts.factories import SUPPORT_ROLES, people_in
from tests.registry.factories import CAMDEN, LAMBETH, SOUTHWARK
from tests.support.factories import (
    START,
    MatchFactory,
    OfferPersonFactory,
    SupportOfferFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


@pytest.fixture
def people() -> dict[str, Any]:
    return people_in({**SUPPORT_ROLES, "administrator": "administrator"})


def visible_names(user: Any) -> set[str]:
    return set(OfferPerson.private_objects.visible_to(user).values_list("name", flat=True))


@pytest.mark.parametrize(
    "fields",
    [
        {"staff_days": 0},
        {"window_end": START - datetime.timedelta(days=1)},
    ],
)
def test_the_database_refuses_a_request_for_no_days_or_a_backwards_window(
    fields: dict[str, Any],
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRequestFactory(authority__code=LAMBETH, **fields)


def test_a_request_prompted_by_a_weak_area_names_its_run_and_its_own_authority() -> None:
    run = make_run("ambition-default", datetime.date(2021, 12, 31))
    weak = RunArea.objects.get(run=run, authority__code=SOUTHWARK, area__code="adult-social-care")
    assert weak.weak  # the shipped data: Southwark's adult social care, end of 2021
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRequestFactory(authority__code=SOUTHWARK, prompted_by_area=weak)
    good = SupportRequestFactory(
        authority__code=SOUTHWARK, prompted_by_run=run, prompted_by_area=weak
    )
    good.full_clean()
    with pytest.raises(ValidationError, match="another authority"):
        SupportRequestFactory(
            authority__code=LAMBETH, prompted_by_run=run, prompted_by_area=weak
        ).full_clean()


def test_an_offer_is_one_row_per_authority_area_kind_and_year() -> None:
    SupportOfferFactory(authority__code=SOUTHWARK)
    SupportOfferFactory(authority__code=SOUTHWARK, service_area__code="health")
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportOfferFactory(authority__code=SOUTHWARK)


def test_a_match_is_decided_once_by_whom_and_when(people: dict[str, Any]) -> None:
    match = MatchFactory(request__authority__code=LAMBETH, supporter__code=SOUTHWARK)
    assert match.decide(people["lambeth"], accept=False)
    assert not match.decide(people["analyst"], accept=True)
    stored = Match.objects.get(pk=match.pk)
    assert stored.state == Match.State.DECLINED
    assert stored.decided_by == people["lambeth"] and stored.decided_at is not None


def test_a_match_and_a_broker_run_are_never_edited() -> None:
    match = MatchFactory(request__authority__code=LAMBETH, supporter__code=SOUTHWARK)
    match.days = 99
    with pytest.raises(ValueError, match="never changed"):
        match.save()
    with pytest.raises(ValueError, match="never changed"):
        match.broker_run.save()
    assert Match.objects.get(pk=match.pk).days == 10


def test_the_database_refuses_a_decision_without_its_time_and_a_pair_twice_in_a_run() -> None:
    request = SupportRequestFactory(authority__code=LAMBETH)
    match = MatchFactory(request=request, supporter__code=SOUTHWARK)
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.filter(pk=match.pk).update(state=Match.State.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchFactory(request=request, supporter__code=SOUTHWARK, broker_run=match.broker_run)


def test_declined_pairs_and_past_relationships_come_from_one_query_each(
    people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    lambeth, camden = (
        SupportRequestFactory(authority__code=LAMBETH),
        SupportRequestFactory(authority__code=CAMDEN),
    )
    MatchFactory(request=lambeth, supporter__code=SOUTHWARK).decide(people["lambeth"], accept=False)
    MatchFactory(request=lambeth, supporter__code=CAMDEN)
    MatchFactory(request=camden, supporter__code=LAMBETH).decide(people["camden"], accept=True)
    MatchFactory(
        request=SupportRequestFactory(authority__code=LAMBETH, kind=SupportKind.PEER_REVIEW),
        supporter__code=CAMDEN,
    ).decide(None, True)
    with django_assert_num_queries(1):
        declined = Match.objects.declined_pairs()
    with django_assert_num_queries(1):
        relationships = Match.objects.relationships()
    assert declined == {(lambeth.pk, authority(SOUTHWARK).pk)}
    pair = frozenset({authority(LAMBETH).pk, authority(CAMDEN).pk})
    assert relationships == {pair: 2}  # help went both ways; both count


def test_officers_ask_and_offer_for_their_own_authority_and_the_office_for_all(
    people: dict[str, Any],
) -> None:
    lambeth, southwark = authority(LAMBETH), authority(SOUTHWARK)
    for perm in ("support.add_supportrequest", "support.change_supportoffer"):
        assert people["lambeth"].has_perm(perm, lambeth)
        assert not people["lambeth"].has_perm(perm, southwark)
        assert people["analyst"].has_perm(perm, southwark)
        assert not people["board"].has_perm(perm, lambeth)
    named = OfferPersonFactory(offer__authority__code=SOUTHWARK, name="A", role="B")
    assert people["southwark"].has_perm("support.change_offerperson", named)
    assert not people["lambeth"].has_perm("support.change_offerperson", named)
    assert not people["lambeth"].has_perm("support.add_brokerrun")
    assert people["analyst"].has_perm("support.add_brokerrun")


def test_offered_people_are_seen_by_the_office_and_the_two_parties_only(
    people: dict[str, Any],
) -> None:
    offer = SupportOfferFactory(authority__code=SOUTHWARK)
    OfferPersonFactory(
        offer=offer, name="Ada Okafor", role="Head of reablement", expertise="Hospital discharge"
    )
    OfferPersonFactory(
        offer__authority__code=SOUTHWARK,
        offer__service_area__code="health",
        name="Ben Ruiz",
        role="Public health consultant",
    )
    both = {"Ada Okafor", "Ben Ruiz"}
    assert visible_names(people["analyst"]) == visible_names(people["southwark"]) == both
    for outsider in ("lambeth", "camden", "board"):
        assert visible_names(people[outsider]) == set()
    assert visible_names(None) == set()

    match = MatchFactory(request__authority__code=LAMBETH, supporter__code=SOUTHWARK)
    # Lambeth is now a party, for the people of the area it asked about, not the others.
    assert visible_names(people["lambeth"]) == {"Ada Okafor"}
    assert visible_names(people["camden"]) == set()
    match.decide(people["lambeth"], accept=False)
    assert visible_names(people["lambeth"]) == set()


def test_the_admin_lists_offered_people_to_the_office(people: dict[str, Any]) -> None:
    OfferPersonFactory(offer__authority__code=SOUTHWARK, name="Ada Okafor", role="X")
    client = Client()
    client.force_login(people["analyst"])
    response = client.get("/admin/support/offerperson/")
    assert response.status_code == 200
    assert "Ada Okafor" in response.content.decode()
    assert client.get("/admin/support/match/").status_code == 200
