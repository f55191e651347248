"""Sections (b) and (c) of the pack: what the member gave to and took from the partnership
in the year, beside the members' averages, and the support it received with its outcome.
The figures are the support app's ledger's; the pack only lays them side by side."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal

from ambition.registry.models import Authority
from ambition.support.bookkeeping import (
    UNITS,
    LedgerKind,
    Position,
    averages,
    position_of,
    positions,
)
from ambition.support.review_lifecycle import ReceivedSupport, received_by

from .charts import AVERAGE, Chart, drawn, give_take_spec

# A balance this many standard deviations below the members' mean is "far below" it.
FAR_BELOW_SDS = Decimal(1)


@dataclass(frozen=True)
class LedgerLine:
    kind: str
    label: str
    unit: str
    gave: Decimal
    took: Decimal
    mean_gave: Decimal
    mean_took: Decimal
    spread: Decimal  # standard deviation of the members' balances

    @property
    def balance(self) -> Decimal:
        return self.gave - self.took

    @property
    def mean_balance(self) -> Decimal:
        return self.mean_gave - self.mean_took

    @property
    def far_below(self) -> bool:
        return self.spread > 0 and self.balance < self.mean_balance - FAR_BELOW_SDS * self.spread


@dataclass(frozen=True)
class GiveTake:
    year: int
    lines: tuple[LedgerLine, ...]
    chart: Chart | None

    @property
    def any(self) -> bool:
        return any(line.gave or line.took for line in self.lines)


@dataclass(frozen=True)
class YearBasis:
    """What every member's pack for one year shares: computed once for a batch of packs."""

    year: int
    by_authority: dict[int, Position]
    means: dict[str, tuple[Decimal, Decimal]]
    spreads: dict[str, Decimal]


def year_basis(year: int) -> YearBasis:
    found = positions(year)
    spreads = {
        kind: _spread([p.balance(kind) for p in found]) for kind in (found[0].gave if found else {})
    }
    return YearBasis(year, {p.authority.pk: p for p in found}, averages(year), spreads)


def _spread(values: list[Decimal]) -> Decimal:
    return statistics.pstdev(values) if len(values) > 1 else Decimal(0)


def ledger_lines(position: Position, basis: YearBasis) -> tuple[LedgerLine, ...]:
    zero = (Decimal(0), Decimal(0))
    return tuple(
        LedgerLine(
            kind=kind,
            label=LedgerKind(kind).label,
            unit=UNITS.get(kind, ""),
            gave=position.gave[kind],
            took=position.took.get(kind, Decimal(0)),
            mean_gave=basis.means.get(kind, zero)[0],
            mean_took=basis.means.get(kind, zero)[1],
            spread=basis.spreads.get(kind, Decimal(0)),
        )
        for kind in position.gave
    )


def chart_rows(lines: tuple[LedgerLine, ...], name: str) -> list[dict[str, object]]:
    """The kinds anyone gave or took, each as four bars."""
    return [
        {"kind": f"{line.label} ({line.unit})", "what": what, "who": who, "value": value}
        for line in lines
        if line.mean_gave or line.mean_took
        for what, who, value in (
            ("Gave", name, line.gave),
            ("Gave", AVERAGE, line.mean_gave),
            ("Took", name, line.took),
            ("Took", AVERAGE, line.mean_took),
        )
    ]


def give_take_of(authority: Authority, basis: YearBasis, chart: bool = True) -> GiveTake:
    position = basis.by_authority.get(authority.pk) or position_of(authority, basis.year)
    lines = ledger_lines(position, basis)
    drawing = None
    if chart and any(line.gave or line.took for line in lines):
        spec = give_take_spec(chart_rows(lines, authority.name), authority.name)
        drawing = drawn(spec, f"What {authority.name} gave and took, against the average")
    return GiveTake(basis.year, lines, drawing)


def support_received(authority: Authority, year: int) -> tuple[ReceivedSupport, ...]:
    return tuple(received_by(authority, year))
