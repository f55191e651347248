"""The review pack's money: the grants a member led with what was paid on them in the year,
and its savings against its target, read from the fund and the efficiency programme."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ambition.efficiency import submission
from ambition.fund import awards
from ambition.indicators.periods import financial_year
from ambition.registry.models import Authority
from ambition.reports.pack import basis_for, build_pack
from tests.efficiency.factories import NetBudgetFactory, line
from tests.fund.grants import awarded, evidenced, improvement_budget
from tests.registry.factories import LAMBETH

pytestmark = pytest.mark.django_db
# An award is decided today (the engine dates it), so the pack is of the current year.
THIS_YEAR = financial_year(datetime.date.today())


def test_the_pack_shows_grants_led_and_paid_in_the_year_and_savings_against_target() -> None:
    lambeth = Authority.objects.get(code=LAMBETH)
    award = awarded(improvement_budget("1000", year=THIS_YEAR), "300", tranches=2)
    first, second = award.application.milestones.order_by("due")
    awards.pay(evidenced(first), None, datetime.date(THIS_YEAR + 1, 1, 5))
    awards.pay(evidenced(second), None, datetime.date(THIS_YEAR + 1, 5, 1))  # the next year
    NetBudgetFactory(authority=lambeth, year=THIS_YEAR, amount=Decimal("100000000.00"))
    made = submission.submit(
        lambeth,
        THIS_YEAR,
        [line(amount=Decimal("2500000.00"), started=datetime.date(THIS_YEAR, 6, 1))],
    )
    submission.accept(made)
    pack = build_pack(
        lambeth, basis_for(THIS_YEAR, datetime.date(THIS_YEAR + 1, 3, 1)), chart=False
    )
    (grant,) = pack.grants
    assert (grant.amount, grant.paid_in_year, grant.paid_by_year_end) == (
        Decimal("300.00"),
        Decimal("150.00"),
        Decimal("150.00"),
    )
    savings = pack.savings
    assert savings is not None
    assert (savings.target, savings.accepted, savings.met) == (
        Decimal("3000000.00"),
        Decimal("2500000.00"),
        False,
    )
    later = build_pack(
        lambeth, basis_for(THIS_YEAR + 1, datetime.date(THIS_YEAR + 2, 1, 1)), chart=False
    )
    assert [(g.paid_in_year, g.paid_by_year_end) for g in later.grants] == [
        (Decimal("150.00"), Decimal("300.00"))
    ]
