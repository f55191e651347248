"""Reconciling the fund to the penny: the pure core over aggregated rows (properties), and
`ambition fund-reconcile` over the database, exiting non-zero naming what does not tie."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from ambition.fund import awards
from ambition.fund.models import Award, Budget, Payment, Return
from ambition.fund.reconcile import AwardRow, BudgetRow, Totals, reconcile

from .grants import awarded, evidenced, improvement_budget

PENCE = st.integers(0, 10_000_000).map(lambda p: Decimal(p) / 100)


@st.composite
def award_row(draw: st.DrawFn, id: int, budget_id: int) -> AwardRow:
    """An award kept as the engine keeps it: amount = awarded + variations >= paid >=
    returned."""
    awarded = draw(pence(1))
    amount = draw(pence())
    paid = draw(pence(most=amount))
    returned = draw(pence(most=paid))
    return AwardRow(
        id, budget_id, awarded, amount, amount - awarded, paid, returned, paid, returned
    )


def pence(least: int = 0, most: Decimal = Decimal(100_000)) -> st.SearchStrategy[Decimal]:
    return st.integers(least, int(most * 100)).map(lambda p: Decimal(p) / 100)


@st.composite
def books(draw: st.DrawFn) -> tuple[list[BudgetRow], list[AwardRow]]:
    awards_made: list[AwardRow] = []
    budgets = []
    for budget_id in range(1, draw(st.integers(1, 4)) + 1):
        rows = [
            draw(award_row(len(awards_made) + n, budget_id)) for n in range(draw(st.integers(0, 5)))
        ]
        awards_made += rows
        claims = draw(PENCE)
        needed = claims + sum((a.amount - a.returned for a in rows), Decimal(0))
        budgets.append(BudgetRow(budget_id, f"B{budget_id}", 2025, needed + draw(PENCE), claims))
    return budgets, awards_made


def totals_of(rows: list[AwardRow]) -> Totals:
    return Totals(
        sum((a.varied for a in rows), Decimal(0)),
        sum((a.paid for a in rows), Decimal(0)),
        sum((a.returned for a in rows), Decimal(0)),
    )


@given(books())
def test_books_kept_by_the_rules_tie_and_the_overall_line_adds_up(
    kept: tuple[list[BudgetRow], list[AwardRow]],
) -> None:
    budgets, rows = kept
    result = reconcile(budgets, rows, totals_of(rows))
    assert result.ties, result.problems
    assert result.overall.paid == sum((line.paid for line in result.lines), Decimal(0))
    assert result.overall.remaining == sum((line.remaining for line in result.lines), Decimal(0))
    assert all(line.remaining >= 0 for line in result.lines)


@given(books(), st.data())
def test_a_payment_past_its_award_is_named(
    kept: tuple[list[BudgetRow], list[AwardRow]], data: st.DataObject
) -> None:
    budgets, rows = kept
    if not rows:
        return
    n = data.draw(st.integers(0, len(rows) - 1))
    bad = rows[n]
    over = AwardRow(
        bad.id,
        bad.budget_id,
        bad.awarded,
        bad.amount,
        bad.varied,
        bad.amount + Decimal("0.01"),
        bad.returned,
        bad.amount + Decimal("0.01"),
        bad.returned,
    )
    rows = [*rows[:n], over, *rows[n + 1 :]]
    codes = [(p.code, p.award_id) for p in reconcile(budgets, rows, totals_of(rows)).problems]
    assert ("paid_over_award", bad.id) in codes


def money_row(id: int, budget_id: int, *money: int | str) -> AwardRow:
    """An award's row: awarded, amount, varied, paid, returned and the running totals."""
    return AwardRow(id, budget_id, *(Decimal(m) for m in money))


def test_each_kind_of_break_is_named_with_its_amounts() -> None:
    budget = BudgetRow(1, "B", 2025, Decimal(20), Decimal(10))
    rows = [
        money_row(1, 1, 50, 60, 5, 70, 80, 70, 80),
        money_row(2, 9, 1, 1, 0, 0, 0, 0, 0),
        # Payments that are not whole pence, and a running total out of step with them.
        money_row(3, 1, 40, 40, 0, "0.001", 0, 1, 0),
    ]
    found = reconcile([budget], rows, Totals(Decimal(5), Decimal(70), Decimal(80))).problems
    assert {(p.code, p.award_id, p.amount, p.limit) for p in found} == {
        ("amount_is_not_awarded_plus_variations", 1, Decimal(60), Decimal(55)),
        ("paid_over_award", 1, Decimal(70), Decimal(60)),
        ("returned_over_paid", 1, Decimal(80), Decimal(70)),
        ("award_outside_budgets", 2, Decimal(1), Decimal(0)),
        ("not_pounds_and_pence", 3, Decimal("0.001"), Decimal("0.00")),
        ("paid_to_date_out_of_step", 3, Decimal(1), Decimal("0.001")),
        ("committed_over_budget", None, Decimal(30), Decimal(20)),  # 10 + 100 - 80
        ("payments_do_not_tie", None, Decimal("70.001"), Decimal(70)),
    }


# The command, over the database: budgets of a year no other test or demo uses.
YEAR = 2031
DAY = datetime.date(2031, 6, 1)
NOW = datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC)
db = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("fund_reconcile", "--year", str(YEAR), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def paid_award(db: None) -> Award:
    award = awarded(improvement_budget("1000", name="Reconciled", year=YEAR), "400", tranches=2)
    awards.pay(evidenced(award.application.milestones.order_by("due")[0]), None)
    awards.give_back(award, "underspend", Decimal("50.25"), "Cheaper", None)
    awards.vary(award, Decimal(300), "Less needed", None)
    return award


def test_books_kept_by_the_engine_tie(paid_award: Award) -> None:
    printed = run()
    assert "Everything ties to the penny (1 budgets)" in printed
    assert "£1,000.00" in printed and "£200.00" in printed and "£50.25" in printed
    # 1,000 less (300 awarded - 50.25 returned)
    assert "£750.25" in printed


def test_a_payment_past_its_award_fails_naming_it(paid_award: Award) -> None:
    second = paid_award.application.milestones.order_by("due")[1]
    Payment.objects.create(
        award=paid_award, milestone=second, amount=Decimal("100.01"), paid_on=DAY, at=NOW
    )
    out = io.StringIO()
    # Written past the engine: over the award, and missing from its running total.
    with pytest.raises(CommandError, match="2 things do not tie") as failed:
        call_command("fund_reconcile", "--year", str(YEAR), stdout=out)
    assert failed.value.returncode == 1
    said = out.getvalue()
    assert f"award {paid_award.pk}, budget {paid_award.budget_id}: paid more than the award" in said
    assert "running total of payments is not the sum of its payments (£200.00 against £300.01)" in (
        said
    )


def test_the_engine_keeps_each_awards_running_totals(paid_award: Award) -> None:
    paid_award.refresh_from_db()
    assert (paid_award.paid_to_date, paid_award.returned_to_date) == (
        Decimal(200),
        Decimal("50.25"),
    )
    Award.objects.filter(pk=paid_award.pk).update(returned_to_date=Decimal("50.24"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 things do not tie"):
        call_command("fund_reconcile", "--year", str(YEAR), stdout=out)
    assert "running total of returns is not the sum of its returns (£50.24 against £50.25)" in (
        out.getvalue()
    )


def test_commitments_over_a_budget_and_returns_over_payments_are_named(paid_award: Award) -> None:
    Budget.objects.filter(pk=paid_award.budget_id).update(amount=Decimal(10))
    Return.objects.create(
        award=paid_award, kind="clawback", amount=Decimal(200), reason="x", returned_on=DAY, at=NOW
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 things do not tie"):
        call_command("fund_reconcile", "--year", str(YEAR), stdout=out)
    said = out.getvalue()
    assert (
        f"award {paid_award.pk}, budget {paid_award.budget_id}: more returned than was paid" in said
    )
    assert "running total of returns is not the sum of its returns" in said
    assert f"budget {paid_award.budget_id}: committed more than the budget" in said
