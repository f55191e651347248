"""Direction of travel of each series (one authority's values of one indicator over time):
a Theil-Sen slope with a Mann-Kendall test over its recent periods, or the source's own
confidence intervals where it gives them; a least-squares slope over all periods; and the
change in percentile among comparators. Every series at once: the pairs of points within
each series come from a self-join, so there is no Python loop per series."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.special import ndtr  # type: ignore[import-untyped]

from ambition.assessment.engine.positions import polarity_of

SERIES = ("authority", "indicator")
KEY = "_series"
TOO_FEW = 3
IMPROVING, WORSENING = "improving", "worsening"
NO_CHANGE, TOO_FEW_PERIODS = "no significant change", "too few periods"
MANN_KENDALL, INTERVALS = "mann-kendall", "confidence intervals"
# How a page names each test in a sentence ("p = 0.02, 5 periods, by the Mann-Kendall test").
EVIDENCE_WORDS = {
    MANN_KENDALL: "by the Mann-Kendall test",
    INTERVALS: "by the confidence intervals",
}

t, value = pl.col("t"), pl.col("value")


def trends(
    obs: pl.DataFrame, indicators: pl.DataFrame, recent: int = 5, alpha: float = 0.05
) -> pl.DataFrame:
    """Per authority and indicator, over its last `recent` non-null periods: `n`,
    `first_period`, `last_period`, Theil-Sen `slope` (per year, the median of the pairwise
    slopes) and `intercept` (median value - slope x median t), Mann-Kendall `s`, `var_s`
    (corrected for tied values), `z` (continuity-corrected) and two-sided `p_value`,
    `slope_goodness` (slope x polarity: positive = getting better), `direction` and the
    `evidence` it rests on.

    The p-value is the normal approximation, which is approximate for small n (with 5
    points the exact distribution of S is coarse; no p-value below about 0.03 is possible).
    Where obs has `lower` and `upper` for both the first and last point of the window, the
    change is significant when those two intervals do not overlap, and `evidence` says
    "confidence intervals" instead of "mann-kendall". An indicator with polarity 0 has no
    direction (null); fewer than 3 periods give "too few periods" and no evidence."""
    # Collected once: the three summaries below would otherwise each recompute it.
    window = recent_window(obs.lazy(), "value", recent).collect().lazy()
    series = (
        endpoints(window, obs.columns)
        .join(pairwise(window), on=KEY, how="left")
        .join(tie_terms(window), on=KEY, how="left")
    )
    polarity = polarity_of(indicators)
    tested = mann_kendall(series).with_columns(
        intercept=pl.col("median_value") - pl.col("slope") * pl.col("median_t"),
        slope_goodness=pl.col("slope") * polarity,
    )
    return judged(tested, polarity, alpha).select(TREND_COLUMNS).sort(SERIES).collect()


TREND_COLUMNS = (
    *SERIES,
    "n",
    "first_period",
    "last_period",
    "slope",
    "intercept",
    "s",
    "var_s",
    "z",
    "p_value",
    "slope_goodness",
    "direction",
    "evidence",
)


def recent_window(rows: pl.LazyFrame, column: str, recent: int) -> pl.LazyFrame:
    """The rows of each series' last `recent` periods (by `t`) where `column` is not null,
    with the series' integer `KEY`: grouping on it is faster than on two strings."""
    counted = pl.when(pl.col(column).is_not_null()).then(t)
    latest_first = counted.rank("ordinal", descending=True).over(KEY)
    return rows.with_columns(series_key()).filter(latest_first <= recent)


def series_key() -> pl.Expr:
    """Authority and indicator as one integer (their categorical codes side by side)."""
    authority, indicator = (pl.col(c).cast(pl.Categorical).to_physical() for c in SERIES)
    return (authority.cast(pl.UInt64) * 2**32 + indicator).alias(KEY)


def endpoints(window: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """Per series: size, first and last period, medians for the intercept, and the first
    and last points' values and intervals for the confidence-interval test."""
    first, last = t.arg_min(), t.arg_max()
    ends = [pl.col("period").get(first).alias("first_period")]
    ends += [pl.col("period").get(last).alias("last_period")]
    for column in ("value", "lower", "upper"):
        if column in columns:
            ends += [pl.col(column).get(first).alias(f"first_{column}")]
            ends += [pl.col(column).get(last).alias(f"last_{column}")]
    return window.group_by(KEY).agg(
        pl.first(*SERIES), *ends, n=pl.len(), median_t=t.median(), median_value=value.median()
    )


def pairwise(window: pl.LazyFrame) -> pl.LazyFrame:
    """Per series, over every pair of points (earlier, later): the median slope (Theil-Sen)
    and S, the number of rises minus the number of falls (Mann-Kendall)."""
    points = window.select(KEY, "t", "value")
    pairs = points.join(points, on=KEY, suffix="_later").filter(pl.col("t_later") > t)
    rise = pl.col("value_later") - value
    return pairs.group_by(KEY).agg(
        slope=(rise / (pl.col("t_later") - t)).median(), s=rise.sign().sum().cast(pl.Int64)
    )


def tie_terms(window: pl.LazyFrame) -> pl.LazyFrame:
    """Per series, the sum over groups of tied values of c(c - 1)(2c + 5), c the group's size:
    what ties take off the variance of S."""
    c = pl.col("len").cast(pl.Float64)
    tied = window.group_by(KEY, "value").len().filter(pl.col("len") > 1)
    return tied.group_by(KEY).agg(ties=(c * (c - 1) * (2 * c + 5)).sum())


def mann_kendall(series: pl.LazyFrame) -> pl.LazyFrame:
    """Adds the variance of S, the continuity-corrected z and the two-sided p-value."""
    n = pl.col("n").cast(pl.Float64)
    s = pl.col("s").fill_null(0)
    var_s = (n * (n - 1) * (2 * n + 5) - pl.col("ties").fill_null(0.0)) / 18
    sd = pl.col("var_s").sqrt()
    z = pl.when(s > 0).then((s - 1) / sd).when(s < 0).then((s + 1) / sd).otherwise(0.0)
    return (
        series.with_columns(s=s, var_s=var_s)
        .with_columns(z=pl.when(pl.col("var_s") > 0).then(z).otherwise(0.0))
        .with_columns(p_value=pl.col("z").map_batches(two_sided_p, return_dtype=pl.Float64))
    )


def two_sided_p(z: pl.Series) -> pl.Series:
    return pl.Series(z.name, 2.0 * ndtr(-np.abs(z.to_numpy())), dtype=pl.Float64)


def judged(series: pl.LazyFrame, polarity: pl.Expr, alpha: float) -> pl.LazyFrame:
    """Adds `direction` and `evidence`: the intervals decide where both ends have one,
    Mann-Kendall elsewhere; the sign of the decided change, times polarity, says which way."""
    significant, change, evidence = pl.col("p_value") < alpha, pl.col("s"), pl.lit(MANN_KENDALL)
    if {"first_lower", "first_upper"} <= set(series.collect_schema().names()):
        significant, change, evidence = interval_test(significant, change, evidence)
    return series.with_columns(
        direction=direction(change.sign() * polarity, significant),
        evidence=pl.when(pl.col("n") >= TOO_FEW).then(evidence),
    )


def interval_test(
    significant: pl.Expr, change: pl.Expr, evidence: pl.Expr
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Where the first and last points both have an interval, the change between them is
    significant when the intervals do not overlap; elsewhere the given test stands."""
    both = pl.all_horizontal(
        pl.col(f"{end}_{side}").is_not_null()
        for end in ("first", "last")
        for side in ("lower", "upper")
    )
    overlap = (pl.col("first_lower") <= pl.col("last_upper")) & (
        pl.col("last_lower") <= pl.col("first_upper")
    )
    return (
        pl.when(both).then(~overlap).otherwise(significant),
        pl.when(both).then(pl.col("last_value") - pl.col("first_value")).otherwise(change),
        pl.when(both).then(pl.lit(INTERVALS)).otherwise(evidence),
    )


def direction(better: pl.Expr, significant: pl.Expr) -> pl.Expr:
    """`better` is the sign of the change in goodness, null without a polarity."""
    return (
        pl.when(pl.col("n") < TOO_FEW)
        .then(pl.lit(TOO_FEW_PERIODS))
        .when(better.is_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(significant & (better > 0))
        .then(pl.lit(IMPROVING))
        .when(significant & (better < 0))
        .then(pl.lit(WORSENING))
        .otherwise(pl.lit(NO_CHANGE))
    )


def ols_slopes(obs: pl.DataFrame) -> pl.DataFrame:
    """Per authority and indicator, the least-squares slope of value on `t` over every
    non-null period (DuckDB's regr_slope), with the number of points `n`."""
    fitted = (pl.cov(t, value) / t.var()).over(KEY)
    return (
        obs.lazy()
        .filter(value.is_not_null())
        .with_columns(series_key())
        .with_columns(n=pl.len().over(KEY), slope=fitted)
        .filter(pl.col(KEY).is_first_distinct())
        .select(*SERIES, "n", slope=pl.when(pl.col("slope").is_finite()).then(pl.col("slope")))
        .sort(SERIES)
        # The streaming engine adds partial sums in whatever order its threads finish, so
        # the last digits could differ between two runs on the same data; this one cannot.
        .collect(engine="in-memory")
    )


def position_change(positions_frame: pl.DataFrame, recent: int = 5) -> pl.DataFrame:
    """Per authority and indicator, the percentile at the first and the last period of its
    last `recent` ranked periods, and `change` (positive = moved up among comparators)."""
    first, last = t.arg_min(), t.arg_max()
    pct = pl.col("percentile")
    return (
        recent_window(positions_frame.lazy(), "percentile", recent)
        .group_by(KEY)
        .agg(
            pl.first(*SERIES),
            first_period=pl.col("period").get(first),
            last_period=pl.col("period").get(last),
            first_percentile=pct.get(first),
            last_percentile=pct.get(last),
        )
        .with_columns(change=pl.col("last_percentile") - pl.col("first_percentile"))
        .drop(KEY)
        .sort(SERIES)
        .collect()
    )
