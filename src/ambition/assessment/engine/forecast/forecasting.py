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
MIN_TREND_POINTS = 3


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
    interval, from the last `window` values (see the package docstring for the method)."""
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
