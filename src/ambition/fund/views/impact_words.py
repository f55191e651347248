"""The impact engine's findings in words a person reads: the engine returns statuses and
numbers (ambition.fund.impact); these turn them into sentences for the award's page and a
one-line status per award for the overview."""

from __future__ import annotations

from collections.abc import Sequence

from ambition.web.charts import display_change, display_value

from ..impact import (
    BETTER,
    ESTIMATED,
    NO_CLEAR_DIFFERENCE,
    NOT_ENOUGH_DATA,
    TOO_EARLY,
    UNKNOWN,
    WORSE,
)
from ..impacts import MIXED, UNTARGETED, TargetImpact, overall

NO_TARGET = "No target indicator"
NOT_YET = "Not yet assessed"
# An award's status on the overview, by its overall code (ambition.fund.impacts.overall).
STATUS_WORDS = {
    MIXED: "Better on one target, worse on another",
    BETTER: "Better than comparable councils",
    WORSE: "Worse than comparable councils",
    NO_CLEAR_DIFFERENCE: "No clear difference",
    UNKNOWN: "Moved, direction not judged",
    TOO_EARLY: "Too early to tell",
    NOT_ENOUGH_DATA: "Not enough data",
}


def award_status(found: Sequence[TargetImpact]) -> str:
    """The overview's one line for an award, from the engine's findings."""
    return status_words(overall(found))


def status_words(code: str | None) -> str:
    """The overview's one line for an award's stored status code; None: no impact run has
    assessed the award yet."""
    if code is None:
        return NOT_YET
    if code == UNTARGETED:
        return NO_TARGET
    return STATUS_WORDS[code]


def value(found: TargetImpact, number: float | None) -> str:
    return display_value(number, found.indicator.unit, found.indicator.decimal_places)


def change(found: TargetImpact, number: float | None) -> str:
    return display_change(number, found.indicator.unit, found.indicator.decimal_places)


def sentence(found: TargetImpact) -> str:
    """What the engine found for one target, honestly: too early, not enough data, or the
    difference in differences with its interval."""
    impact = found.impact
    if impact.status == TOO_EARLY:
        return (
            "Too early to tell: no figures have been published yet for a period far enough "
            "after the award for the money to show."
        )
    if impact.status == NOT_ENOUGH_DATA:
        return (
            "Not enough data: the council needs figures before and after the award, and at "
            f"least five comparable councils without an award need them too "
            f"({impact.comparators} have them)."
        )
    return estimated(found)


def estimated(found: TargetImpact) -> str:
    impact = found.impact
    assert impact.status == ESTIMATED
    moved = (
        f"The council went from {value(found, impact.treated_before)} to "
        f"{value(found, impact.treated_after)}; its {impact.comparators} comparable councils "
        f"without an award went from {value(found, impact.comparators_before)} to "
        f"{value(found, impact.comparators_after)} on average."
    )
    level = f"{impact.level:.0%}"
    gap = (
        f"Relative to them it moved {change(found, impact.difference)} "
        f"({level} interval {change(found, impact.lower)} to {change(found, impact.upper)}"
        f"{', positive is better' if impact.polarity else ''})."
    )
    return f"{moved} {gap} {verdict(impact.direction)}"


def verdict(direction: str | None) -> str:
    return {
        BETTER: "That is better than comparable councils, beyond what chance would explain.",
        WORSE: "That is worse than comparable councils, beyond what chance would explain.",
        NO_CLEAR_DIFFERENCE: "The interval includes no difference: no clear effect.",
    }.get(direction or "", "The indicator has no better direction, so no judgement is made.")
