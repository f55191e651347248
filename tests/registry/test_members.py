"""The partnership and its members, read one way: `Partnership.objects.current()` and
`Authority.objects.members(on=...)`. A council that leaves stops counting from the day it
left, and still counts before, in the assessment, the ledger, the review packs and the
broker alike."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from ambition.assessment.making import make_run
from ambition.assessment.models import RunRating
from ambition.registry.models import Authority, Membership, Partnership
from ambition.reports.pack import basis_for, build_partnership, is_member
from ambition.support import bookkeeping
from ambition.support.matching import gather, weights
from ambition.support.models import (
    LedgerKind,
    LedgerSource,
)
from tests.accounts.factories import UserFactory
from tests.registry.factories import LAMBETH, SOUTHWARK, MembershipFactory
from tests.support.factories import SupportOfferFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db
MEMBERS = 35
# Lambeth leaves on 1 June 2024, in the financial year 2024-25.
LEFT = datetime.date(2024, 6, 1)
BEFORE = LEFT - datetime.timedelta(days=1)


def lambeth() -> Authority:
    return Authority.objects.get(code=LAMBETH)


def membership() -> Membership:
    return Membership.objects.get(authority__code=LAMBETH, partnership__slug="capital-ambition")


@pytest.fixture
def lambeth_left(db: None) -> Membership:
    found = membership()
    found.left = LEFT
    found.save()
    return found


def codes(authorities: object) -> set[str]:
    return {a.code for a in authorities}  # type: ignore[attr-defined]


def test_the_current_partnership_is_the_one_the_setting_names() -> None:
    assert Partnership.objects.current().slug == settings.PARTNERSHIP_SLUG
    assert Authority.objects.members().count() == MEMBERS


def test_a_missing_partnership_says_which_and_has_no_members(settings: object) -> None:
    settings.PARTNERSHIP_SLUG = "no-such-partnership"  # type: ignore[attr-defined]
    with pytest.raises(Partnership.DoesNotExist, match="no-such-partnership"):
        Partnership.objects.current()
    assert not Authority.objects.members().exists()
    assert bookkeeping.members() == []
    assert Client().get("/").status_code == 404  # the partnership's page
    indicator = Client().get("/indicators/lait-agency-social-workers/?compare=members")
    assert indicator.status_code == 200  # compared with London instead
    with pytest.raises(CommandError, match="no-such-partnership"):
        call_command("backtest_warnings", stdout=io.StringIO())


def test_a_member_counts_from_the_day_it_joined_until_the_day_before_it_left() -> None:
    found = membership()
    found.joined, found.left = datetime.date(2020, 1, 1), LEFT
    found.save()
    assert LAMBETH not in codes(Authority.objects.members(on=datetime.date(2019, 12, 31)))
    assert LAMBETH in codes(Authority.objects.members(on=datetime.date(2020, 1, 1)))
    assert LAMBETH in codes(Authority.objects.members(on=BEFORE))
    assert LAMBETH not in codes(Authority.objects.members(on=LEFT))
    assert LAMBETH not in codes(Authority.objects.members())  # today
    spanning = Authority.objects.members(on=datetime.date(2019, 1, 1), until=LEFT)
    assert LAMBETH in codes(spanning) and spanning.count() == MEMBERS


def test_members_of_another_partnership_are_its_own() -> None:
    other = MembershipFactory(partnership__slug="south-london", authority=lambeth()).partnership
    assert codes(Authority.objects.members(partnership=other)) == {LAMBETH}
    assert Authority.objects.members().count() == MEMBERS


def test_an_assessment_counts_the_members_of_its_as_of_date(lambeth_left: Membership) -> None:
    before = make_run("ambition-default", BEFORE)
    after = make_run("ambition-default", LEFT)
    rated = RunRating.objects.filter(authority__code=LAMBETH)
    assert rated.filter(run=before).exists()
    assert not rated.filter(run=after).exists()
    assert RunRating.objects.filter(run=after).count() == MEMBERS - 1


def test_the_ledger_counts_a_member_in_every_year_it_belonged(
    lambeth_left: Membership,
) -> None:
    bookkeeping.give_and_take(
        Authority.objects.get(code=SOUTHWARK),
        lambeth(),
        LedgerKind.STAFF_DAYS,
        Decimal(10),
        datetime.date(2024, 4, 15),
        "staff on a review before Lambeth left",
        bookkeeping.Source(LedgerSource.MANUAL),
    )
    assert LAMBETH in codes(p.authority for p in bookkeeping.positions(2023))
    during = {p.authority.code: p for p in bookkeeping.positions(2024)}
    assert during[LAMBETH].took[LedgerKind.STAFF_DAYS] == Decimal(10)
    assert LAMBETH not in codes(p.authority for p in bookkeeping.positions(2025))
    assert len(bookkeeping.positions(2025)) == MEMBERS - 1


def test_a_member_that_left_on_the_first_day_of_a_year_has_no_place_in_it() -> None:
    found = membership()
    found.left = datetime.date(2025, 4, 1)
    found.save()
    assert LAMBETH in codes(bookkeeping.members(2024))
    assert LAMBETH not in codes(bookkeeping.members(2025))


def test_review_packs_are_for_the_years_a_member_belonged(lambeth_left: Membership) -> None:
    assert is_member(lambeth(), 2024) and not is_member(lambeth(), 2025)
    assert not is_member(lambeth())  # today
    rows = build_partnership(basis_for(2025), chart=False).rows
    assert LAMBETH not in codes(r.authority for r in rows) and len(rows) == MEMBERS - 1
    rows = build_partnership(basis_for(2024), chart=False).rows
    assert LAMBETH in codes(r.authority for r in rows)


def test_the_review_pack_page_is_refused_for_a_year_after_leaving(
    lambeth_left: Membership,
) -> None:
    board = Client()
    board.force_login(UserFactory(roles=["board"]))
    page = f"/reports/review-pack/{LAMBETH}/"
    assert board.get(page + "?year=2025").status_code == 404
    assert board.get(page + "?year=2024&format=csv").status_code == 200


def broker_round(today: datetime.date) -> tuple[set[str], set[str]]:
    """Who asks and who offers in a round of the broker on `today`."""
    inputs = gather(weights(), today, settings.SUPPORT_MAX_SHARE)
    asking = {r.authority for r in inputs.problem.requests}
    return asking, {o.supporter for o in inputs.problem.offers}


def test_the_broker_counts_only_the_members_of_the_round_s_day(lambeth_left: Membership) -> None:
    for asker, giver in ((LAMBETH, SOUTHWARK), (SOUTHWARK, LAMBETH)):
        SupportRequestFactory(
            authority__code=asker,
            staff_days=5,
            window_start=datetime.date(2024, 5, 1),
            window_end=datetime.date(2024, 12, 31),
        )
        SupportOfferFactory(authority__code=giver, staff_days=5, year=2024)
    assert broker_round(BEFORE) == ({LAMBETH, SOUTHWARK}, {LAMBETH, SOUTHWARK})
    assert broker_round(LEFT) == ({SOUTHWARK}, {SOUTHWARK})
