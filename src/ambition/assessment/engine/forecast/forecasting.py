"""Next-period forecasts: a straight line through each series' last values, or its last
value with the indicator's typical change as the spread, and the prediction interval."""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy import stats  # type: ignore[import-untyped]

SERIES = ["authority", "indicator"]
CASE = [*SERIES, "origin"]
LINEAR_TREND = "linear trend"
LAST_VALUE = "last value"
DAMPED_LABEL = "damped trend"
MIN_TREND_POINTS = 3
# The forecast methods a methodology can choose (`[warning] method`); see `methods.py`.
TREND = "trend"
DAMPED_TREND = "damped-trend"
LAST_VALUE_METHOD = "last-value"


def _points(obs: pl.DataFrame) -> pl.DataFrame:
    """Non-null values in time order, each with its position `idx` in its series."""
    return (
        obs.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
        .select(*SERIES, "t", "value")
        .sort(*SERIES, "t")
        .with_columns(idx=pl.int_range(pl.len()).over(SERIES))
    )


def _window_fit(points: pl.DataFrame, origins: pl.DataFrame, window: int) -> pl.DataFrame:
    """For each origin (a point, by its `idx`), the centred least-squares sums of the last
    `window` points up to it (centring keeps decimal years accurate). Every point's window
    is read off the sorted points by shifting, with no join or grouping per window."""
    ordered = points.select(*SERIES, "idx", "t", "value").sort(*SERIES, "idx")
    ts, ys = [f"t{k}" for k in range(window)], [f"y{k}" for k in range(window)]
    within = [pl.col("idx") >= k for k in range(window)]
    lagged = ordered.with_columns(
        *[
            pl.when(w).then(pl.col("t").shift(k)).alias(c)
            for k, (w, c) in enumerate(zip(within, ts, strict=True))
        ],
        *[
            pl.when(w).then(pl.col("value").shift(k)).alias(c)
            for k, (w, c) in enumerate(zip(within, ys, strict=True))
        ],
    ).with_columns(points=pl.sum_horizontal(*[pl.col(c).is_not_null() for c in ts]).cast(pl.Int64))
    means = lagged.with_columns(
        t_mean=pl.sum_horizontal(ts) / pl.col("points"),
        y_mean=pl.sum_horizontal(ys) / pl.col("points"),
    )
    tc = [pl.col(t) - pl.col("t_mean") for t in ts]
    yc = [pl.col(y) - pl.col("y_mean") for y in ys]
    fit = means.select(
        *SERIES,
        "idx",
        "points",
        "t_mean",
        "y_mean",
        sxx=pl.sum_horizontal([x * x for x in tc]),
        sxy=pl.sum_horizontal([x * y for x, y in zip(tc, yc, strict=True)]),
        syy=pl.sum_horizontal([y * y for y in yc]),
        last_t="t",
        last_value="value",
    )
    return origins.select(*CASE, "idx").join(fit, on=[*SERIES, "idx"]).drop("idx")


def _t_quantile(df: pl.Series, q: float) -> pl.Series:
    quantile = np.asarray(stats.t.ppf(q, df.cast(pl.Float64).fill_null(np.nan).to_numpy()))
    return pl.Series(quantile, dtype=pl.Float64).fill_nan(None)


def _predict(
    fit: pl.DataFrame, level: float, method: str = TREND, phi: float = 1.0
) -> pl.DataFrame:
    """Forecast at `t_next` by `method` (TREND, DAMPED_TREND or LAST_VALUE_METHOD); the fit
    carries the naive spread `typical_change`/`changes`. A damped trend starts from the
    last value and adds `phi` times the fitted yearly slope per year ahead, with the
    random-walk spread: the trend nudges the level, the spread stays a random walk's."""
    trend = (pl.col("points") >= MIN_TREND_POINTS) & (pl.col("sxx") > 0)
    if method == LAST_VALUE_METHOD:
        trend = pl.lit(False)
    slope = pl.col("sxy") / pl.col("sxx")
    naive_spread = pl.col("typical_change") * (pl.col("t_next") - pl.col("last_t")).sqrt()
    if method == DAMPED_TREND:
        forecast = pl.col("last_value") + phi * slope * (pl.col("t_next") - pl.col("last_t"))
        sd_trend, df_trend, label = naive_spread, pl.col("changes") - 1, DAMPED_LABEL
    else:
        residual_var = (pl.col("syy") - slope * pl.col("sxy")).clip(0.0) / (pl.col("points") - 2)
        t_gap = pl.col("t_next") - pl.col("t_mean")
        leverage = 1 + 1 / pl.col("points") + t_gap**2 / pl.col("sxx")
        forecast = pl.col("y_mean") + slope * t_gap
        sd_trend = pl.max_horizontal((residual_var * leverage).sqrt(), naive_spread)
        df_trend, label = pl.col("points") - 2, LINEAR_TREND
    out = fit.with_columns(
        method=pl.when(trend).then(pl.lit(label)).otherwise(pl.lit(LAST_VALUE)),
        forecast=pl.when(trend).then(forecast).otherwise(pl.col("last_value")),
        sd_pred=pl.when(trend).then(sd_trend).otherwise(naive_spread),
        df=pl.when(trend).then(df_trend).otherwise(pl.col("changes") - 1),
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
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    window: int = 5,
    level: float = 0.8,
    method: str = TREND,
    phi: float = 1.0,
) -> pl.DataFrame:
    """Per authority and indicator, the next period's forecast and its `level` prediction
    interval, from the last `window` values, by `method` (see the package docstring)."""
    obs = obs.join(indicators.select("indicator"), on="indicator", how="semi")
    points = _points(obs)
    origins = points.filter(pl.col("idx") == pl.col("idx").max().over(SERIES))
    origins = origins.with_columns(origin=pl.col("t"))
    fit = (
        _window_fit(points, origins, window)
        .join(_next_t(obs), on=SERIES)
        .join(_typical_change(_changes(points)), on="indicator", how="left")
    )
    return _predict(fit, level, method, phi).select(FORECAST_COLUMNS).sort(SERIES)
