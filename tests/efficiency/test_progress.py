"""Progress to the penny: an authority's target, claims and accepted NI 179 savings, the
partnership's totals against the sum of targets, and by workstream and year."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from ambition.efficiency import progress, submission
from ambition.efficiency.models import ReturnState
from ambition.registry.models import Authority

from ..accounts.factories import UserFactory
from ..registry.factories import LAMBETH, SOUTHWARK
from .factories import NetBudgetFactory, SavingsLineFactory, SavingsReturnFactory, line

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]


def test_the_target_is_three_per_cent_of_the_latest_budget_to_the_penny() -> None:
    NetBudgetFactory(amount=Decimal("250000000.00"))
    NetBudgetFactory(amount=Decimal("123456789.17"), revision=2)
    summary = progress.authority_summary(Authority.objects.get(code=LAMBETH), 2008)
    # 3% of £123,456,789.17 is £3,703,703.6751: to the penny, half up.
    assert summary.budget == Decimal("123456789.17")
    assert summary.target == Decimal("3703703.68")


@override_settings(EFFICIENCY_TARGET_SHARE=Decimal("0.025"))
def test_the_share_is_a_setting() -> None:
    NetBudgetFactory(amount=Decimal("100000000.00"))
    summary = progress.authority_summary(Authority.objects.get(code=LAMBETH), 2008)
    assert summary.target == Decimal("2500000.00")


def test_only_accepted_cash_releasing_ongoing_unflagged_lines_count() -> None:
    NetBudgetFactory()
    accepted = SavingsReturnFactory(state=ReturnState.ACCEPTED)
    SavingsLineFactory(savings_return=accepted, amount=Decimal("1000000.01"))
    SavingsLineFactory(savings_return=accepted, amount=Decimal("2.00"), recurrence="one-off")
    SavingsLineFactory(savings_return=accepted, amount=Decimal("3.00"), cash_releasing=False)
    SavingsLineFactory(savings_return=accepted, amount=Decimal("4.00"), workstream="back-office")
    waiting = SavingsReturnFactory(state=ReturnState.SUBMITTED)
    SavingsLineFactory(savings_return=waiting, amount=Decimal("5.00"))
    gone = SavingsReturnFactory(state=ReturnState.WITHDRAWN)
    SavingsLineFactory(savings_return=gone, amount=Decimal("6.00"))
    s = progress.authority_summary(Authority.objects.get(code=LAMBETH), 2008)
    assert s.claimed == Decimal("1000014.01")
    assert s.accepted == Decimal("1000004.01")
    assert s.flagged == Decimal("0.00")
    streams = {w.workstream: (w.claimed, w.accepted) for w in s.by_workstream}
    assert streams["procurement"] == (Decimal("1000010.01"), Decimal("1000000.01"))
    assert streams["back-office"] == (Decimal("4.00"), Decimal("4.00"))
    assert s.target == Decimal("9000000.00") and s.met is False
    assert s.to_go == Decimal("7999995.99")


def test_an_upheld_flag_stops_a_line_counting_and_an_accepted_one_does_not() -> None:
    NetBudgetFactory(amount=Decimal("10000000.00"))
    office = UserFactory(roles=["analyst"])
    lambeth = Authority.objects.get(code=LAMBETH)
    made = submission.submit(
        lambeth,
        2008,
        [
            line(amount=Decimal("100.10"), description="Rebate from the landlord"),
            line(
                amount=Decimal("200.20"),
                description="Shared legal service",
                started=datetime.date(2008, 7, 1),
            ),
        ],
    )
    (flag,) = made.flags.all()
    before = progress.authority_summary(lambeth, 2008)
    assert (before.accepted, before.flagged) == (Decimal("0.00"), Decimal("100.10"))
    submission.decide(flag, office, accept=False, reason="A rebate does not recur")
    after = progress.authority_summary(lambeth, 2008)
    assert (after.accepted, after.flagged) == (Decimal("200.20"), Decimal("0.00"))


def test_the_partnership_adds_up_its_members_to_the_penny() -> None:
    NetBudgetFactory(amount=Decimal("100000000.01"))
    NetBudgetFactory(authority__code=SOUTHWARK, amount=Decimal("200000000.02"))
    for code, amount in ((LAMBETH, "10.05"), (SOUTHWARK, "20.07")):
        r = SavingsReturnFactory(authority__code=code, state=ReturnState.ACCEPTED)
        SavingsLineFactory(savings_return=r, amount=Decimal(amount))
    p = progress.partnership_progress(2008)
    members = {s.code: s for s in p.members}
    assert len(members) >= 33 and LAMBETH in members
    assert members[LAMBETH].target == Decimal("3000000.00")
    assert members[SOUTHWARK].target == Decimal("6000000.00")
    assert p.target == Decimal("9000000.00")
    assert p.accepted == Decimal("30.12") == p.claimed
    assert LAMBETH not in p.without_budget and "E09000001" in p.without_budget
    rows = progress.by_workstream_and_year([2008])
    procurement = next(r for r in rows if r.workstream == "procurement")
    assert (procurement.year, procurement.accepted) == (2008, Decimal("30.12"))
