"""The partnership-wide pack: every member on one page, with its stars and direction, what
it gave and took, and how many questions its own pack raises."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.urls import reverse  # type: ignore[import-untyped]

from ambition.registry.models import Authority
from ambition.support.bookkeeping import members

from .build import Basis, build_pack
from .charts import Chart, balance_spec, drawn
from .exchange import LedgerLine
from .performance import RunInfo, run_info

HEADLINE_KIND = "staff-days"  # the kind the table and chart lead with


@dataclass(frozen=True)
class MemberRow:
    authority: Authority
    stars: int | None
    stars_text: str
    direction: str
    lines: tuple[LedgerLine, ...]
    questions: int
    url: str

    @property
    def headline(self) -> LedgerLine | None:
        return next((line for line in self.lines if line.kind == HEADLINE_KIND), None)


@dataclass(frozen=True)
class PartnershipPack:
    year: int
    year_label: str
    made: datetime.date
    run: RunInfo | None
    rows: tuple[MemberRow, ...]
    chart: Chart | None

    @property
    def questions(self) -> int:
        return sum(r.questions for r in self.rows)

    @property
    def kinds(self) -> tuple[LedgerLine, ...]:
        """The first member's lines: the kinds and units every row has, in order."""
        return self.rows[0].lines if self.rows else ()


def member_row(authority: Authority, basis: Basis) -> MemberRow:
    pack = build_pack(authority, basis, chart=False)
    p = pack.performance
    return MemberRow(
        authority=authority,
        stars=p.stars if p else None,
        stars_text=p.stars_text if p else "not assessed",
        direction=p.direction if p else "",
        lines=pack.give_take.lines,
        questions=len(pack.questions),
        url=reverse("reports-pack", args=[authority.code]) + f"?year={basis.year.year}",
    )


def balance_chart(rows: tuple[MemberRow, ...]) -> Chart | None:
    lines = [(r.authority.name, r.headline) for r in rows if r.headline is not None]
    if not lines:
        return None
    unit = lines[0][1].unit
    spec = balance_spec([{"name": n, "balance": line.balance} for n, line in lines], unit)
    return drawn(spec, f"Each member's balance of staff given and taken, in {unit}")


def with_kinds_used(rows: tuple[MemberRow, ...]) -> tuple[MemberRow, ...]:
    """Only the kinds some member gave or took (staff days always), so the page fits."""
    used = {HEADLINE_KIND} | {line.kind for r in rows for line in r.lines if line.gave or line.took}
    return tuple(
        replace(r, lines=tuple(line for line in r.lines if line.kind in used)) for r in rows
    )


def build_partnership(basis: Basis, chart: bool = True) -> PartnershipPack:
    rows = with_kinds_used(tuple(member_row(a, basis) for a in members(basis.year.year)))
    return PartnershipPack(
        year=basis.year.year,
        year_label=basis.year_label,
        made=basis.today,
        run=run_info(basis.run) if basis.run else None,
        rows=rows,
        chart=balance_chart(rows) if chart else None,
    )
