"""A grant's tranche paid through the fund is in the ledger as a grant the lead council took,
in the same transaction: a payment the fund refuses leaves no entry."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ambition.fund import awards
from ambition.support.models import LedgerEntry
from tests.fund.grants import awarded, evidenced, improvement_budget
from tests.registry.factories import LAMBETH

pytestmark = pytest.mark.django_db


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
