"""The impact of an award: difference in differences against comparators, worked by hand,
its statuses, polarity, its invariances, and a real LAIT series checked against a plain
loop over the same numbers."""

from __future__ import annotations

import datetime
import math
import statistics

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.groups import DFE_KEY, published_frame
from ambition.fund.impact import (
    BETTER,
    ESTIMATED,
    NO_CLEAR_DIFFERENCE,
    NOT_ENOUGH_DATA,
    TOO_EARLY,
    UNKNOWN,
    WORSE,
    ImpactSettings,
    impact,
    impacts,
)

YEARS = [2001.0, 2002.0, 2003.0, 2004.0, 2005.0, 2006.0]
ONE_BY_ONE = ImpactSettings(min_comparators=2, lag=0, before=1, after=1)
# 2003 is before an award dated 2003.5, 2004 after it.
HAND = {"A": (10.0, 16.0), "B": (20.0, 22.0), "C": (30.0, 34.0), "D": (5.0, 8.0)}
Q_975_2 = 4.302652729911275  # the t quantile for 95% with 2 degrees of freedom


def frame(
    values: dict[str, tuple[float | None, float | None]], indicator: str = "x"
) -> pl.DataFrame:
    """Each authority's values at 2003 and 2004, with 2001-2002 and 2005-2006 filled in
    flat so that the indicator has periods on both sides."""
    rows = []
    for authority, (before, after) in values.items():
        series = [before, before, before, after, after, after]
        rows += [(authority, indicator, t, v) for t, v in zip(YEARS, series, strict=True)]
    return pl.DataFrame(
        rows,
        schema={
            "authority": pl.String,
            "indicator": pl.String,
            "t": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )


def hand_impact(polarity: int | None = 1, **kwargs: object):  # type: ignore[no-untyped-def]
    options = {"awarded": 2003.5, "comparators": ["B", "C", "D"], "settings": ONE_BY_ONE}
    options.update(kwargs)
    obs = options.pop("obs", frame(HAND))
    return impact(obs, polarity, "A", "x", **options)  # type: ignore[arg-type]


def test_a_hand_worked_difference_in_differences() -> None:
    result = hand_impact()
    # Treated change 6; comparators' changes 2, 4, 3: mean 3, sd 1; n = 3.
    half = Q_975_2 * 1.0 * math.sqrt(1 + 1 / 3)
    assert result.status == ESTIMATED and result.comparators == 3
    assert (result.treated_before, result.treated_after) == (10.0, 16.0)
    assert result.comparators_before == pytest.approx(55 / 3)
    assert result.comparators_after == pytest.approx(64 / 3)
    assert result.difference == pytest.approx(3.0) and result.estimate == pytest.approx(3.0)
    assert result.lower == pytest.approx(3.0 - half) and result.upper == pytest.approx(3.0 + half)
    assert result.direction == NO_CLEAR_DIFFERENCE and result.level == 0.95


def test_a_change_beyond_the_interval_is_better_and_turned_round_worse() -> None:
    obs = frame({**HAND, "A": (10.0, 20.0)})  # treated change 10: difference 7
    half = Q_975_2 * math.sqrt(4 / 3)
    higher = hand_impact(obs=obs)
    assert higher.estimate == pytest.approx(7.0) and higher.lower == pytest.approx(7.0 - half)
    assert higher.direction == BETTER
    lower = hand_impact(polarity=-1, obs=obs)
    assert lower.difference == pytest.approx(7.0)
    assert lower.estimate == pytest.approx(-7.0)
    assert (lower.lower, lower.upper) == (pytest.approx(-7.0 - half), pytest.approx(-7.0 + half))
    assert lower.direction == WORSE


def test_without_a_polarity_the_raw_difference_and_direction_unknown() -> None:
    result = hand_impact(polarity=None)
    assert result.polarity is None and result.estimate == pytest.approx(3.0)
    assert result.direction == UNKNOWN


def test_too_early_when_no_period_after_the_award_and_its_lag() -> None:
    assert hand_impact(awarded=2006.5).status == TOO_EARLY
    lagged = ImpactSettings(min_comparators=2, lag=1, before=1, after=1)
    # 2006 is the first period after an award in 2005.5, and the lag skips it.
    result = hand_impact(awarded=2005.5, settings=lagged)
    assert result.status == TOO_EARLY and result.estimate is None and result.direction is None
    assert hand_impact(awarded=2004.5, settings=lagged).status == ESTIMATED


def test_not_enough_data_without_the_treated_values_or_enough_comparators() -> None:
    gap = frame(HAND).filter(~((pl.col("authority") == "A") & (pl.col("t") == 2004.0)))
    assert hand_impact(obs=gap).status == NOT_ENOUGH_DATA
    assert hand_impact(awarded=2000.5).status == NOT_ENOUGH_DATA  # nothing before
    four = ImpactSettings(min_comparators=4, lag=0, before=1, after=1)
    short = hand_impact(settings=four)
    assert short.status == NOT_ENOUGH_DATA and short.comparators == 3
    assert short.difference is None and short.lower is None


def test_a_comparator_missing_a_window_period_or_excluded_is_left_out() -> None:
    gap = frame(HAND).filter(~((pl.col("authority") == "D") & (pl.col("t") == 2003.0)))
    assert hand_impact(obs=gap).comparators == 2
    excluded = hand_impact(excluded={"D"})
    # B and C: changes 2 and 4, mean 3, sd sqrt(2).
    assert excluded.comparators == 2 and excluded.estimate == pytest.approx(3.0)
    half = stats.t.ppf(0.975, 1) * math.sqrt(2) * math.sqrt(1.5)
    assert excluded.upper == pytest.approx(3.0 + half)


def test_windows_average_several_periods() -> None:
    wide = ImpactSettings(min_comparators=2, lag=1, before=2, after=2)
    # Before 2002.5: 2001-2002; after it, 2003 is skipped and 2004-2005 averaged.
    result = hand_impact(awarded=2002.5, settings=wide)
    assert (result.treated_before, result.treated_after) == (10.0, 16.0)
    assert result.estimate == pytest.approx(3.0) and result.comparators == 3


def test_periods_and_the_award_may_be_dates() -> None:
    """Periods by their last day, the award by its date: November 2006 falls after the
    year to March 2006 and before the year to March 2007."""
    ends = [datetime.date(year, 3, 31) for year in YEARS_TO_MARCH for _ in "ABC"]
    values = [1.0, 2.0, 3.0, 2.0, 2.0, 3.0, 4.0, 3.0, 5.0, 5.0, 3.0, 6.0]
    obs = pl.DataFrame({"authority": list("ABC") * 4, "indicator": "x", "t": ends, "value": values})
    result = impact(obs, 1, "A", "x", datetime.date(2006, 11, 1), ["B", "C"], (), ONE_BY_ONE)
    assert (result.treated_before, result.treated_after) == (2.0, 4.0)
    assert (result.comparators_before, result.comparators_after) == (2.5, 4.0)
    assert result.estimate == pytest.approx(0.5) and result.status == ESTIMATED


YEARS_TO_MARCH = (2005, 2006, 2007, 2008)


def test_many_awards_at_once_never_compare_with_each_other() -> None:
    obs = pl.concat([frame(HAND), frame(HAND, indicator="y")])
    awards = pl.DataFrame(
        {
            "award": [1, 1, 2],
            "authority": ["A", "A", "B"],
            "indicator": ["x", "y", "x"],
            "awarded": [2003.5, 2003.5, 2003.5],
        }
    )
    everyone = ["A", "B", "C", "D"]
    peers = pl.DataFrame({"focus": [f for f in everyone for _ in everyone], "peer": everyone * 4})
    indicators = pl.DataFrame({"indicator": ["x", "y"], "polarity": [1, -1]})
    out = impacts(obs, awards, peers, indicators, ONE_BY_ONE)
    got = {(r["award"], r["indicator"]): r for r in out.iter_rows(named=True)}
    # Award 1 on x: B had an award on x, so C and D only (changes 4 and 3).
    assert got[(1, "x")]["comparators"] == 2
    assert got[(1, "x")]["estimate"] == pytest.approx(2.5)
    # On y nobody else had an award: B, C, D; lower is better there.
    assert got[(1, "y")]["comparators"] == 3
    assert got[(1, "y")]["estimate"] == pytest.approx(-3.0)
    # Award 2 (B on x): A's award excludes A; C and D changes 4, 3 against B's 2.
    assert got[(2, "x")]["estimate"] == pytest.approx(-1.5)


values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)
pairs = st.tuples(values, values)


@given(
    treated=pairs,
    comparators=st.lists(pairs, min_size=2, max_size=8),
    shift=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False),
)
def test_adding_a_constant_to_every_value_changes_nothing(
    treated: tuple[float, float], comparators: list[tuple[float, float]], shift: float
) -> None:
    values = {"A": treated} | {f"P{i}": pair for i, pair in enumerate(comparators)}
    names = list(values)[1:]
    plain = hand_impact(obs=frame(values), comparators=names)
    moved = hand_impact(obs=frame(values).with_columns(pl.col("value") + shift), comparators=names)
    assert moved.status == plain.status == ESTIMATED
    for field in ("difference", "estimate", "lower", "upper"):
        assert getattr(moved, field) == pytest.approx(getattr(plain, field), abs=1e-6)


@given(before=values, comparators=st.lists(pairs, min_size=2, max_size=8))
def test_a_treated_change_equal_to_the_comparators_is_no_effect(
    before: float, comparators: list[tuple[float, float]]
) -> None:
    mean_change = statistics.fmean(after - start for start, after in comparators)
    values = {"A": (before, before + mean_change)}
    values |= {f"P{i}": pair for i, pair in enumerate(comparators)}
    result = hand_impact(obs=frame(values), comparators=list(values)[1:])
    assert result.estimate == pytest.approx(0.0, abs=1e-6)
    assert result.lower is not None and result.upper is not None
    assert result.lower <= 1e-6 and result.upper >= -1e-6


BARKING = "E09000002"
INDICATOR = "lait-cla-health-checks"


@pytest.mark.django_db
def test_an_award_on_real_data_matches_a_plain_loop() -> None:
    """Barking and Dagenham against its DfE statistical neighbours, with a hypothetical
    award in the middle of the stored series, recomputed here unit by unit."""
    neighbours = published_frame(DFE_KEY, BARKING)["peer"].to_list()
    assert len(neighbours) == 10
    obs = observation_frame([INDICATOR], [BARKING, *neighbours])
    grid = sorted(obs.drop_nulls("value")["t"].unique().to_list())
    assert len(grid) >= 6
    awarded = grid[2] + 0.1  # after the third period
    polarity = indicator_frame([INDICATOR])["polarity"][0]
    settings = ImpactSettings(min_comparators=5, lag=1, before=2, after=2)
    result = impact(obs, polarity, BARKING, INDICATOR, awarded, neighbours, (), settings)
    before, after = grid[1:3], grid[4:6]

    def change(authority: str) -> float | None:
        mine = dict(obs.filter(pl.col("authority") == authority).select("t", "value").iter_rows())
        if any(mine.get(t) is None for t in before + after):
            return None
        return statistics.fmean(mine[t] for t in after) - statistics.fmean(mine[t] for t in before)

    changes = [c for c in map(change, neighbours) if c is not None]
    treated = change(BARKING)
    assert treated is not None and result.status == ESTIMATED
    assert result.comparators == len(changes) >= 5
    difference = treated - statistics.fmean(changes)
    assert result.difference == pytest.approx(difference)
    assert result.estimate == pytest.approx(difference * polarity)
    half = stats.t.ppf(0.975, len(changes) - 1) * statistics.stdev(changes)
    assert result.upper - result.lower == pytest.approx(2 * half * math.sqrt(1 + 1 / len(changes)))
    late = impact(obs, polarity, BARKING, INDICATOR, grid[-1], neighbours, (), settings)
    assert late.status == TOO_EARLY
