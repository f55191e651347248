"""Reconciling the fund to the penny: pure, over rows already aggregated by the database
(ambition.fund.books), so ten thousand awards take milliseconds.

Per award: its amount is what it was first awarded plus its variations; it has not paid
out more than that; nothing came back that was not paid; the running totals it keeps on its
own row (what pages read) are the sums of its payments and returns. Per budget: its commitments
(committed claims, plus awards net of returns) are within its amount. Overall: the totals
of the award rows tie to the totals taken straight from the payments, returns and
variations, so no payment, return or variation is outside an award the books know."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class BudgetRow:
    id: int
    name: str
    year: int
    amount: Decimal
    claims: Decimal  # approved and paid claims on it


@dataclass(frozen=True)
class AwardRow:
    id: int
    budget_id: int
    awarded: Decimal
    amount: Decimal
    varied: Decimal  # the sum of its variations' changes
    paid: Decimal
    returned: Decimal
    paid_to_date: Decimal  # the running totals the award's row keeps
    returned_to_date: Decimal


@dataclass(frozen=True)
class Totals:
    """The grand totals taken directly from their own tables, to tie the award rows to."""

    varied: Decimal = ZERO
    paid: Decimal = ZERO
    returned: Decimal = ZERO


@dataclass(frozen=True)
class Problem:
    """What does not tie: a code (`paid_over_award`, ...), where, and the two amounts that
    disagree (`amount` is what was found, `limit` what it should be within or equal to)."""

    code: str
    budget_id: int | None
    award_id: int | None
    amount: Decimal
    limit: Decimal


@dataclass(frozen=True)
class Line:
    """One budget's books, or (budget None) the whole fund's."""

    budget: BudgetRow | None
    amount: Decimal
    claims: Decimal
    awarded: Decimal
    paid: Decimal
    returned: Decimal

    @property
    def committed(self) -> Decimal:
        return self.claims + self.awarded - self.returned

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.committed

    @property
    def unpaid(self) -> Decimal:
        """Awarded and not yet paid."""
        return self.awarded - self.paid


@dataclass(frozen=True)
class Reconciliation:
    lines: tuple[Line, ...]
    overall: Line
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ties(self) -> bool:
        return not self.problems


def reconcile(
    budgets: Sequence[BudgetRow], awards: Iterable[AwardRow], totals: Totals
) -> Reconciliation:
    rows = list(awards)
    by_budget: dict[int, list[AwardRow]] = defaultdict(list)
    for award in rows:
        by_budget[award.budget_id].append(award)
    lines = tuple(_line(b, by_budget[b.id]) for b in budgets)
    problems = [p for award in rows for p in award_problems(award)]
    known = {b.id for b in budgets}
    problems += [
        Problem("award_outside_budgets", a.budget_id, a.id, a.amount, ZERO)
        for a in rows
        if a.budget_id not in known
    ]
    problems += [p for line in lines if (p := budget_problem(line))]
    problems += tie(rows, totals)
    return Reconciliation(lines, _overall(lines), tuple(problems))


def award_problems(award: AwardRow) -> list[Problem]:
    def problem(code: str, amount: Decimal, limit: Decimal) -> Problem:
        return Problem(code, award.budget_id, award.id, amount, limit)

    found = []
    if award.awarded + award.varied != award.amount:
        found.append(
            problem(
                "amount_is_not_awarded_plus_variations", award.amount, award.awarded + award.varied
            )
        )
    if award.paid > award.amount:
        found.append(problem("paid_over_award", award.paid, award.amount))
    if award.returned > award.paid:
        found.append(problem("returned_over_paid", award.returned, award.paid))
    if award.paid_to_date != award.paid:
        found.append(problem("paid_to_date_out_of_step", award.paid_to_date, award.paid))
    if award.returned_to_date != award.returned:
        found.append(
            problem("returned_to_date_out_of_step", award.returned_to_date, award.returned)
        )
    for money in (award.awarded, award.amount, award.paid, award.returned):
        if money != money.quantize(PENNY) or money < 0:
            found.append(problem("not_pounds_and_pence", money, money.quantize(PENNY)))
    return found


def budget_problem(line: Line) -> Problem | None:
    budget = line.budget
    if budget is None or line.committed <= line.amount:
        return None
    return Problem("committed_over_budget", budget.id, None, line.committed, line.amount)


def tie(rows: Sequence[AwardRow], totals: Totals) -> list[Problem]:
    """The award rows against the tables' own totals."""
    found = []
    for what, name in (("variations", "varied"), ("payments", "paid"), ("returns", "returned")):
        in_rows = sum((getattr(a, name) for a in rows), ZERO)
        if in_rows != getattr(totals, name):
            found.append(Problem(f"{what}_do_not_tie", None, None, in_rows, getattr(totals, name)))
    return found


def _line(budget: BudgetRow, awards: Sequence[AwardRow]) -> Line:
    return Line(
        budget,
        budget.amount,
        budget.claims,
        sum((a.amount for a in awards), ZERO),
        sum((a.paid for a in awards), ZERO),
        sum((a.returned for a in awards), ZERO),
    )


def _overall(lines: Sequence[Line]) -> Line:
    def total(name: str) -> Decimal:
        return sum((getattr(line, name) for line in lines), ZERO)

    return Line(
        None, total("amount"), total("claims"), total("awarded"), total("paid"), total("returned")
    )
