"""Back-fill and incentive claims, from peer support's side: a claim names what it was for
(a secondment, a review team member) and is paid through the fund, which holds its money,
budget and decision (fund.claims); paying one writes the claimant's ledger entry."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from ambition.fund.claims import BudgetExceeded, ClaimError, acting, approve, refuse, submit
from ambition.fund.claims import pay as pay_claim
from ambition.fund.models import Budget, Claim

from .models import (
    ClaimCause,
    Direction,
    LedgerEntry,
    LedgerKind,
    LedgerSource,
    ReviewTeamMember,
    Secondment,
)

__all__ = ["BudgetExceeded", "ClaimError", "approve", "claim", "pay", "refuse"]


@transaction.atomic
def claim(
    claimant: Any,
    budget: Budget,
    amount: Decimal,
    description: str,
    user: Any = None,
    secondment: Secondment | None = None,
    team_member: ReviewTeamMember | None = None,
) -> Claim:
    """A claim on a budget and what it was for, written together."""
    made = submit(claimant, budget, amount, description, user)
    ClaimCause.objects.create(claim=made, secondment=secondment, team_member=team_member)
    return made


@transaction.atomic
def pay(claim: Claim, user: Any, day: datetime.date | None = None) -> LedgerEntry:
    """Record an approved claim paid: the claimant took back-fill from the partnership."""
    paid = pay_claim(claim, day)
    return LedgerEntry.objects.create(
        authority=paid.claimant,
        counterparty=None,
        kind=LedgerKind.BACKFILL,
        direction=Direction.TOOK,
        amount=paid.amount,
        date=paid.paid_on,
        description=f"Back-fill paid from {paid.budget.name}",
        source=LedgerSource.CLAIM,
        source_id=paid.pk,
        entered_by=acting(user),
    )


def record_grant_paid(sender: Any, payment: Any, **kwargs: Any) -> LedgerEntry:
    """A grant's tranche paid (fund.signals.grant_paid, inside the payment's transaction):
    the award's lead authority took a grant from the partnership. A joint bid's grant is
    paid to, and recorded against, its lead."""
    award = payment.award
    return LedgerEntry.objects.create(
        authority_id=award.authority_id,
        counterparty=None,
        kind=LedgerKind.GRANT,
        direction=Direction.TOOK,
        amount=payment.amount,
        date=payment.paid_on,
        description=f"Grant paid: {award}"[:300],
        source=LedgerSource.GRANT,
        source_id=payment.pk,
        entered_by=payment.by,
    )
