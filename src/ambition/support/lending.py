"""Secondments: recording one (with its secondee, personal data, in their own row),
recording it delivered (which writes the staff days to the ledger) and the back-fill
claimed and paid for it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ambition.fund.models import COMMITTED, Claim, ClaimState, claims_scope
from ambition.registry.models import Authority

from .bookkeeping import Source, give_and_take
from .models import (
    LedgerEntry,
    LedgerKind,
    LedgerSource,
    Match,
    Secondee,
    Secondment,
    SupportRequest,
)


class SecondmentError(ValueError):
    pass


@dataclass(frozen=True)
class Terms:
    """What a secondment is: who lends whom to whom, as what, when and for how many days."""

    person: str
    from_authority: Authority
    to_authority: Authority
    role: str
    start: datetime.date
    end: datetime.date
    days: Decimal
    match: Match | None = None
    request: SupportRequest | None = None


@transaction.atomic
def record_secondment(terms: Terms, user: Any = None) -> Secondment:
    if terms.from_authority.pk == terms.to_authority.pk:
        raise SecondmentError("A secondment is from one authority to another")
    if terms.end < terms.start:
        raise SecondmentError("A secondment ends after it starts")
    secondment = Secondment.objects.create(
        from_authority=terms.from_authority,
        to_authority=terms.to_authority,
        role=terms.role,
        start=terms.start,
        end=terms.end,
        days=terms.days,
        match=terms.match,
        request=terms.request,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    Secondee.private_objects.create(secondment=secondment, name=terms.person)
    return secondment


@transaction.atomic
def record_delivered(
    secondment: Secondment, user: Any = None, day: datetime.date | None = None
) -> list[LedgerEntry]:
    """The secondment happened: the lender gave its days, the host took them. Once."""
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if secondment.delivered_on is not None:
        raise SecondmentError(f"Already recorded as delivered on {secondment.delivered_on}")
    secondment.delivered_on = day or min(secondment.end, timezone.localdate())
    secondment.save(update_fields=["delivered_on"])
    entries = give_and_take(
        secondment.from_authority,
        secondment.to_authority,
        LedgerKind.STAFF_DAYS,
        Decimal(secondment.days),
        secondment.delivered_on,
        f"Secondment of a {secondment.role} to {secondment.to_authority}",
        Source(LedgerSource.SECONDMENT, secondment.pk),
        user,
    )
    return list(entries)


def backfill(secondment: Secondment, user: Any) -> tuple[Decimal, Decimal] | None:
    """(claimed, paid) of the claims this person may see, as on each claim's own page:
    every claim not refused, and those paid. None for someone who may not see the
    lender's claims (the lender claims a secondment's back-fill): a total of nothing
    would read as "none claimed"."""
    scope = claims_scope(user)
    if scope is not None and secondment.from_authority_id not in scope:
        return None
    seen = Claim.objects.visible_to(user).filter(cause__secondment=secondment)
    claims = seen.exclude(state=ClaimState.REFUSED)
    claimed = claims.aggregate(total=Sum("amount"))["total"] or 0
    paid = claims.filter(state=ClaimState.PAID).aggregate(total=Sum("amount"))["total"] or 0
    return Decimal(claimed), Decimal(paid)


def committed(secondment: Secondment) -> Decimal:
    total = Claim.objects.filter(cause__secondment=secondment, state__in=COMMITTED).aggregate(
        total=Sum("amount")
    )["total"]
    return Decimal(total or 0)
