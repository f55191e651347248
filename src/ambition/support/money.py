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
from ambition.fund.models import Award, Budget, Claim

from .models import (
    ClaimCause,
    Direction,
    LedgerEntry,
    LedgerKind,
    LedgerSource,
    ReviewTeamMember,
    Secondment,
)

__all__ = [
    "BudgetExceeded",
    "ClaimError",
    "LedgerOutOfStep",
    "approve",
    "claim",
    "pay",
    "record_grant_paid",
    "record_grant_returned",
    "refuse",
]


class LedgerOutOfStep(ValueError):
    """The ledger holds less of an award's grant than the fund says came back: raised
    inside the return's transaction, so the return is not made either."""


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


def record_grant_returned(sender: Any, returned: Any, **kwargs: Any) -> list[LedgerEntry]:
    """Grant money that came back (fund.signals.grant_returned, inside the return's
    transaction, which holds the award's lock): the lead's grant entries for the award are
    reversed, newest first, as far as the return reaches. Each is reversed whole, as every
    ledger correction is (one reversal per entry), and the part of the last one that the
    council keeps is entered again, so a later return has an entry to reverse. All are dated
    the day the money came back: the year it came back shows it, earlier years stand."""
    owed, made = Decimal(returned.amount), []
    for entry in _grant_entries_kept(returned.award):
        if owed <= 0:
            break
        made.append(_reversal(entry, returned))
        if entry.amount > owed:
            made.append(_kept(entry, entry.amount - owed, returned))
        owed -= entry.amount
    if owed > 0:
        raise LedgerOutOfStep(
            f"The ledger holds £{owed:,.2f} less of {returned.award} than came back"
        )
    return made


def _grant_entries_kept(award: Award) -> list[LedgerEntry]:
    """The lead's grant entries for the award's payments that nothing has reversed."""
    return list(
        LedgerEntry.objects.filter(
            source=LedgerSource.GRANT,
            source_id__in=award.payments.values("pk"),
            authority_id=award.authority_id,
            amount__gt=0,
            reversed_by__isnull=True,
        ).order_by("-date", "-id")
    )


def _reversal(entry: LedgerEntry, returned: Any) -> LedgerEntry:
    """The whole entry reversed, naming the return's kind and saying its reason."""
    return LedgerEntry.objects.create(
        authority_id=entry.authority_id,
        counterparty=None,
        kind=entry.kind,
        direction=entry.direction,
        amount=-entry.amount,
        date=returned.returned_on,
        description=f"{returned.get_kind_display()}: {returned.award}"[:300],
        source=entry.source,
        source_id=entry.source_id,
        reverses=entry,
        reason=returned.reason,
        entered_by=returned.by,
    )


def _kept(entry: LedgerEntry, amount: Decimal, returned: Any) -> LedgerEntry:
    """What the council keeps of a reversed entry, entered again under the same payment."""
    return LedgerEntry.objects.create(
        authority_id=entry.authority_id,
        counterparty=None,
        kind=entry.kind,
        direction=entry.direction,
        amount=amount,
        date=returned.returned_on,
        description=f"Grant kept after a return: {returned.award}"[:300],
        source=entry.source,
        source_id=entry.source_id,
        entered_by=returned.by,
    )
