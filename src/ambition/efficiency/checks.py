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
  evidence uses one-off words (ONE_OFF_WORDS);
- spend not borne out: a procurement line naming a category claims more than the fall in
  the authority's spend in that category from the financial year before the saving started
  to the year it is compared with: for a one-off saving, the year it started; for an
  ongoing one, the latest year since with spend data (and not after it ends), its claim
  annualised from the return's year and taken for the part of the compared year it ran.
  Only years the spend data covers whole count; without them the line is flagged as
  unchecked ("no-spend-data"), as a return with no budget is."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ambition.indicators.periods import (
    add_months,
    financial_year,
    financial_year_dates,
    year_label,
)

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
PENNY = Decimal("0.01")
PROCUREMENT = "procurement"
# What the spend check finds of a line: the last is no flag.
NOT_BORNE_OUT, NO_SPEND_DATA, BORNE_OUT = "spend-not-borne-out", "no-spend-data", "borne-out"


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
    category: str = ""  # a procurement category's code, for a procurement line


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


@dataclass(frozen=True)
class CategorySpend:
    """The authority's spend in one category in each financial year its spend data covers
    whole (a part year is left out)."""

    code: str
    name: str
    years: Mapping[int, Decimal]


@dataclass(frozen=True)
class SpendComparison:
    """A procurement line's claim beside the spend in its category."""

    category: CategorySpend
    before_year: int
    after_year: int | None  # None: no year since the saving started to compare with
    expected: Decimal  # the fall the claim implies in the after year
    claimed: Decimal

    @property
    def before(self) -> Decimal | None:
        return self.category.years.get(self.before_year)

    @property
    def after(self) -> Decimal | None:
        return None if self.after_year is None else self.category.years.get(self.after_year)

    @property
    def kind(self) -> str:
        if self.before is None or self.after is None:
            return NO_SPEND_DATA
        return NOT_BORNE_OUT if self.before - self.after < self.expected else BORNE_OUT

    def detail(self) -> dict[str, str]:
        figures = {"before": self.before, "after": self.after}
        found = {
            "category": self.category.code,
            "name": self.category.name,
            "before_year": str(self.before_year),
            "claimed": str(self.claimed),
            "expected": str(self.expected),
            **{k: str(v) for k, v in figures.items() if v is not None},
        }
        if self.after_year is not None:
            found["after_year"] = str(self.after_year)
        if self.before is not None and self.after is not None:
            found["fall"] = str(self.before - self.after)
        return found


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


def weighs_spend(workstream: str, category: str) -> bool:
    """Whether the spend check weighs a line: a procurement line naming a category."""
    return workstream == PROCUREMENT and bool(category)


def spend_checked(claim: Claim) -> bool:
    return weighs_spend(claim.workstream, claim.category)


def days_run(claim: Claim, year: int) -> int:
    """How many days of the financial year the saving runs."""
    first, last = financial_year_dates(year)
    start, end = max(first, claim.started), min(last, claim.ends or last)
    return max((end - start).days + 1, 0)


def days_in(year: int) -> int:
    first, last = financial_year_dates(year)
    return (last - first).days + 1


def expected_fall(claim: Claim, return_year: int, year: int) -> Decimal:
    """The fall in spend the claim implies in `year`. A one-off saving is its amount, once.
    An ongoing line claims the part of the return's year it ran: over a whole year that is
    the amount in proportion, and in `year` the part of that it ran there."""
    if claim.recurrence != "ongoing" or year == return_year:
        return claim.amount
    # A line claiming for a year it did not run in is taken as claiming a whole year.
    claimed_days = days_run(claim, return_year) or days_in(return_year)
    whole = claim.amount * days_in(return_year) / claimed_days
    return (whole * days_run(claim, year) / days_in(year)).quantize(PENNY, ROUND_HALF_UP)


def after_year(claim: Claim, years: Sequence[int]) -> int | None:
    """The year the spend is compared in: a one-off saving's own; for an ongoing one the
    latest year with spend data since it started in which it still ran (None if none)."""
    started = financial_year(claim.started)
    if claim.recurrence != "ongoing":
        return started  # with or without data: a one-off saving has only its own year
    ran = [y for y in years if y >= started and days_run(claim, y) > 0]
    return max(ran, default=None)


def compare_spend(claim: Claim, return_year: int, spend: CategorySpend) -> SpendComparison:
    after = after_year(claim, sorted(spend.years))
    expected = claim.amount if after is None else expected_fall(claim, return_year, after)
    return SpendComparison(spend, financial_year(claim.started) - 1, after, expected, claim.amount)


def spend_borne_out(
    claims: Sequence[Claim], return_year: int, spend: Mapping[str, CategorySpend]
) -> list[Finding]:
    """A finding for each procurement line whose claim its category's spend does not bear
    out, or that the spend data cannot check. `spend` is keyed by category code."""
    found = []
    for index, claim in enumerate(claims):
        if not spend_checked(claim):
            continue
        compared = compare_spend(claim, return_year, spend[claim.category])
        if compared.kind != BORNE_OUT:
            found.append(Finding(compared.kind, index, compared.detail()))
    return found


def check(
    claims: Sequence[Claim],
    budget: Decimal | None,
    earlier: Sequence[Earlier],
    max_share: Decimal,
    *,
    year: int | None = None,
    spend: Mapping[str, CategorySpend] | None = None,
) -> list[Finding]:
    """Every finding about a return, the whole return's first. The spend check runs when
    the return's year and its categories' spend are given."""
    found = too_large(claims, budget, max_share) + duplicates(claims, earlier) + one_offs(claims)
    if year is not None and spend is not None:
        found += spend_borne_out(claims, year, spend)
    return found


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
    if finding.kind in (NOT_BORNE_OUT, NO_SPEND_DATA, BORNE_OUT):
        return spend_words(finding)
    if "ends" in d:
        return f"Marked ongoing but ends on {d['ends']}, less than two years after it started."
    return f"Marked ongoing but described as one-off ({d['words']})."


def spend_words(finding: Finding) -> str:
    """A spend comparison in words: the figures, and whether they bear the claim out."""
    d = finding.detail
    before = year_label(int(d["before_year"]))
    if finding.kind == NO_SPEND_DATA:
        return unchecked_words(d, before)
    after = year_label(int(d["after_year"]))
    fall, expected, claimed = Decimal(d["fall"]), Decimal(d["expected"]), Decimal(d["claimed"])
    moved = f"fell by £{fall:,.2f}" if fall >= 0 else f"rose by £{-fall:,.2f}"
    claim = f"the £{claimed:,.2f} claimed"
    if expected != claimed:
        claim = f"the £{expected:,.2f} that the claim of £{claimed:,.2f} comes to in {after}"
    verdict = "less than" if fall >= 0 else "against"
    if finding.kind == BORNE_OUT:
        verdict = "at least"
    return (
        f"Spend on {d['name']} was £{Decimal(d['before']):,.2f} in {before}, the year before "
        f"the saving started, and £{Decimal(d['after']):,.2f} in {after}: it {moved}, "
        f"{verdict} {claim}."
    )


def unchecked_words(d: Mapping[str, str], before: str) -> str:
    whole = "does not cover the whole of"
    if "before" not in d:
        gap = f"{whole} {before}, the year before the saving started"
    elif "after_year" in d:
        gap = f"{whole} {year_label(int(d['after_year']))}, the year of the saving"
    else:
        gap = "covers no whole year since the saving started"
    return f"The spend data {gap}, so the claim cannot be checked against the spend on {d['name']}."
