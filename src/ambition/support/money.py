"""Back-fill and incentive claims: submitted by the claimant authority, approved or refused
by the performance office, then paid (which writes the ledger). Approval never takes a
budget line's approved and paid claims past its amount: the line's row is locked for the
check and the decision, so concurrent approvals queue behind one another."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from .models import (
    COMMITTED,
    BackfillClaim,
    BudgetLine,
    ClaimState,
    Direction,
    LedgerEntry,
    LedgerKind,
    LedgerSource,
)


class ClaimError(ValueError):
    """A decision the claim's state, or the budget, does not allow."""


class BudgetExceeded(ClaimError):
    pass


def _acting(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _locked(claim: BackfillClaim, state: str) -> BackfillClaim:
    current = BackfillClaim.objects.select_for_update().get(pk=claim.pk)
    if current.state != state:
        raise ClaimError(f"The claim is {current.get_state_display().lower()}, not {state}")
    return current


def _committed(line: BudgetLine) -> Decimal:
    claims = BackfillClaim.objects.filter(budget_line=line, state__in=COMMITTED)
    return Decimal(claims.aggregate(total=Sum("amount"))["total"] or 0)


@transaction.atomic
def approve(claim: BackfillClaim, user: Any, reason: str = "") -> BackfillClaim:
    """Approve a submitted claim if its budget line still has room for it."""
    # The line first: every approval on it waits here for the one before to commit.
    line = BudgetLine.objects.select_for_update().get(pk=claim.budget_line_id)
    current = _locked(claim, ClaimState.SUBMITTED)
    room = Decimal(line.amount) - _committed(line)
    if current.amount > room:
        raise BudgetExceeded(
            f"The claim of £{current.amount:,.2f} is more than the £{room:,.2f} left on {line.name}"
        )
    return _decide(current, ClaimState.APPROVED, user, reason)


@transaction.atomic
def refuse(claim: BackfillClaim, user: Any, reason: str) -> BackfillClaim:
    if not reason.strip():
        raise ClaimError("A refusal says why")
    return _decide(_locked(claim, ClaimState.SUBMITTED), ClaimState.REFUSED, user, reason)


def _decide(claim: BackfillClaim, state: str, user: Any, reason: str) -> BackfillClaim:
    claim.state = state
    claim.decided_by = _acting(user)
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    return claim


@transaction.atomic
def pay(claim: BackfillClaim, user: Any, day: datetime.date | None = None) -> LedgerEntry:
    """Record an approved claim paid: the claimant took back-fill from the partnership."""
    current = _locked(claim, ClaimState.APPROVED)
    current.state = ClaimState.PAID
    current.paid_on = day or timezone.localdate()
    current.save(update_fields=["state", "paid_on"])
    return LedgerEntry.objects.create(
        authority=current.claimant,
        counterparty=None,
        kind=LedgerKind.BACKFILL,
        direction=Direction.TOOK,
        amount=current.amount,
        date=current.paid_on,
        description=f"Back-fill paid from {current.budget_line.name}",
        source=LedgerSource.CLAIM,
        source_id=current.pk,
        entered_by=_acting(user),
    )
