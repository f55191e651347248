"""The give-and-take ledger's bookkeeping: what each member of the partnership gave and
took, per kind and financial year, and against the partnership's averages. Entries are
written here, by what caused them (a secondment delivered, a review reported, a claim paid)
or by the performance office; they are never changed, only reversed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum

from ambition.indicators.membership import members, members_in
from ambition.registry.models import Authority

from .models import Direction, LedgerEntry, LedgerKind, LedgerSource

__all__ = [
    "UNITS",
    "LedgerKind",
    "Position",
    "Source",
    "averages",
    "entries_of",
    "give_and_take",
    "members",
    "members_in",
    "position_of",
    "positions",
    "record_shared",
    "reverse",
]

UNITS: dict[str, str] = {
    LedgerKind.STAFF_DAYS: "days",
    LedgerKind.BACKFILL: "GBP",
    LedgerKind.GRANT: "GBP",
    LedgerKind.CASE_STUDY: "items",
    LedgerKind.IP: "items",
}
# Totals to the penny (or the hundredth of a day), the same on SQLite and PostgreSQL.
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _zeros() -> dict[str, Decimal]:
    return {kind: ZERO for kind in LedgerKind.values}


@dataclass(frozen=True)
class Position:
    """One authority's give and take in one year: every kind present, zero where none."""

    authority: Authority
    year: int
    gave: dict[str, Decimal]
    took: dict[str, Decimal]

    def balance(self, kind: str) -> Decimal:
        return self.gave[kind] - self.took[kind]


def _totals(year: int, **filters: Any) -> dict[int, dict[str, dict[str, Decimal]]]:
    """authority id -> direction -> kind -> total, in one query."""
    rows = (
        LedgerEntry.objects.in_year(year)
        .filter(**filters)
        .values("authority_id", "direction", "kind")
        .annotate(total=Sum("amount"))
    )
    out: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(
        lambda: {Direction.GAVE: _zeros(), Direction.TOOK: _zeros()}
    )
    for row in rows:
        out[row["authority_id"]][row["direction"]][row["kind"]] = Decimal(row["total"]).quantize(
            CENT
        )
    return out


def _position(authority: Authority, year: int, totals: dict[str, dict[str, Decimal]]) -> Position:
    return Position(authority, year, totals[Direction.GAVE], totals[Direction.TOOK])


def positions(year: int) -> list[Position]:
    """Every partnership member's position in the year, by name."""
    totals = _totals(year)
    return [_position(a, year, totals[a.pk]) for a in members(year)]


def position_of(authority: Authority, year: int) -> Position:
    totals = _totals(year, authority=authority)
    return _position(authority, year, totals[authority.pk])


def averages(year: int) -> dict[str, tuple[Decimal, Decimal]]:
    """kind -> (mean gave, mean took) over the members, members with nothing counting zero,
    to two decimal places."""
    every = positions(year)
    count = Decimal(len(every) or 1)

    def mean(values: list[Decimal]) -> Decimal:
        return (sum(values, ZERO) / count).quantize(CENT)

    return {
        kind: (mean([p.gave[kind] for p in every]), mean([p.took[kind] for p in every]))
        for kind in LedgerKind.values
    }


def entries_of(authority: Authority, year: int) -> QuerySet[LedgerEntry]:
    """The authority's entries in the year, newest first."""
    return (
        LedgerEntry.objects.in_year(year)
        .of(authority)
        .select_related("counterparty", "entered_by")
        .order_by("-date", "-id")
    )


@dataclass(frozen=True)
class Source:
    """What wrote an entry: a secondment, review or claim (with its id), or the office."""

    kind: str
    id: int | None = None


@transaction.atomic
def give_and_take(
    giver: Authority,
    taker: Authority,
    kind: str,
    amount: Decimal,
    day: datetime.date,
    description: str,
    source: Source,
    user: Any = None,
) -> tuple[LedgerEntry, LedgerEntry]:
    """Both sides of one contribution: the giver gave, the taker took, each naming the other."""
    common = {
        "kind": kind,
        "amount": amount,
        "date": day,
        "description": description,
        "source": source.kind,
        "source_id": source.id,
        "entered_by": user if getattr(user, "is_authenticated", False) else None,
    }
    gave = LedgerEntry.objects.create(
        authority=giver, counterparty=taker, direction=Direction.GAVE, **common
    )
    took = LedgerEntry.objects.create(
        authority=taker, counterparty=giver, direction=Direction.TOOK, **common
    )
    return gave, took


def record_shared(
    authority: Authority,
    kind: str,
    count: int,
    day: datetime.date,
    description: str,
    user: Any,
    counterparty: Authority | None = None,
    source: Source | None = None,
) -> list[LedgerEntry]:
    """A case study or intellectual property an authority shared, recorded by the office
    (or, given its `source`, by what shared it: a case study published in the knowledge
    hub): with a counterparty, both sides; without, the giver's side only."""
    if kind not in (LedgerKind.CASE_STUDY, LedgerKind.IP):
        raise ValueError("Only case studies and intellectual property are recorded this way")
    source = source or Source(LedgerSource.MANUAL)
    if counterparty is not None:
        return list(
            give_and_take(
                authority, counterparty, kind, Decimal(count), day, description, source, user
            )
        )
    entry = LedgerEntry.objects.create(
        authority=authority,
        kind=kind,
        direction=Direction.GAVE,
        amount=Decimal(count),
        date=day,
        description=description,
        source=source.kind,
        source_id=source.id,
        entered_by=user if getattr(user, "is_authenticated", False) else None,
    )
    return [entry]


def reverse(entry: LedgerEntry, reason: str, user: Any) -> LedgerEntry:
    """The correction of an entry: the same amount negated, naming it and saying why."""
    if not reason.strip():
        raise ValueError("A reversing entry says why")
    return LedgerEntry.objects.create(
        authority=entry.authority,
        counterparty=entry.counterparty,
        kind=entry.kind,
        direction=entry.direction,
        amount=-entry.amount,
        date=entry.date,
        description=f"Reversal: {entry.description}"[:300],
        source=entry.source,
        source_id=entry.source_id,
        reverses=entry,
        reason=reason,
        entered_by=user if getattr(user, "is_authenticated", False) else None,
    )
