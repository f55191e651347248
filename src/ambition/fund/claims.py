"""Back-fill and incentive claims: submitted for the claimant authority, approved or refused
by the performance office, then paid. Approval never takes a budget's commitments past its
amount: the budget's row is locked for the check and the decision (fund.budgeting.locked)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import budgeting
from .models import Budget, Claim, ClaimState


class ClaimError(ValueError):
    """A decision the claim's state, or the budget, does not allow."""


class BudgetExceeded(ClaimError):
    pass


def acting(user: Any) -> Any:
    """The person to record as having acted: None for a command or an anonymous caller."""
    return user if getattr(user, "is_authenticated", False) else None


def submit(
    claimant: Any, budget: Budget, amount: Decimal, description: str, user: Any = None
) -> Claim:
    return Claim.objects.create(
        claimant=claimant,
        budget=budget,
        amount=amount,
        description=description,
        submitted_by=acting(user),
    )


def _locked(claim: Claim, state: str) -> Claim:
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if current.state != state:
        raise ClaimError(f"The claim is {current.get_state_display().lower()}, not {state}")
    return current


@transaction.atomic
def approve(claim: Claim, user: Any, reason: str = "") -> Claim:
    """Approve a submitted claim if its budget still has room for it."""
    budget = budgeting.locked(claim.budget_id)  # the budget first, then the claim
    current = _locked(claim, ClaimState.SUBMITTED)
    room = budgeting.remaining(budget)
    if current.amount > room:
        raise BudgetExceeded(
            f"The claim of £{current.amount:,.2f} is more than the £{room:,.2f} left on "
            f"{budget.name}"
        )
    return _decide(current, ClaimState.APPROVED, user, reason)


@transaction.atomic
def refuse(claim: Claim, user: Any, reason: str) -> Claim:
    if not reason.strip():
        raise ClaimError("A refusal says why")
    return _decide(_locked(claim, ClaimState.SUBMITTED), ClaimState.REFUSED, user, reason)


def _decide(claim: Claim, state: str, user: Any, reason: str) -> Claim:
    claim.state = state
    claim.decided_by = acting(user)
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    return claim


@transaction.atomic
def pay(claim: Claim, day: datetime.date | None = None) -> Claim:
    """Record an approved claim paid. The caller's transaction holds it: peer support
    writes the ledger entry in the same one (support.money.pay)."""
    current = _locked(claim, ClaimState.APPROVED)
    current.state = ClaimState.PAID
    current.paid_on = day or timezone.localdate()
    current.save(update_fields=["state", "paid_on"])
    return current
