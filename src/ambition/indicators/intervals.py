"""Values with intervals: the Wilson score interval of a surveyed share, and the one rule
every page uses to compare two authorities on an indicator with intervals. A difference
whose intervals overlap is "no clear difference": it is neither ranked nor coloured better
or worse. (The assessment's trend test applies the same rule to a council's first and last
values, vectorised over a frame: `assessment.engine.trends.interval_test`.)"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile: a two-sided 95% interval


def wilson_interval(positive: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a share `positive / n` (Wilson, 1927): unlike the
    normal approximation it stays within [0, 1] and is sound for small samples and for
    shares near 0 or 1, as a council's residents' survey often has."""
    if n <= 0 or not 0 <= positive <= n:
        raise ValueError(f"a share needs 0 <= positive <= n and n > 0, not {positive}/{n}")
    share = positive / n
    z2 = z * z
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # Rounding can leave the ends a hair outside the share at 0 or 1; they cannot be.
    return max(0.0, min(share, centre - half)), min(1.0, max(share, centre + half))


@dataclass(frozen=True)
class Estimate:
    """One authority's value with its interval, where its source gives one."""

    value: float | None
    lower: float | None = None
    upper: float | None = None

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None


class Difference(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    HIGHER = "higher"
    LOWER = "lower"
    NO_CLEAR = "no clear difference"
    SAME = "the same"
    UNKNOWN = "not known"


def difference(a: Estimate, b: Estimate, polarity: str = "") -> Difference:
    """How `a` compares with `b`. Where both have intervals and they overlap, or only one
    has an interval and the other's value lies within it, there is no clear difference.
    Otherwise the values decide: better or worse where the indicator has a polarity
    ("higher" or "lower" is better), higher or lower where it has none."""
    if a.value is None or b.value is None:
        return Difference.UNKNOWN
    if inside(a, b):
        return Difference.NO_CLEAR
    if a.value == b.value:
        return Difference.SAME
    higher = a.value > b.value
    if polarity in ("higher", "lower"):
        return Difference.BETTER if higher == (polarity == "higher") else Difference.WORSE
    return Difference.HIGHER if higher else Difference.LOWER


def inside(a: Estimate, b: Estimate) -> bool:
    """Whether the difference between two values sits inside their intervals: both have one
    and they overlap, or one has one and the other's value lies within it."""
    if a.has_interval and b.has_interval:
        return overlap(a, b)
    if a.has_interval:
        return a.lower <= b.value <= a.upper  # type: ignore[operator]
    if b.has_interval:
        return b.lower <= a.value <= b.upper  # type: ignore[operator]
    return False


def overlap(a: Estimate, b: Estimate) -> bool:
    """Whether two intervals share any value (touching ends count as sharing one)."""
    return a.lower <= b.upper and b.lower <= a.upper  # type: ignore[operator]


def rank_range(rows: list[Estimate], polarity: str) -> list[tuple[int, int] | None]:
    """For each row, the best and worst rank it could hold once differences inside the
    intervals are set aside: best = 1 + the rows clearly better than it, worst = best + the
    rows with no clear difference from it. A row without a value has none. Where no row has
    an interval this is the plain rank, equal values sharing the best."""
    out: list[tuple[int, int] | None] = []
    for i, row in enumerate(rows):
        if row.value is None:
            out.append(None)
            continue
        compared = [
            difference(other, row, polarity or "higher")
            for j, other in enumerate(rows)
            if j != i and other.value is not None
        ]
        best = 1 + sum(d is Difference.BETTER for d in compared)
        out.append((best, best + sum(d is Difference.NO_CLEAR for d in compared)))
    return out


def clearly_in_bottom_quarter(span: tuple[int, int], n: int) -> bool:
    """Whether even the best rank the intervals allow is in the bottom quarter of `n`: only
    then may a page colour an authority as bottom-quartile on an indicator with intervals."""
    return n > 0 and span[0] > 0.75 * n
