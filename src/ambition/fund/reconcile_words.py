"""What does not tie, in words: for `ambition fund-reconcile` and the reconciliation page
alike (the engine, ambition.fund.reconcile, returns codes and amounts only)."""

from __future__ import annotations

from decimal import Decimal

from .reconcile import Problem

SAYS = {
    "amount_is_not_awarded_plus_variations": "its amount is not what was awarded plus its "
    "variations",
    "paid_over_award": "paid more than the award",
    "returned_over_paid": "more returned than was paid",
    "paid_to_date_out_of_step": "its running total of payments is not the sum of its payments",
    "returned_to_date_out_of_step": "its running total of returns is not the sum of its returns",
    "not_pounds_and_pence": "a sum that is not whole pence, or negative",
    "award_outside_budgets": "an award on a budget outside the books",
    "committed_over_budget": "committed more than the budget",
    "variations_do_not_tie": "the variations' total is not the awards' variations",
    "payments_do_not_tie": "the payments' total is not the awards' payments",
    "returns_do_not_tie": "the returns' total is not the awards' returns",
}


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def words(problem: Problem) -> str:
    """`award 12, budget 3: paid more than the award (£100.01 against £100.00)`."""
    where = [f"award {problem.award_id}"] if problem.award_id is not None else []
    if problem.budget_id is not None:
        where.append(f"budget {problem.budget_id}")
    said = SAYS.get(problem.code, problem.code.replace("_", " "))
    place = ", ".join(where) or "the whole fund"
    return f"{place}: {said} ({money(problem.amount)} against {money(problem.limit)})"
