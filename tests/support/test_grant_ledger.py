"""A grant's tranche paid through the fund is in the ledger as a grant the lead council took,
in the same transaction: a payment the fund refuses leaves no entry. Money that comes back
(underspend returned, clawback) reverses as much of what the council took, in the year it
came back: a return the fund refuses leaves no entry either."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from ambition.fund import applications, awards
from ambition.fund.models import Award, Payment, Return
from ambition.registry.models import Authority
from ambition.support import bookkeeping
from ambition.support.models import LedgerEntry
from ambition.support.money import LedgerOutOfStep
from tests.fund.grants import SCORES, awarded, draft, evidenced, improvement_budget
from tests.registry.factories import LAMBETH, SOUTHWARK

pytestmark = pytest.mark.django_db
PAID_ON = datetime.date(2026, 7, 1)  # financial year 2026
CLAWED_ON = datetime.date(2027, 5, 1)  # financial year 2027


def grant_took(code: str, year: int | None = None) -> Decimal:
    """The council's net grant "took" in the ledger (in a year, or over all years)."""
    entries = LedgerEntry.objects.filter(authority__code=code, kind="grant", direction="took")
    if year is not None:
        entries = entries.in_year(year)
    return Decimal(entries.aggregate(total=Sum("amount"))["total"] or 0)


def paid_in_full(award: Award) -> Award:
    for milestone in award.application.milestones.order_by("due"):
        awards.pay(evidenced(milestone), None, PAID_ON)
    return award


def test_a_tranche_paid_is_a_grant_the_lead_council_took() -> None:
    award = awarded(improvement_budget("1000"), "300", tranches=2)
    first, second = award.application.milestones.order_by("due")
    payment = awards.pay(evidenced(first), None, datetime.date(2026, 7, 1))
    entry = LedgerEntry.objects.from_source("grant", payment.pk).get()
    assert (entry.authority.code, entry.kind, entry.direction) == (LAMBETH, "grant", "took")
    assert (entry.amount, entry.date, entry.year) == (Decimal("150.00"), payment.paid_on, 2026)
    with pytest.raises(awards.GrantError):
        awards.pay(second, None)  # no accepted evidence yet: nothing paid, nothing recorded
    assert LedgerEntry.objects.filter(source="grant").count() == 1


def test_a_paid_then_partly_clawed_back_award_nets_to_paid_less_returned() -> None:
    award = paid_in_full(awarded(improvement_budget("1000"), "300", tranches=2))
    awards.give_back(
        award, "clawback", Decimal("100.50"), "Second phase not delivered", None, CLAWED_ON
    )
    assert grant_took(LAMBETH) == Decimal("199.50")
    # The year it was paid stands; the year the money came back shows it coming back.
    assert (grant_took(LAMBETH, 2026), grant_took(LAMBETH, 2027)) == (
        Decimal("300.00"),
        Decimal("-100.50"),
    )
    lambeth = Authority.objects.get(code=LAMBETH)
    assert bookkeeping.position_of(lambeth, 2027).took["grant"] == Decimal("-100.50")
    reversal = LedgerEntry.objects.get(amount__lt=0)
    assert reversal.reverses is not None and reversal.reverses.amount == Decimal("150.00")
    assert (reversal.reason, reversal.date) == ("Second phase not delivered", CLAWED_ON)


def test_every_later_return_reverses_again_until_nothing_is_left() -> None:
    award = paid_in_full(awarded(improvement_budget("1000"), "300", tranches=1))
    for amount in ("60", "40", "200"):
        awards.give_back(award, "underspend", Decimal(amount), "Cheaper than planned", None)
        assert grant_took(LAMBETH) == Decimal(300) - sum(
            (r.amount for r in Return.objects.filter(award=award)), Decimal(0)
        )
    assert grant_took(LAMBETH) == Decimal(0)
    # Each entry is reversed at most once, and every reversal names the one it reverses.
    reversals = LedgerEntry.objects.filter(reverses__isnull=False)
    assert reversals.count() == 3 == len({r.reverses_id for r in reversals})


def test_a_refused_return_leaves_no_entry() -> None:
    award = paid_in_full(awarded(improvement_budget("1000"), "300", tranches=2))
    before = list(LedgerEntry.objects.values_list("pk", flat=True))
    with pytest.raises(awards.OverAward):
        awards.give_back(award, "clawback", Decimal("300.01"), "Not delivered", None)
    with pytest.raises(awards.GrantError):
        awards.give_back(award, "clawback", Decimal(10), " ", None)
    assert list(LedgerEntry.objects.values_list("pk", flat=True)) == before
    assert not Return.objects.exists() and grant_took(LAMBETH) == Decimal(300)


def test_a_joint_bids_grant_comes_back_from_its_lead_as_it_was_paid_to_it() -> None:
    made = draft(improvement_budget("1000"), "300", partners=(SOUTHWARK,))
    applications.confirm_partner(made, made.partners.get().authority, None)
    applications.submit(made, None)
    applications.appraise(made, None, SCORES)
    applications.decide(made, None, "approved")
    award = paid_in_full(Award.objects.get(application=made))
    awards.give_back(award, "underspend", Decimal(75), "Cheaper than planned", None, CLAWED_ON)
    assert (grant_took(LAMBETH), grant_took(SOUTHWARK)) == (Decimal(225), Decimal(0))


def test_a_return_the_ledger_cannot_cover_is_not_made() -> None:
    """A payment written past the engine (so with no ledger entry, its award's running total
    kept by hand) cannot be returned: the receiver raises inside the return's transaction,
    and the return goes with it."""
    award = awarded(improvement_budget("1000"), "300", tranches=1)
    Payment.objects.create(award=award, amount=Decimal(50), paid_on=PAID_ON, at=timezone.now())
    Award.objects.filter(pk=award.pk).update(paid_to_date=Decimal(50))
    with pytest.raises(LedgerOutOfStep, match=r"£20\.00 less"):
        awards.give_back(award, "clawback", Decimal(20), "Not delivered", None)
    assert not Return.objects.exists() and not LedgerEntry.objects.exists()
