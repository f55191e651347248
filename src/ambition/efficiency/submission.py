"""Submitting a savings return and deciding its flags. A return is written with its lines
and the checks' flags in one transaction; a return with an open flag is "flagged" until
the office has decided every flag, and then "accepted". The spend in the categories of its
procurement lines is read first, outside that transaction, and kept on each line as the
checks read it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ambition.registry.models import Authority
from ambition.spend.categories.rules import shipped
from ambition.spend.categories.trend import YearSpend, category_trends

from . import checks
from .models import (
    Flag,
    FlagState,
    NetBudget,
    ReturnState,
    SavingsLine,
    SavingsReturn,
)
from .targets import max_claim_share


class DecisionError(ValueError):
    """A decision that cannot be made: the flag is decided already, or no reason given."""


def claim_of(line: SavingsLine) -> checks.Claim:
    return checks.Claim(
        workstream=line.workstream,
        amount=line.amount,
        recurrence=line.recurrence,
        started=line.started,
        description=line.description,
        ends=line.ends,
        evidence=line.evidence,
        category=line.category,
    )


def net_budget(authority: Authority, year: int) -> NetBudget | None:
    return NetBudget.objects.filter(authority=authority, year=year).latest_revision().first()


def earlier_claims(authority: Authority, leaving_out: int) -> list[checks.Earlier]:
    lines = (
        SavingsLine.objects.filter(savings_return__authority=authority)
        .exclude(savings_return_id=leaving_out)
        .exclude(savings_return__state=ReturnState.WITHDRAWN)
    )
    return [
        checks.Earlier(line.savings_return_id, line.savings_return.year, claim_of(line))
        for line in lines.select_related("savings_return")
    ]


def category_spend(authority: Authority, lines: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """The authority's spend by year in each category the return's procurement lines name,
    as stored on a line (`SavingsLine.category_spend`): one reading of the spend for all."""
    named = [(x["workstream"], x.get("category", "")) for x in lines]
    wanted = [code for workstream, code in named if checks.weighs_spend(workstream, code)]
    found = category_trends(authority, wanted)
    return {code: [stored_year(y) for y in years] for code, years in found.items()}


def stored_year(year: YearSpend) -> dict[str, Any]:
    return {
        "year": year.year,
        "amount": str(year.amount),
        "transactions": year.transactions,
        "full": year.full,
    }


def spend_of(code: str, stored: Sequence[Mapping[str, Any]]) -> checks.CategorySpend:
    """What the spend check reads of a line's stored years: the whole years only."""
    years = {int(y["year"]): Decimal(y["amount"]) for y in stored if y["full"]}
    return checks.CategorySpend(code, shipped().names().get(code, code), years)


def spend_comparison(line: SavingsLine) -> checks.SpendComparison | None:
    """The line's claim beside its category's spend as stored; None for a line the spend
    check does not weigh. What the pages show, by the same rule the check flagged by."""
    claim = claim_of(line)
    if not checks.spend_checked(claim):
        return None
    spend = spend_of(line.category, line.category_spend)
    return checks.compare_spend(claim, line.savings_return.year, spend)


def submit(
    authority: Authority,
    year: int,
    lines: Sequence[dict[str, Any]],
    user: Any = None,
    illustrative: bool = False,
) -> SavingsReturn:
    """Store the return and its lines, run the checks and store their flags."""
    spend = category_spend(authority, lines)
    return store(authority, year, lines, spend, user, illustrative)


@transaction.atomic
def store(
    authority: Authority,
    year: int,
    lines: Sequence[dict[str, Any]],
    spend: Mapping[str, list[Any]],
    user: Any = None,
    illustrative: bool = False,
) -> SavingsReturn:
    """Store the return, its lines (each with its category's spend) and the checks' flags.
    The authority's row is locked first, so two returns of one council submitted at once
    are checked one after the other and the second sees the first's lines."""
    Authority.objects.select_for_update().filter(pk=authority.pk).first()
    made = SavingsReturn.objects.create(
        authority=authority, year=year, submitted_by=user, illustrative=illustrative
    )
    stored = [
        SavingsLine.objects.create(
            savings_return=made, **line, category_spend=spend.get(line.get("category", ""), [])
        )
        for line in lines
    ]
    budget = net_budget(authority, year)
    findings = checks.check(
        [claim_of(line) for line in stored],
        budget.amount if budget else None,
        earlier_claims(authority, made.pk),
        max_claim_share(),
        year=year,
        spend={code: spend_of(code, years) for code, years in spend.items()},
    )
    for finding in findings:
        Flag.objects.create(
            savings_return=made,
            line=None if finding.line is None else stored[finding.line],
            kind=finding.kind,
            reason=checks.explain(finding),
            detail=finding.detail,
        )
    if findings:
        made.state = ReturnState.FLAGGED
        made.save(update_fields=["state"])
    return made


@transaction.atomic
def decide(flag: Flag, user: Any, accept: bool, reason: str) -> Flag:
    """The office accepts the claim despite the flag, or upholds the flag, with a reason."""
    flag = Flag.objects.select_for_update().select_related("savings_return").get(pk=flag.pk)
    if flag.state != FlagState.OPEN:
        raise DecisionError(f"This flag was decided already ({flag.get_state_display()}).")
    if not reason.strip():
        raise DecisionError("Give a reason for the decision.")
    flag.state = FlagState.ACCEPTED if accept else FlagState.UPHELD
    flag.decided_by, flag.decided_at, flag.decision_reason = user, timezone.now(), reason.strip()
    flag.save()
    settle(flag.savings_return)
    return flag


def settle(savings_return: SavingsReturn) -> None:
    """A flagged return whose flags are all decided is accepted."""
    open_flags = savings_return.flags.filter(state=FlagState.OPEN).exists()
    if savings_return.state == ReturnState.FLAGGED and not open_flags:
        savings_return.state = ReturnState.ACCEPTED
        savings_return.save(update_fields=["state"])


def accept(savings_return: SavingsReturn) -> None:
    """The office accepts a return with no open flag."""
    if savings_return.flags.filter(state=FlagState.OPEN).exists():
        raise DecisionError("Decide the return's open flags first.")
    if savings_return.state == ReturnState.WITHDRAWN:
        raise DecisionError("A withdrawn return cannot be accepted.")
    savings_return.state = ReturnState.ACCEPTED
    savings_return.save(update_fields=["state"])


def withdraw(savings_return: SavingsReturn) -> None:
    savings_return.state = ReturnState.WITHDRAWN
    savings_return.save(update_fields=["state"])
