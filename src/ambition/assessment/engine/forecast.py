"""Early warning: each series' next value with a prediction interval, the chance that it
falls into the comparator group's bottom quartile or misses its target, and a backtest of
that warning against the naive rule "in the bottom quartile now, so next year too".

Everything is closed form (least squares and the t distribution), so the same frames
always give the same numbers and each one can be worked by hand:
- a series with at least three values is forecast by the straight line through its last
  `window` values; the prediction standard error is the textbook one for a new point,
  s * sqrt(1 + 1/n + (t_next - mean t)^2 / Sxx), with n - 2 degrees of freedom, but never
  less than the random-walk spread below: a short run of equal values (0% five years
  running) fits a line exactly, and would otherwise claim certainty about next year;
- a shorter series is forecast by its last value, with the indicator's typical
  year-on-year change as the spread: the root mean square, over every series of the
  indicator, of the change between consecutive values per square root of the years
  between them, times the square root of the years from the last value to the next
  period (a random walk's spread), with one fewer degree of freedom than there were
  changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import stats  # type: ignore[import-untyped]

SERIES = ["authority", "indicator"]
CASE = [*SERIES, "origin"]
LINEAR_TREND = "linear trend"
LAST_VALUE = "last value"
MIN_TREND_POINTS = 3
QUARTILE = 0.25
# Below this share of an indicator's authorities a period is too thin to set the threshold.
COMMON_SHARE = 0.5


def _points(obs: pl.DataFrame) -> pl.DataFrame:
    """Non-null values in time order, each with its position `idx` in its series."""
    return (
        obs.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
        .select(*SERIES, "t", "value")
        .sort(*SERIES, "t")
        .with_columns(idx=pl.int_range(pl.len()).over(SERIES))
    )


def _windows(points: pl.DataFrame, origins: pl.DataFrame, window: int) -> pl.DataFrame:
    """For each origin (a point, by its `idx`), the last `window` points up to it."""
    offsets = pl.DataFrame({"offset": pl.int_range(window, eager=True)})
    return (
        origins.select(*CASE, "idx")
        .join(offsets, how="cross")
        .with_columns(idx=pl.col("idx") - pl.col("offset"))
        .filter(pl.col("idx") >= 0)
        .join(points.select(*SERIES, "idx", "t", "value"), on=[*SERIES, "idx"])
    )


def _fit(windows: pl.DataFrame) -> pl.DataFrame:
    """Centred least-squares sums per case (centring keeps decimal years accurate)."""
    tc = pl.col("t") - pl.col("t").mean()
    yc = pl.col("value") - pl.col("value").mean()
    return windows.group_by(CASE).agg(
        points=pl.len().cast(pl.Int64),
        t_mean=pl.col("t").mean(),
        y_mean=pl.col("value").mean(),
        sxx=(tc * tc).sum(),
        sxy=(tc * yc).sum(),
        syy=(yc * yc).sum(),
        last_t=pl.col("t").max(),
        last_value=pl.col("value").sort_by("t").last(),
    )


def _t_quantile(df: pl.Series, q: float) -> pl.Series:
    quantile = np.asarray(stats.t.ppf(q, df.cast(pl.Float64).fill_null(np.nan).to_numpy()))
    return pl.Series(quantile, dtype=pl.Float64).fill_nan(None)


def _predict(fit: pl.DataFrame, level: float) -> pl.DataFrame:
    """Forecast at `t_next`; the fit carries the naive spread `typical_change`/`changes`."""
    trend = (pl.col("points") >= MIN_TREND_POINTS) & (pl.col("sxx") > 0)
    slope = pl.col("sxy") / pl.col("sxx")
    residual_var = (pl.col("syy") - slope * pl.col("sxy")).clip(0.0) / (pl.col("points") - 2)
    naive_spread = pl.col("typical_change") * (pl.col("t_next") - pl.col("last_t")).sqrt()
    leverage = 1 + 1 / pl.col("points") + (pl.col("t_next") - pl.col("t_mean")) ** 2 / pl.col("sxx")
    out = fit.with_columns(
        method=pl.when(trend).then(pl.lit(LINEAR_TREND)).otherwise(pl.lit(LAST_VALUE)),
        forecast=pl.when(trend)
        .then(pl.col("y_mean") + slope * (pl.col("t_next") - pl.col("t_mean")))
        .otherwise(pl.col("last_value")),
        sd_pred=pl.when(trend)
        .then(pl.max_horizontal((residual_var * leverage).sqrt(), naive_spread))
        .otherwise(naive_spread),
        df=pl.when(trend).then(pl.col("points") - 2).otherwise(pl.col("changes") - 1),
    ).with_columns(df=pl.when(pl.col("df") >= 1).then(pl.col("df")))
    half = pl.col("sd_pred") * _t_quantile(out["df"], (1 + level) / 2)
    return out.with_columns(lower=pl.col("forecast") - half, upper=pl.col("forecast") + half)


def _changes(points: pl.DataFrame) -> pl.DataFrame:
    """Each change between consecutive values of a series per square root of the years
    between them (a random walk's yearly step), dated by the later value."""
    step = pl.col("value").diff() / pl.col("t").diff().sqrt()
    return points.sort(*SERIES, "t").with_columns(change=step.over(SERIES)).drop_nulls("change")


def _typical_change(changes: pl.DataFrame) -> pl.DataFrame:
    return changes.group_by("indicator").agg(
        typical_change=(pl.col("change") ** 2).mean().sqrt(), changes=pl.len().cast(pl.Int64)
    )


def _next_t(obs: pl.DataFrame) -> pl.DataFrame:
    """Last period + the series' median spacing (else the indicator's, else a year)."""
    steps = (
        obs.select(*SERIES, "t")
        .unique()
        .sort(*SERIES, "t")
        .with_columns(step=pl.col("t").diff().over(SERIES))
    )
    typical = steps.group_by("indicator").agg(indicator_step=pl.col("step").median())
    series = steps.group_by(SERIES).agg(period_t=pl.col("t").max(), step=pl.col("step").median())
    step = pl.coalesce("step", "indicator_step", pl.lit(1.0))
    return series.join(typical, on="indicator", how="left").select(
        *SERIES, t_next=pl.col("period_t") + step
    )


FORECAST_COLUMNS = [
    *SERIES,
    "last_t",
    "last_value",
    "t_next",
    "forecast",
    "sd_pred",
    "df",
    "lower",
    "upper",
    "method",
    "points",
]


def forecast_next(
    obs: pl.DataFrame, indicators: pl.DataFrame, window: int = 5, level: float = 0.8
) -> pl.DataFrame:
    """Per authority and indicator, the next period's forecast and its `level` prediction
    interval, from the last `window` values (see the module docstring for the method)."""
    obs = obs.join(indicators.select("indicator"), on="indicator", how="semi")
    points = _points(obs)
    origins = points.filter(pl.col("idx") == pl.col("idx").max().over(SERIES))
    origins = origins.with_columns(origin=pl.col("t"))
    fit = (
        _fit(_windows(points, origins, window))
        .join(_next_t(obs), on=SERIES)
        .join(_typical_change(_changes(points)), on="indicator", how="left")
    )
    return _predict(fit, level).select(FORECAST_COLUMNS).sort(SERIES)


def probability_worse(
    threshold: npt.ArrayLike,
    polarity: npt.ArrayLike,
    forecast: npt.ArrayLike,
    sd_pred: npt.ArrayLike,
    df: npt.ArrayLike,
) -> npt.NDArray[np.float64]:
    """P(next goodness < threshold goodness) when the next value is t-distributed about
    `forecast` with scale `sd_pred`. A zero spread is a certain forecast: 1 if it is
    worse than the threshold, else 0. NaN where the inputs are unknown."""
    gap = np.asarray(threshold, float) - np.asarray(polarity, float) * np.asarray(forecast, float)
    sd = np.asarray(sd_pred, float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z = np.where(sd > 0, gap / sd, np.where(gap > 0, np.inf, -np.inf))
    z = np.where(np.isnan(gap) | np.isnan(sd), np.nan, z)
    return np.asarray(stats.t.cdf(z, np.asarray(df, float)), dtype=np.float64)


def _ranked(frame: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Only indicators with a stated polarity, with it attached."""
    ranked = indicators.filter(pl.col("polarity") != 0).select("indicator", "polarity")
    return frame.join(ranked, on="indicator")


def _goodness() -> pl.Expr:
    return pl.col("value") * pl.col("polarity").cast(pl.Float64)


def _period_thresholds(points: pl.DataFrame) -> pl.DataFrame:
    """25th percentile of goodness (linear interpolation) at each indicator and period."""
    return points.group_by("indicator", "t").agg(
        threshold=pl.col("goodness").quantile(QUARTILE, interpolation="linear"),
        reporting=pl.len(),
    )


def bottom_quartile_threshold(obs: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Per ranked indicator, the bottom-quartile threshold (in goodness) among the
    authorities in `obs` at their latest common period: the latest period that at least
    half of the indicator's authorities report."""
    points = _ranked(_points(obs), indicators).with_columns(goodness=_goodness())
    authorities = points.group_by("indicator").agg(authorities=pl.col("authority").n_unique())
    return (
        _period_thresholds(points)
        .join(authorities, on="indicator")
        .filter(pl.col("reporting") >= COMMON_SHARE * pl.col("authorities"))
        .group_by("indicator")
        .agg(pl.all().sort_by("t").last())
        .select("indicator", threshold_t="t", threshold="threshold")
        .sort("indicator")
    )


def _with_targets(frame: pl.DataFrame, targets: pl.DataFrame | None) -> pl.DataFrame:
    """A target for the authority and indicator, else the indicator's target for all."""
    if targets is None:
        return frame.with_columns(target=pl.lit(None, pl.Float64))
    if "authority" not in targets.columns:
        targets = targets.with_columns(authority=pl.lit(None, pl.String))
    own = targets.filter(pl.col("authority").is_not_null()).select(*SERIES, own="target")
    common = targets.filter(pl.col("authority").is_null()).select("indicator", common="target")
    return (
        frame.join(own, on=SERIES, how="left")
        .join(common, on="indicator", how="left")
        .with_columns(target=pl.coalesce("own", "common").cast(pl.Float64))
        .drop("own", "common")
    )


def _probability(frame: pl.DataFrame, threshold: str) -> pl.Series:
    p = probability_worse(
        frame[threshold].fill_null(np.nan).to_numpy(),
        frame["polarity"].to_numpy(),
        frame["forecast"].fill_null(np.nan).to_numpy(),
        frame["sd_pred"].fill_null(np.nan).to_numpy(),
        frame["df"].cast(pl.Float64).fill_null(np.nan).to_numpy(),
    )
    return pl.Series(p, dtype=pl.Float64).fill_nan(None)


def warning_probabilities(
    forecasts: pl.DataFrame,
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    targets: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The early-warning list: per authority and ranked indicator, the probability that
    the next value falls below the group's bottom-quartile threshold and, where `targets`
    (`indicator`, `target`, optional `authority`) gives one, that it misses the target.
    Ranked by the larger of the two."""
    frame = _with_targets(_ranked(forecasts, indicators), targets)
    frame = frame.join(bottom_quartile_threshold(obs, indicators), on="indicator", how="left")
    polarity = pl.col("polarity").cast(pl.Float64)
    frame = frame.with_columns(
        bottom_quartile=pl.col("threshold") * polarity, target_goodness=pl.col("target") * polarity
    )
    frame = frame.with_columns(
        p_bottom_quartile=_probability(frame, "threshold"),
        p_miss_target=_probability(frame, "target_goodness"),
    ).with_columns(risk=pl.max_horizontal("p_bottom_quartile", "p_miss_target"))
    return frame.drop("threshold", "target_goodness").sort(
        "risk", *SERIES, descending=[True, False, False], nulls_last=True
    )


@dataclass(frozen=True)
class Backtest:
    """Every case (authority, indicator, origin period) and the confusion counts per
    scope ("all" or a service area) and method ("model" or "naive")."""

    cases: pl.DataFrame
    summary: pl.DataFrame
    window: int
    cutoff: float
    min_history: int

    def score(self, method: str, scope: str = "all") -> dict[str, float | int | None]:
        rows = self.summary.filter((pl.col("method") == method) & (pl.col("scope") == scope))
        return rows.to_dicts()[0] if rows.height else {}


def _periods(obs: pl.DataFrame) -> pl.DataFrame:
    """Each indicator's periods in order, each with the one after it."""
    periods = obs.select("indicator", "t").unique().sort("indicator", "t")
    return periods.with_columns(next_t=pl.col("t").shift(-1).over("indicator"))


def _standing(obs: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Ranked points with the threshold of their own period and whether they are below it."""
    points = _ranked(_points(obs), indicators).with_columns(goodness=_goodness())
    thresholds = _period_thresholds(points).select("indicator", "t", "threshold")
    return points.join(thresholds, on=["indicator", "t"]).with_columns(
        bottom=pl.col("goodness") < pl.col("threshold")
    )


def _typical_change_by_origin(points: pl.DataFrame, origins: pl.DataFrame) -> pl.DataFrame:
    """The naive spread as it stood at each origin: only changes dated up to it."""
    by_period = (
        _changes(points)
        .group_by("indicator", "t")
        .agg(squares=(pl.col("change") ** 2).sum(), changes=pl.len().cast(pl.Int64))
        .sort("indicator", "t")
        .with_columns(pl.col("squares", "changes").cum_sum().over("indicator"))
    )
    keys = origins.select("indicator", "origin").unique().sort("indicator", "origin")
    return keys.join_asof(
        by_period, left_on="origin", right_on="t", by="indicator", check_sortedness=False
    ).select(
        "indicator",
        "origin",
        typical_change=(pl.col("squares") / pl.col("changes")).sqrt(),
        changes="changes",
    )


def _cases(standing: pl.DataFrame, obs: pl.DataFrame, min_history: int) -> pl.DataFrame:
    """Origins with enough history whose next period has an actual value."""
    actual = standing.select(*SERIES, next_t="t", actual_value="value", in_bottom_quartile="bottom")
    return (
        standing.filter(pl.col("idx") + 1 >= min_history)
        .join(_periods(obs), on=["indicator", "t"])
        .join(actual, on=[*SERIES, "next_t"])
        .rename({"t": "origin", "value": "origin_value", "bottom": "naive_flagged"})
    )


def _confusion(cases: pl.DataFrame, flag: str, scope: pl.Expr) -> pl.DataFrame:
    flagged, actual = pl.col(flag), pl.col("in_bottom_quartile")
    counts = cases.group_by(scope.alias("scope")).agg(
        cases=pl.len().cast(pl.Int64),
        flagged=flagged.sum().cast(pl.Int64),
        tp=(flagged & actual).sum().cast(pl.Int64),
        fp=(flagged & ~actual).sum().cast(pl.Int64),
        fn=(~flagged & actual).sum().cast(pl.Int64),
        tn=(~flagged & ~actual).sum().cast(pl.Int64),
    )
    return counts.with_columns(method=pl.lit("naive" if flag == "naive_flagged" else "model"))


def _rates(counts: pl.DataFrame) -> pl.DataFrame:
    tp, fp, fn = pl.col("tp"), pl.col("fp"), pl.col("fn")
    counts = counts.with_columns(
        precision=pl.when(tp + fp > 0).then(tp / (tp + fp)),
        recall=pl.when(tp + fn > 0).then(tp / (tp + fn)),
    )
    p, r = pl.col("precision"), pl.col("recall")
    return counts.with_columns(f1=pl.when(p + r > 0).then(2 * p * r / (p + r)))


def _summary(cases: pl.DataFrame) -> pl.DataFrame:
    """Confusion counts and rates for both methods, over all cases and per service area."""
    scopes = [pl.lit("all")]
    if "service_area" in cases.columns:
        scopes.append(pl.col("service_area").fill_null("(none)"))
    counts = pl.concat(
        _confusion(cases, flag, scope) for scope in scopes for flag in ("flagged", "naive_flagged")
    )
    order = [pl.col("scope") != "all", "scope", "method"]
    return _rates(counts).sort(order).select("scope", "method", pl.exclude("scope", "method"))


def _forecast_cases(standing: pl.DataFrame, cases: pl.DataFrame, window: int) -> pl.DataFrame:
    """Each case's forecast from its origin's history alone."""
    fit = (
        _fit(_windows(standing, cases, window))
        .join(cases, on=CASE)
        .with_columns(t_next=pl.col("next_t"))
        .join(_typical_change_by_origin(standing, cases), on=["indicator", "origin"], how="left")
    )
    return _predict(fit, level=0.8)


def backtest(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    window: int = 5,
    cutoff: float = 0.5,
    min_history: int = 3,
) -> Backtest:
    """Forecast every period t+1 from the data up to t (the bottom-quartile threshold too)
    for every ranked series with at least `min_history` values by t; flag it when
    p_bottom_quartile >= `cutoff`, and score the flags, and the naive "in the bottom
    quartile at t" flags, against whether it was in the bottom quartile at t+1."""
    standing = _standing(obs, indicators)
    cases = _cases(standing, obs, min_history)
    if "service_area" in indicators.columns:
        cases = cases.join(indicators.select("indicator", "service_area"), on="indicator")
    forecast = _forecast_cases(standing, cases, window)
    forecast = forecast.with_columns(p_bottom_quartile=_probability(forecast, "threshold"))
    forecast = forecast.drop_nulls("p_bottom_quartile").with_columns(
        flagged=pl.col("p_bottom_quartile") >= cutoff,
        bottom_quartile=pl.col("threshold") * pl.col("polarity").cast(pl.Float64),
    )
    kept = [c for c in CASE_COLUMNS if c in forecast.columns]
    cases = forecast.select(kept).sort(CASE)
    return Backtest(cases, _summary(cases), window, cutoff, min_history)


CASE_COLUMNS = [
    *CASE,
    "service_area",
    "next_t",
    "origin_value",
    "bottom_quartile",
    "method",
    "points",
    "forecast",
    "sd_pred",
    "p_bottom_quartile",
    "flagged",
    "naive_flagged",
    "actual_value",
    "in_bottom_quartile",
]
