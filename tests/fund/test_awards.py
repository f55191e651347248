"""After the award: milestone evidence accepted or rejected, tranches paid never past the
award, variations never below what is paid nor past the budget, money returned never more
than was paid; and every payment announced to the ledger in its own transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from ambition.fund import awards, budgeting
from ambition.fund.awards import GrantError, OverAward, OverBudget
from ambition.fund.models import Award, Payment
from ambition.fund.signals import grant_paid
from ambition.support.models import LedgerEntry
from tests.accounts.factories import UserFactory

from .grants import appraised, awarded, evidenced, improvement_budget

db = pytest.mark.django_db


def milestones(award: Award) -> list[Any]:
    return list(award.application.milestones.order_by("due"))


@db
def test_a_tranche_is_paid_only_on_accepted_evidence_and_once() -> None:
    award = awarded(improvement_budget(), "300", tranches=3)
    first = milestones(award)[0]
    with pytest.raises(GrantError, match="No accepted evidence"):
        awards.pay(first, None)
    officer = UserFactory(roles=("officer:E09000022",))
    evidence = awards.submit_evidence(first, "Reviews done", officer, "https://example.org/r")
    with pytest.raises(GrantError, match="No accepted evidence"):
        awards.pay(first, None)
    office = UserFactory(roles=("analyst",))
    accepted = awards.accept_evidence(evidence, office)
    assert (accepted.reviewed_by, accepted.state) == (office, "accepted")
    payment = awards.pay(first, office, datetime.date(2026, 7, 1))
    assert (payment.amount, payment.by, payment.paid_on) == (
        Decimal(100),
        office,
        datetime.date(2026, 7, 1),
    )
    with pytest.raises(GrantError, match="already paid"):
        awards.pay(first, None)
    with pytest.raises(GrantError, match="already paid"):
        awards.submit_evidence(first, "Again", None)


@db
def test_rejected_evidence_says_why_and_is_reviewed_once() -> None:
    award = awarded(improvement_budget())
    evidence = awards.submit_evidence(milestones(award)[0], "Draft plan", None)
    with pytest.raises(GrantError, match="says why"):
        awards.reject_evidence(evidence, None, " ")
    awards.reject_evidence(evidence, None, "No sign-off")
    with pytest.raises(GrantError, match="already rejected"):
        awards.accept_evidence(evidence, None)


@db
def test_payments_never_pass_the_award() -> None:
    # Asked for 300 in three tranches of 100; the board gave 250.
    award = awarded(improvement_budget(), "300", tranches=3, grant="250")
    first, second, third = (evidenced(m) for m in milestones(award))
    awards.pay(first, None)
    awards.pay(second, None)
    with pytest.raises(OverAward, match=r"£100\.00 is more than the £50\.00 left to pay"):
        awards.pay(third, None)
    assert awards.pay(third, None, amount=Decimal(50)).amount == Decimal(50)
    assert awards.paid(award.pk) == award.amount


@db
def test_a_variation_never_goes_below_what_is_paid_nor_past_the_budget() -> None:
    budget = improvement_budget("1000")
    award = awarded(budget, "400", tranches=2)
    awards.pay(evidenced(milestones(award)[0]), None)
    with pytest.raises(OverAward, match=r"£199\.99 is less than the £200\.00 already paid"):
        awards.vary(award, Decimal("199.99"), "Less needed", None)
    with pytest.raises(OverBudget, match=r"£600\.01 is more than the £600\.00 left"):
        awards.vary(award, Decimal("1000.01"), "More needed", None)
    with pytest.raises(GrantError, match="says why"):
        awards.vary(award, Decimal(500), "", None)
    down = awards.vary(award, Decimal(250), "Scope reduced", None)
    up = awards.vary(award, Decimal(1000), "Extended to the whole borough", None)
    award.refresh_from_db()
    assert (down.change, up.change, award.amount, award.awarded) == (
        Decimal(-150),
        Decimal(750),
        Decimal(1000),
        Decimal(400),
    )
    assert budgeting.remaining(budget) == Decimal(0)


@db
def test_returns_never_exceed_what_was_paid_and_free_the_budget() -> None:
    budget = improvement_budget("300")
    award = awarded(budget, "300", tranches=3)
    awards.pay(evidenced(milestones(award)[0]), None)
    with pytest.raises(OverAward, match=r"£100\.01 is more than the £100\.00 paid"):
        awards.give_back(award, "clawback", Decimal("100.01"), "Not delivered", None)
    awards.give_back(award, "underspend", Decimal(60), "Cheaper than planned", None)
    assert budgeting.remaining(budget) == Decimal(60)
    with pytest.raises(OverAward, match=r"£40\.00 paid net of returns"):
        awards.give_back(award, "clawback", Decimal(41), "Not delivered", None)
    with pytest.raises(GrantError, match="says why"):
        awards.give_back(award, "clawback", Decimal(1), "", None)
    with pytest.raises(GrantError, match="'refund' is not a return"):
        awards.give_back(award, "refund", Decimal(1), "Why", None)


@db
def test_nothing_is_evidenced_or_paid_before_an_award() -> None:
    application = appraised(improvement_budget())
    step = application.milestones.get()
    with pytest.raises(GrantError, match="no award"):
        awards.submit_evidence(step, "Done early", None)
    with pytest.raises(GrantError, match="no award"):
        awards.pay(step, None)


@pytest.fixture
def heard() -> Iterator[list[Payment]]:
    payments: list[Payment] = []

    def receive(sender: object, payment: Payment, **kwargs: object) -> None:
        payments.append(payment)

    grant_paid.connect(receive, dispatch_uid="test-heard")
    yield payments
    grant_paid.disconnect(dispatch_uid="test-heard")


@db
def test_a_payment_is_announced_to_the_ledger(heard: list[Payment]) -> None:
    award = awarded(improvement_budget())
    payment = awards.pay(evidenced(milestones(award)[0]), None)
    assert heard == [payment]


@db
def test_the_ledger_records_what_the_lead_council_took() -> None:
    award = awarded(improvement_budget())
    payment = awards.pay(evidenced(milestones(award)[0]), None, datetime.date(2026, 7, 1))
    entry = LedgerEntry.objects.from_source("grant", payment.pk).get()
    assert (entry.authority_id, entry.direction, entry.kind) == (
        award.authority_id,
        "took",
        "grant",
    )
    assert (entry.amount, entry.date) == (Decimal(300), datetime.date(2026, 7, 1))


@db
def test_a_receiver_that_fails_undoes_the_payment() -> None:
    award = awarded(improvement_budget())
    first = evidenced(milestones(award)[0])

    def refuse(sender: object, payment: Payment, **kwargs: object) -> None:
        raise RuntimeError("the ledger is down")

    grant_paid.connect(refuse, dispatch_uid="test-refuse")
    try:
        with pytest.raises(RuntimeError):
            awards.pay(first, None)
    finally:
        grant_paid.disconnect(dispatch_uid="test-refuse")
    assert not Payment.objects.filter(award=award).exists()
