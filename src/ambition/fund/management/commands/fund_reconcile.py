"""ambition fund-reconcile: tie every budget, award, payment and return to the penny."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from ambition.web.terminal import console_for

from ...books import reconciliation
from ...reconcile import Line
from ...reconcile_words import money, words

__all__ = ["Command", "words"]  # words: import it from ambition.fund.reconcile_words

HEADINGS = ("budget", "year", "amount", "claims", "awarded", "paid", "returned", "remaining")


class Command(BaseCommand):
    help = (
        "Reconcile the fund: per budget, its amount, committed claims, awards, payments and "
        "returns, and overall; exits 1 naming what does not tie (payments over an award, "
        "commitments over a budget, a return larger than paid, variations or totals that do "
        "not add up)."
    )
    # It reads the books and writes nothing: the system checks (which `migrate`, `serve` and
    # `ambition check` run) would double its start-up and guard nothing here.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Only the budgets of this financial year")

    def handle(self, *args: Any, **options: Any) -> None:
        # Wide enough for eight columns of pounds however narrow the terminal says it is.
        console = console_for(self, soft_wrap=True, width=140)
        books = reconciliation(options["year"])
        table = Table(*HEADINGS, title="The fund, reconciled")
        for line in (*books.lines, books.overall):
            table.add_row(*row(line))
        console.print(table)
        if books.ties:
            console.print(f"Everything ties to the penny ({len(books.lines)} budgets).")
            return
        for problem in books.problems:
            console.print(f"Does not tie: {words(problem)}")
        raise CommandError(f"{len(books.problems)} things do not tie", returncode=1)


def row(line: Line) -> list[str]:
    budget = line.budget
    name, year = ("All budgets", "") if budget is None else (budget.name, str(budget.year))
    sums = (line.amount, line.claims, line.awarded, line.paid, line.returned, line.remaining)
    return [name, year, *(money(s) for s in sums)]
