"""Validation, not trust: the checks a savings return meets before any of it counts.
Pure functions of plain values; efficiency.submission stores what they find as flags.

The rules:
- too large: a return's claimed total is more than EFFICIENCY_MAX_CLAIM_SHARE (10%) of
  the authority's net budget for the year; with no budget for the year it is flagged as
  unchecked ("no-budget") rather than passed;
- duplicate: a line has the same workstream as a line of the same authority in another
  standing return (any year) or earlier in this return, and either the same description
  once normalised (case, punctuation and spacing ignored) or the same amount and start day;
- one-off counted as ongoing: a line marked ongoing that ends less than two years after
  it started (NI 179 counts gains that last at least two years), or whose description or
  evidence uses one-off words (ONE_OFF_WORDS)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ambition.indicators.periods import add_months

ONGOING_MONTHS = 24
ONE_OFF_WORDS = (
    "one-off",
    "one off",
    "oneoff",
    "non-recurring",
    "non recurring",
    "windfall",
    "single payment",
    "one year only",
    "this year only",
    "backdated",
    "rebate",
    "refund",
)
NOT_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Claim:
    """One line of a return as the checks see it."""

    workstream: str
    amount: Decimal
    recurrence: str
    started: date
    description: str
    ends: date | None = None
    evidence: str = ""


@dataclass(frozen=True)
class Earlier:
    """A line of the authority's other standing returns."""

    return_id: int
    year: int
    claim: Claim


@dataclass(frozen=True)
class Finding:
    kind: str
    line: int | None  # index into the return's lines; None for the whole return
    detail: dict[str, str] = field(default_factory=dict)


def normalised(text: str) -> str:
    return " ".join(NOT_WORD.sub(" ", text.lower()).split())


def same_saving(a: Claim, b: Claim) -> bool:
    if a.workstream != b.workstream:
        return False
    if normalised(a.description) == normalised(b.description):
        return True
    return a.amount == b.amount and a.started == b.started


def too_large(claims: Sequence[Claim], budget: Decimal | None, share: Decimal) -> list[Finding]:
    total = sum((c.amount for c in claims), Decimal(0))
    if budget is None:
        return [Finding("no-budget", None, {"claimed": str(total)})]
    limit = budget * share
    if total <= limit:
        return []
    detail = {"claimed": str(total), "budget": str(budget), "share": str(share)}
    return [Finding("too-large", None, detail)]


def duplicates(claims: Sequence[Claim], earlier: Sequence[Earlier]) -> list[Finding]:
    found = []
    for index, claim in enumerate(claims):
        twin = next((e for e in earlier if same_saving(claim, e.claim)), None)
        if twin is not None:
            detail = {"return": str(twin.return_id), "year": str(twin.year)}
            found.append(Finding("duplicate", index, detail))
        elif any(same_saving(claim, before) for before in claims[:index]):
            found.append(Finding("duplicate", index, {"return": "this"}))
    return found


def one_off_words(claim: Claim) -> list[str]:
    text = f" {claim.description.lower()} {claim.evidence.lower()} "
    return [word for word in ONE_OFF_WORDS if re.search(rf"\b{re.escape(word)}\b", text)]


def one_offs(claims: Sequence[Claim]) -> list[Finding]:
    found = []
    for index, claim in enumerate(claims):
        if claim.recurrence != "ongoing":
            continue
        if claim.ends is not None and claim.ends < add_months(claim.started, ONGOING_MONTHS):
            found.append(Finding("one-off", index, {"ends": claim.ends.isoformat()}))
        elif words := one_off_words(claim):
            found.append(Finding("one-off", index, {"words": ", ".join(words)}))
    return found


def check(
    claims: Sequence[Claim],
    budget: Decimal | None,
    earlier: Sequence[Earlier],
    max_share: Decimal,
) -> list[Finding]:
    """Every finding about a return, the whole return's first."""
    return too_large(claims, budget, max_share) + duplicates(claims, earlier) + one_offs(claims)


def explain(finding: Finding) -> str:
    """The finding in words, for the flag's reason."""
    d = finding.detail
    if finding.kind == "too-large":
        share = Decimal(d["share"]) * 100
        return (
            f"Claims £{Decimal(d['claimed']):,.2f}, more than {share.normalize():f}% of the "
            f"net budget of £{Decimal(d['budget']):,.2f}."
        )
    if finding.kind == "no-budget":
        return "No net budget is recorded for this year, so the claim's size cannot be checked."
    if finding.kind == "duplicate":
        where = "earlier in this return" if d["return"] == "this" else f"in return {d['return']}"
        year = f" ({d['year']})" if "year" in d else ""
        return (
            "The same saving (same workstream, and the same description or the same amount "
            f"and start) is claimed {where}{year}."
        )
    if "ends" in d:
        return f"Marked ongoing but ends on {d['ends']}, less than two years after it started."
    return f"Marked ongoing but described as one-off ({d['words']})."
