"""The Wilson score interval of a surveyed share, and the one rule for comparing values with
intervals: overlapping intervals are "no clear difference", never ranked or coloured."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from ambition.indicators.intervals import (
    Difference,
    Estimate,
    difference,
    rank_range,
    wilson_interval,
)

counts = st.integers(min_value=1, max_value=100_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts)
def test_the_interval_lies_in_0_1_and_contains_the_share(case: tuple[int, int]) -> None:
    positive, n = case
    lower, upper = wilson_interval(positive, n)
    assert 0.0 <= lower <= positive / n <= upper <= 1.0


@given(counts)
def test_the_interval_is_scipys_wilson_interval(case: tuple[int, int]) -> None:
    """An independent implementation agrees (SciPy's binomial test's Wilson interval)."""
    positive, n = case
    expected = binomtest(positive, n).proportion_ci(0.95, method="wilson")
    assert wilson_interval(positive, n) == pytest.approx((expected.low, expected.high), abs=1e-9)


@given(counts, st.integers(min_value=2, max_value=50))
def test_the_same_share_from_more_respondents_is_narrower(case: tuple[int, int], k: int) -> None:
    positive, n = case
    lower, upper = wilson_interval(positive, n)
    wider_lower, wider_upper = wilson_interval(positive * k, n * k)
    assert wider_upper - wider_lower < upper - lower


def test_a_known_value() -> None:
    """81 of 263: Wilson (1927) as Newcombe (1998) tabulates it, 0.2553 to 0.3662."""
    lower, upper = wilson_interval(81, 263)
    assert (round(lower, 4), round(upper, 4)) == (0.2553, 0.3662)


@pytest.mark.parametrize("case", [(0, 0), (-1, 10), (11, 10)])
def test_a_share_of_nothing_or_more_than_everyone_is_refused(case: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        wilson_interval(*case)


estimates = st.tuples(
    st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=10)
).map(lambda vh: Estimate(vh[0], vh[0] - vh[1], vh[0] + vh[1]))


@given(estimates, estimates, st.sampled_from(["higher", "lower", ""]))
def test_overlapping_intervals_are_no_clear_difference(
    a: Estimate, b: Estimate, polarity: str
) -> None:
    found = difference(a, b, polarity)
    overlapping = a.lower <= b.upper and b.lower <= a.upper  # type: ignore[operator]
    assert (found is Difference.NO_CLEAR) == overlapping
    # The comparison is the same read from either side.
    mirror = {
        Difference.BETTER: Difference.WORSE,
        Difference.WORSE: Difference.BETTER,
        Difference.HIGHER: Difference.LOWER,
        Difference.LOWER: Difference.HIGHER,
    }
    assert difference(b, a, polarity) is mirror.get(found, found)


def test_better_and_worse_follow_the_polarity_and_need_separate_intervals() -> None:
    high, low = Estimate(70, 66, 74), Estimate(60, 56, 64)
    assert difference(high, low, "higher") is Difference.BETTER
    assert difference(high, low, "lower") is Difference.WORSE
    assert difference(high, low, "") is Difference.HIGHER
    assert difference(high, Estimate(65, 61, 69), "higher") is Difference.NO_CLEAR
    # Without intervals the values decide, as they always have.
    assert difference(Estimate(70), Estimate(69.9), "higher") is Difference.BETTER
    assert difference(Estimate(None), low, "higher") is Difference.UNKNOWN
    # Where only one has an interval, a value inside it is no clear difference either.
    assert difference(high, Estimate(67), "higher") is Difference.NO_CLEAR
    assert difference(Estimate(67), high, "higher") is Difference.NO_CLEAR
    assert difference(high, Estimate(65), "higher") is Difference.BETTER
    assert difference(Estimate(75), high, "lower") is Difference.WORSE


@given(st.lists(estimates, min_size=1, max_size=12), st.sampled_from(["higher", "lower"]))
def test_a_rank_range_holds_every_place_the_intervals_allow(
    rows: list[Estimate], polarity: str
) -> None:
    spans = rank_range(rows, polarity)
    for row, span in zip(rows, spans, strict=True):
        assert span is not None
        best, worst = span
        assert 1 <= best <= worst <= len(rows)
        clearly_better = sum(difference(o, row, polarity) is Difference.BETTER for o in rows)
        assert best == 1 + clearly_better


def test_without_intervals_a_rank_range_is_the_plain_rank_with_ties_sharing() -> None:
    rows = [Estimate(3.0), Estimate(5.0), Estimate(5.0), Estimate(None), Estimate(1.0)]
    assert rank_range(rows, "higher") == [(3, 3), (1, 1), (1, 1), None, (4, 4)]
    assert rank_range(rows, "lower") == [(2, 2), (3, 3), (3, 3), None, (1, 1)]
