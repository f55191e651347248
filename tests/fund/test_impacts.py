"""The impact glue on the shipped observations: an award's target indicators, its lead
council's nearest neighbours as comparators (less any council funded on the same
indicator), and the award's date on the observations' decimal-year scale."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ambition.fund import applications
from ambition.fund.impacts import award_impacts, comparators, funded_elsewhere, impacts_of
from ambition.fund.models import Award
from ambition.indicators.models import Indicator, Observation
from ambition.indicators.periods import decimal_year

from ..registry.factories import AuthorityFactory
from .grants import SCORES, improvement_budget

pytestmark = pytest.mark.django_db
HOUSING = "ons-net-additions-housing-stock"  # every English council, 2002 to 2025
BARKING = "E09000002"


def award(
    lead: str, day: datetime.date, partners: tuple[str, ...] = (), name: str = "Impact"
) -> Award:
    """An award made through the engine, targeting the housing indicator."""
    made = applications.create(
        AuthorityFactory(code=lead),
        improvement_budget(amount="1000000", name=name),
        "Homes",
        "More homes",
        None,
        Decimal(1000),
        partners=[AuthorityFactory(code=code) for code in partners],
    )
    applications.add_target(made, Indicator.objects.get(code=HOUSING), Decimal(100), by_date=day)
    applications.add_milestone(made, "Built", day, Decimal(1000))
    for partner in made.partners.all():
        applications.confirm_partner(made, partner.authority, None)
    applications.submit(made, None)
    applications.appraise(made, None, SCORES)
    applications.decide(made, None, "approved", day=day)
    return Award.objects.get(application=made)


def mean_before(code: str, day: datetime.date, periods: int = 2) -> float:
    """The mean of the council's last `periods` values ending on or before `day`, read
    straight from the store."""
    values = (
        Observation.public_objects.latest_revision()
        .filter(authority__code=code, indicator__code=HOUSING, period__end__lte=day)
        .order_by("-period__end")
        .values_list("value", flat=True)[:periods]
    )
    return sum(float(v) for v in values) / periods


def test_an_award_of_2006_is_measured_against_its_nearest_neighbours() -> None:
    day = datetime.date(2006, 11, 23)
    found = award_impacts(award(BARKING, day))
    assert len(found) == 1
    impact = found[0].impact
    assert impact.status == "estimated" and found[0].indicator.code == HOUSING
    assert 5 <= impact.comparators <= 15
    assert impact.treated_before == pytest.approx(mean_before(BARKING, day))
    assert impact.lower is not None and impact.upper is not None
    assert impact.lower <= impact.estimate <= impact.upper  # type: ignore[operator]


def test_an_award_after_the_last_figures_is_too_early() -> None:
    found = award_impacts(award(BARKING, datetime.date(2025, 1, 10)))
    assert found[0].impact.status == "too early"
    assert found[0].impact.estimate is None


def test_a_neighbour_funded_on_the_same_indicator_is_no_comparator() -> None:
    day = datetime.date(2006, 11, 23)
    first = award(BARKING, day)
    before = award_impacts(first)[0].impact.comparators
    peers = comparators({BARKING})["peer"].to_list()
    rival = next(
        code
        for code in peers
        if code.startswith("E09") and mean_before(code, datetime.date(2009, 12, 31)) > 0
    )
    award(rival, datetime.date(2012, 1, 1), name="Rival")
    assert award_impacts(first)[0].impact.comparators == before - 1


def test_a_joint_bids_partners_are_funded_too() -> None:
    peers = comparators({BARKING})["peer"].to_list()
    partner = next(code for code in peers if code.startswith("E09"))
    award(BARKING, datetime.date(2006, 11, 23), partners=(partner,))
    shut = set(funded_elsewhere({HOUSING}).iter_rows())
    assert {(BARKING, HOUSING), (partner, HOUSING)} <= shut


def test_awards_with_no_target_have_no_impact_and_the_time_scale_is_the_stores() -> None:
    assert impacts_of([]) == {}
    assert decimal_year(datetime.date(2006, 11, 23)) == pytest.approx(2006.89, abs=0.01)
