"""Progress against the savings target: each authority by year, the partnership's members
together against the sum of their targets, and the savings by workstream and year.

Three sums, every one to the penny:
- claimed: every line of the standing (not withdrawn) returns;
- accepted (NI 179): lines of accepted returns that are cash-releasing and ongoing, with no
  upheld flag on the line or its return;
- flagged: lines with an open flag on them or on their return.
The arithmetic (`summarise`, `add_up`) is pure; the functions around it read the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ambition.indicators.membership import members
from ambition.registry.models import Authority

from .models import (
    Flag,
    FlagState,
    NetBudget,
    Recurrence,
    ReturnState,
    SavingsLine,
    SavingsReturn,
    Workstream,
)
from .targets import target_for, target_share

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineFacts:
    authority_id: int
    year: int
    workstream: str
    amount: Decimal
    cash_releasing: bool
    recurrence: str
    return_state: str
    flags: tuple[str, ...] = ()  # states of the flags on the line and on its return
    illustrative: bool = False  # the return is the demo's invention

    @property
    def counts(self) -> bool:
        """Counted for NI 179: net, ongoing, cash-releasing, accepted and not upheld."""
        return (
            self.return_state == ReturnState.ACCEPTED
            and self.cash_releasing
            and self.recurrence == Recurrence.ONGOING
            and FlagState.UPHELD not in self.flags
            and FlagState.OPEN not in self.flags
        )

    @property
    def flagged(self) -> bool:
        return FlagState.OPEN in self.flags


@dataclass(frozen=True)
class WorkstreamTotal:
    workstream: str
    label: str
    claimed: Decimal
    accepted: Decimal


@dataclass(frozen=True)
class Summary:
    """One authority's year: what the review pack and the pages show."""

    code: str
    name: str
    year: int
    budget: Decimal | None
    illustrative: bool
    target: Decimal | None
    claimed: Decimal
    accepted: Decimal
    flagged: Decimal
    by_workstream: tuple[WorkstreamTotal, ...]

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.accepted >= self.target

    @property
    def to_go(self) -> Decimal | None:
        return None if self.target is None else max(self.target - self.accepted, ZERO)


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def workstreams(lines: Sequence[LineFacts]) -> tuple[WorkstreamTotal, ...]:
    return tuple(
        WorkstreamTotal(
            value,
            str(label),
            total(x.amount for x in lines if x.workstream == value),
            total(x.amount for x in lines if x.workstream == value and x.counts),
        )
        for value, label in Workstream.choices
    )


def summarise(
    authority: Authority,
    year: int,
    budget: NetBudget | None,
    lines: Sequence[LineFacts],
    share: Decimal,
) -> Summary:
    """One authority's year from its latest budget and its standing lines."""
    amount = budget.amount if budget else None
    return Summary(
        code=authority.code,
        name=authority.name,
        year=year,
        budget=amount,
        illustrative=bool(budget and budget.illustrative) or any(x.illustrative for x in lines),
        target=target_for(amount, share),
        claimed=total(x.amount for x in lines),
        accepted=total(x.amount for x in lines if x.counts),
        flagged=total(x.amount for x in lines if x.flagged),
        by_workstream=workstreams(lines),
    )


def line_facts(
    year: int | None = None, authority_ids: Iterable[int] | None = None
) -> list[LineFacts]:
    """Every line of the standing returns (of a year, of some authorities)."""
    lines = SavingsLine.objects.exclude(savings_return__state=ReturnState.WITHDRAWN)
    if year is not None:
        lines = lines.filter(savings_return__year=year)
    if authority_ids is not None:
        lines = lines.filter(savings_return__authority_id__in=list(authority_ids))
    rows = list(
        lines.values_list(
            "pk",
            "savings_return_id",
            "savings_return__authority_id",
            "savings_return__year",
            "workstream",
            "amount",
            "cash_releasing",
            "recurrence",
            "savings_return__state",
            "savings_return__illustrative",
        )
    )
    on_line, on_return = flag_states({r[1] for r in rows})
    return [
        LineFacts(a, y, w, amt, cash, rec, state, tuple(on_line[pk] + on_return[ret]), made_up)
        for pk, ret, a, y, w, amt, cash, rec, state, made_up in rows
    ]


def flag_states(return_ids: set[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    on_line: dict[int, list[str]] = defaultdict(list)
    on_return: dict[int, list[str]] = defaultdict(list)
    flags = Flag.objects.filter(savings_return_id__in=return_ids)
    for ret, line, state in flags.values_list("savings_return_id", "line_id", "state"):
        (on_return[ret] if line is None else on_line[line]).append(state)
    return on_line, on_return


def budgets_of(year: int, authority_ids: Iterable[int]) -> dict[int, NetBudget]:
    rows = NetBudget.objects.for_year(year).filter(authority_id__in=list(authority_ids))
    return {b.authority_id: b for b in rows.latest_revision()}


def authority_summary(authority: Authority, year: int) -> Summary:
    """One authority's target, claims, accepted NI 179 savings and flags in a year."""
    budget = budgets_of(year, [authority.pk]).get(authority.pk)
    return summarise(authority, year, budget, line_facts(year, [authority.pk]), target_share())


@dataclass(frozen=True)
class Partnership:
    year: int
    members: tuple[Summary, ...]
    target: Decimal  # the sum of the members' known targets
    claimed: Decimal
    accepted: Decimal
    flagged: Decimal
    without_budget: tuple[str, ...]  # ONS codes of members with no budget for the year
    illustrative: bool


def add_up(year: int, summaries: Sequence[Summary]) -> Partnership:
    return Partnership(
        year=year,
        members=tuple(summaries),
        target=total(s.target for s in summaries if s.target is not None),
        claimed=total(s.claimed for s in summaries),
        accepted=total(s.accepted for s in summaries),
        flagged=total(s.flagged for s in summaries),
        without_budget=tuple(s.code for s in summaries if s.budget is None),
        illustrative=any(s.illustrative for s in summaries),
    )


def partnership_progress(year: int) -> Partnership:
    in_year = members(year)
    ids = [m.pk for m in in_year]
    budgets, share = budgets_of(year, ids), target_share()
    by_member: dict[int, list[LineFacts]] = defaultdict(list)
    for line in line_facts(year, ids):
        by_member[line.authority_id].append(line)
    return add_up(
        year, [summarise(m, year, budgets.get(m.pk), by_member[m.pk], share) for m in in_year]
    )


@dataclass(frozen=True)
class YearWorkstream:
    year: int
    workstream: str
    label: str
    claimed: Decimal
    accepted: Decimal


def by_workstream_and_year(years: Iterable[int]) -> list[YearWorkstream]:
    """The members' savings by workstream, year by year."""
    rows = []
    for year in sorted(years):
        lines = line_facts(year, [m.pk for m in members(year)])
        rows += [
            YearWorkstream(year, w.workstream, w.label, w.claimed, w.accepted)
            for w in workstreams(lines)
        ]
    return rows


def years_with_figures() -> list[int]:
    """The years that have a budget or a return, newest first."""
    years = set(NetBudget.objects.values_list("year", flat=True))
    years |= set(SavingsReturn.objects.values_list("year", flat=True))
    return sorted(years, reverse=True)
