"""Direction of travel: Theil-Sen slopes and Mann-Kendall tests checked by hand and against
SciPy, the confidence-interval evidence, least-squares slopes against NumPy and DuckDB, the
change in position, and every London LAIT series of the real data."""

from __future__ import annotations

import math
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from ambition.assessment.engine.positions import positions
from ambition.assessment.engine.trends import ols_slopes, position_change, trends
from ambition.assessment.frames import indicator_frame, observation_frame

LONDON = [f"E09{n:06d}" for n in range(1, 34)]
YEARS = [2011.25 + k for k in range(10)]


def indicators(*polarities: tuple[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        polarities, schema={"indicator": pl.String, "polarity": pl.Int8}, orient="row"
    )


HIGHER, LOWER, NONE = indicators(("x", 1)), indicators(("x", -1)), indicators(("x", 0))


def series(
    values: list[float | None], authority: str = "E09000001", **extra: list[float | None]
) -> pl.DataFrame:
    """One authority's yearly values of indicator x, the last ending at 31 March 2021."""
    t = YEARS[-len(values) :] if values else []
    return pl.DataFrame(
        {
            "authority": [authority] * len(values),
            "indicator": ["x"] * len(values),
            "period": [f"{int(y) - 1}/{int(y) % 100:02d}" for y in t],
            "t": t,
            "value": values,
            **extra,
        },
        schema_overrides={
            "authority": pl.String,
            "indicator": pl.String,
            "period": pl.String,
            "t": pl.Float64,
            "value": pl.Float64,
            **{k: pl.Float64 for k in extra},
        },
    )


def test_a_steady_rise_by_hand() -> None:
    """1, 2, 3, 4, 5: slope 1 a year; S = 10 (every pair rises); Var(S) = 5 x 4 x 15 / 18;
    z = (10 - 1) / sqrt(50 / 3) = 2.2045; p = 0.0275."""
    trend = trends(series([1.0, 2.0, 3.0, 4.0, 5.0]), HIGHER).row(0, named=True)
    assert trend["n"] == 5
    assert (trend["first_period"], trend["last_period"]) == ("2015/16", "2019/20")
    assert trend["slope"] == 1.0
    assert trend["intercept"] == 3.0 - YEARS[-3]
    assert (trend["s"], trend["var_s"]) == (10, pytest.approx(50 / 3))
    assert trend["z"] == pytest.approx(9 / math.sqrt(50 / 3))
    assert trend["p_value"] == pytest.approx(0.0275, abs=5e-5)
    assert (trend["slope_goodness"], trend["direction"]) == (1.0, "improving")
    assert trend["evidence"] == "mann-kendall"


def test_the_same_rise_is_worsening_when_lower_is_better() -> None:
    trend = trends(series([1.0, 2.0, 3.0, 4.0, 5.0]), LOWER).row(0, named=True)
    assert (trend["slope_goodness"], trend["direction"]) == (-1.0, "worsening")


def test_no_polarity_has_a_slope_but_no_direction() -> None:
    trend = trends(series([1.0, 2.0, 3.0, 4.0, 5.0]), NONE).row(0, named=True)
    assert (trend["slope"], trend["slope_goodness"], trend["direction"]) == (1.0, None, None)


def test_ties_reduce_the_variance_of_s() -> None:
    """1, 4, 2, 1, 4: two pairs of ties, each taking 2 x 1 x 9 off 5 x 4 x 15; S = 2."""
    trend = trends(series([1.0, 4.0, 2.0, 1.0, 4.0]), HIGHER).row(0, named=True)
    assert (trend["s"], trend["var_s"]) == (2, pytest.approx((300 - 36) / 18))
    assert trend["slope"] == stats.theilslopes([1, 4, 2, 1, 4], YEARS[-5:]).slope
    assert trend["direction"] == "no significant change"


def test_only_the_last_five_non_null_periods_count() -> None:
    values = [9.0, 8.0, 7.0, 1.0, None, 2.0, 3.0, None, 4.0, 5.0]
    trend = trends(series(values), HIGHER, recent=5).row(0, named=True)
    assert (trend["n"], trend["first_period"], trend["last_period"]) == (5, "2013/14", "2019/20")
    # Pairwise slopes 1/3, 1/2, 1/2, 3/5, 2/3, 2/3, 2/3, 3/4, 1, 1: the median is 2/3.
    assert (trend["slope"], trend["s"]) == (pytest.approx(2 / 3), 10)


def test_fewer_than_three_periods_are_too_few() -> None:
    trend = trends(series([None, 1.0, None, 2.0]), HIGHER).row(0, named=True)
    assert (trend["n"], trend["slope"]) == (2, 0.5)
    assert (trend["direction"], trend["evidence"]) == ("too few periods", None)


def test_intervals_that_do_not_overlap_are_significant_where_mann_kendall_is_not() -> None:
    obs = series(
        [10.0, 12.0, 11.0, 14.0], lower=[9.0, 11.0, 10.0, 13.5], upper=[11.0, 13.0, 12.0, 14.5]
    )
    trend = trends(obs, HIGHER).row(0, named=True)
    assert trend["p_value"] > 0.05
    assert (trend["direction"], trend["evidence"]) == ("improving", "confidence intervals")


def test_intervals_that_overlap_are_no_significant_change_where_mann_kendall_finds_one() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    wide = series(values, lower=[v - 3 for v in values], upper=[v + 3 for v in values])
    trend = trends(wide, LOWER).row(0, named=True)
    assert trend["p_value"] < 0.05
    assert (trend["direction"], trend["evidence"]) == (
        "no significant change",
        "confidence intervals",
    )


def test_an_end_without_an_interval_leaves_it_to_mann_kendall() -> None:
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    bounds = [v - 3 for v in values[:-1]] + [None]
    trend = trends(series(values, lower=bounds, upper=bounds), HIGHER).row(0, named=True)
    assert (trend["direction"], trend["evidence"]) == ("improving", "mann-kendall")


def test_each_series_is_its_own() -> None:
    obs = pl.concat([series([1.0, 2.0, 3.0], LONDON[0]), series([3.0, 2.0, 1.0, 0.0], LONDON[1])])
    both = trends(obs, HIGHER)
    assert both.select("authority", "n", "slope", "s", "direction").rows() == [
        (LONDON[0], 3, 1.0, 3, "no significant change"),
        (LONDON[1], 4, -1.0, -6, "no significant change"),
    ]


distinct_years = st.lists(st.integers(1990, 2030), min_size=2, max_size=9, unique=True)
readings = st.integers(-50, 50).map(lambda v: v / 4)


@given(distinct_years, st.data())
def test_theil_sen_and_mann_kendall_agree_with_scipy(years: list[int], data: st.DataObject) -> None:
    vals = data.draw(st.lists(readings, min_size=len(years), max_size=len(years)))
    obs = series(vals).with_columns(t=pl.Series([float(y) for y in years]))
    trend = trends(obs, HIGHER, recent=len(years)).row(0, named=True)
    expected = stats.theilslopes(vals, years)
    assert trend["slope"] == pytest.approx(expected.slope)
    assert trend["intercept"] == pytest.approx(expected.intercept, abs=1e-6)
    assert_mann_kendall_matches(trend, [float(y) for y in years], vals)


def assert_mann_kendall_matches(trend: dict[str, Any], t: list[float], vals: list[float]) -> None:
    """S from tau-b (no ties in time): S = tau sqrt(n0 (n0 - n2)); Var(S) from SciPy's own
    uncorrected z = S / sqrt(Var(S)); our p adds the continuity correction to that z."""
    n0 = len(vals) * (len(vals) - 1) / 2
    n2 = sum(c * (c - 1) / 2 for c in (vals.count(v) for v in set(vals)))
    if n2 == n0:  # every value tied: no test at all
        assert (trend["s"], trend["p_value"]) == (0, 1.0)
        return
    if len(vals) == 2:  # SciPy's asymptotic test divides by zero here
        assert trend["s"] == np.sign((vals[1] - vals[0]) * (t[1] - t[0]))
        return
    tau = stats.kendalltau(t, vals, method="asymptotic")
    s = tau.statistic * math.sqrt(n0 * (n0 - n2))
    assert trend["s"] == round(s)
    if trend["s"] != 0:
        z = stats.norm.isf(tau.pvalue / 2)
        assert trend["var_s"] == pytest.approx((s / z) ** 2, rel=1e-6)
        corrected = (abs(s) - 1) / abs(s) * z
        assert trend["p_value"] == pytest.approx(2 * stats.norm.sf(corrected), rel=1e-6)


@given(
    st.lists(st.one_of(st.none(), readings), max_size=10),
    st.sampled_from([-1, 0, 1]),
    st.integers(1, 10),
)
def test_p_values_lie_between_0_and_1_and_directions_follow_them(
    vals: list[float | None], sign: int, recent: int
) -> None:
    judged = trends(series(vals), indicators(("x", sign)), recent=recent)
    assert judged.height == (1 if any(v is not None for v in vals) else 0)
    for trend in judged.iter_rows(named=True):
        assert 0.0 <= trend["p_value"] <= 1.0
        assert trend["n"] <= recent
        moved = (trend["p_value"] < 0.05) and trend["n"] >= 3 and sign != 0
        assert (trend["direction"] in ("improving", "worsening")) == moved


@given(distinct_years, st.data())
def test_least_squares_slopes_agree_with_numpy(years: list[int], data: st.DataObject) -> None:
    vals = data.draw(st.lists(readings, min_size=len(years), max_size=len(years)))
    obs = series(vals).with_columns(t=pl.Series([float(y) for y in years]))
    assert ols_slopes(obs)["slope"].item() == pytest.approx(np.polyfit(years, vals, 1)[0], abs=1e-9)


def test_position_change_compares_the_ends_of_the_window() -> None:
    obs = pl.concat(
        [
            series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], LONDON[0]),
            series([6.0, 5.0, 4.0, 3.0, None, 7.0], LONDON[1]),
            series([3.5, 3.5, 3.5, 3.5, 3.5, 3.5], LONDON[2]),
        ]
    )
    changes = position_change(positions(obs, HIGHER), recent=5)
    assert changes.select(
        "authority", "first_period", "first_percentile", "last_percentile", "change"
    ).rows() == [
        (LONDON[0], "2015/16", 0.0, 50.0, 50.0),
        (LONDON[1], "2014/15", 100.0, 100.0, 0.0),
        (LONDON[2], "2015/16", 50.0, 0.0, -50.0),
    ]


@pytest.fixture
def london_lait() -> tuple[pl.DataFrame, pl.DataFrame]:
    lait = indicator_frame().filter(pl.col("indicator").str.starts_with("lait-"))
    return observation_frame(lait["indicator"].to_list(), LONDON), lait


@pytest.mark.django_db
def test_every_london_lait_series_agrees_with_scipy(
    london_lait: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, lait = london_lait
    judged = trends(obs, lait)
    assert judged.height > 1000  # 33 authorities x 40-odd indicators
    every = obs.drop_nulls("value").sort("t").partition_by("authority", "indicator", as_dict=True)
    for trend in judged.filter(pl.col("n") >= 2).iter_rows(named=True):
        last = every[trend["authority"], trend["indicator"]].tail(5)
        expected = stats.theilslopes(last["value"].to_numpy(), last["t"].to_numpy())
        assert trend["slope"] == pytest.approx(expected.slope, rel=1e-9, abs=1e-9)
        assert_mann_kendall_matches(trend, last["t"].to_list(), last["value"].to_list())
    assert set(judged["direction"].drop_nulls()) <= {
        "improving",
        "worsening",
        "no significant change",
        "too few periods",
    }


@pytest.mark.django_db
def test_least_squares_slopes_of_the_london_lait_series_are_duckdbs(
    london_lait: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, _ = london_lait
    ours = ols_slopes(obs)
    theirs = duckdb.sql(
        "SELECT authority, indicator, regr_slope(value, t) AS slope FROM obs GROUP BY ALL"
    ).pl()
    # DuckDB answers NaN for a single point, where we answer null.
    theirs = theirs.with_columns(pl.col("slope").fill_nan(None))
    both = theirs.join(ours, on=["authority", "indicator"], how="inner", suffix="_ours")
    assert both.height == ours.height > 1000
    assert both["slope"].is_null().to_list() == both["slope_ours"].is_null().to_list()
    gap = (both["slope"] - both["slope_ours"]).abs() / (both["slope"].abs() + 1)
    assert gap.max() < 1e-9  # type: ignore[operator]
