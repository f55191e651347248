"""Next-period forecasts: a straight line through each series' last values, or its last
value with the indicator's typical change as the spread, and the prediction interval."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable

import numpy as np
import polars as pl

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


def series_start() -> pl.Expr:
    """Whether a row opens its series, in a frame sorted by series. A window over each
    series of a sorted frame is then a shift or a difference of the whole column, masked
    here: as exact as `.over(SERIES)`, and several times faster than grouping by two
    strings (hundreds of thousands of rows in a national run)."""
    changed = [pl.col(c) != pl.col(c).shift(1) for c in SERIES]
    return pl.any_horizontal(changed).fill_null(True)


def within_series(expr: pl.Expr) -> pl.Expr:
    """`expr`, a look one row back (a shift or difference by one), where that row is of
    the same series; null at each series' first row, as `expr.over(SERIES)` would be."""
    return pl.when(~series_start()).then(expr)


def series_end() -> pl.Expr:
    """Whether a row closes its series (its latest point), in a frame sorted by series."""
    return series_start().shift(-1).fill_null(True)


def _position() -> pl.Expr:
    """Each row's position in its series (0 first), in a frame sorted by series."""
    row = pl.int_range(pl.len())
    return row - pl.when(series_start()).then(row).forward_fill()


def _points(obs: pl.DataFrame) -> pl.DataFrame:
    """Non-null values in time order, each with its position `idx` in its series."""
    return (
        obs.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
        .select(*SERIES, "t", "value")
        .sort(*SERIES, "t")
        .with_columns(idx=_position())
    )


def row_sum(terms: Iterable[pl.Expr]) -> pl.Expr:
    """The terms added left to right, a missing one as 0: the same bits on any number of
    threads (Polars' sum_horizontal may add in another order on another machine, and a run
    must give the same digest wherever it is made)."""
    return functools.reduce(operator.add, (t.fill_null(0.0) for t in terms), pl.lit(0.0))


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
    )
    # Every point is shifted, but only the origins' windows are summed.
    at = origins.select(*CASE, "idx").join(lagged, on=[*SERIES, "idx"])
    means = at.with_columns(
        points=pl.sum_horizontal(*[pl.col(c).is_not_null() for c in ts]).cast(pl.Int64)
    ).with_columns(
        t_mean=row_sum(pl.col(c) for c in ts) / pl.col("points"),
        y_mean=row_sum(pl.col(c) for c in ys) / pl.col("points"),
    )
    tc = [pl.col(t) - pl.col("t_mean") for t in ts]
    yc = [pl.col(y) - pl.col("y_mean") for y in ys]
    return means.select(
        *CASE,
        "points",
        "t_mean",
        "y_mean",
        sxx=row_sum(x * x for x in tc),
        sxy=row_sum(x * y for x, y in zip(tc, yc, strict=True)),
        syy=row_sum(y * y for y in yc),
        last_t="t",
        last_value="value",
    )


def _t_quantile(df: pl.Series, q: float) -> pl.Series:
    # Imported here, not at the top: scipy.stats takes half a second to import, and every
    # command would pay it at start-up (the methodology is read when the apps are ready).
    from scipy import stats  # type: ignore[import-untyped]

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
    return points.sort(*SERIES, "t").with_columns(change=within_series(step)).drop_nulls("change")


def _typical_change(changes: pl.DataFrame) -> pl.DataFrame:
    return changes.group_by("indicator").agg(
        typical_change=(pl.col("change") ** 2).mean().sqrt(), changes=pl.len().cast(pl.Int64)
    )


def _next_t(obs: pl.DataFrame) -> pl.DataFrame:
    """Last period + the series' median spacing (else the indicator's, else a year). Each
    period of a series counts once, valued or not."""
    ordered = obs.select(*SERIES, "t").sort(*SERIES, "t")
    distinct = series_start() | (pl.col("t") != pl.col("t").shift(1))
    steps = ordered.filter(distinct).with_columns(step=within_series(pl.col("t").diff()))
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


def forecast_at(
    obs: pl.DataFrame,
    at: pl.DataFrame,
    window: int = 5,
    level: float = 0.8,
    method: str = TREND,
    phi: float = 1.0,
) -> pl.DataFrame:
    """Per row of `at` (`authority, indicator, t_next` and any key columns), the forecast
    for the time `t_next` and its `level` prediction interval, from the last `window`
    values of the series, by `method` (see the package docstring). Every column of the fit
    is kept; a local area agreement's target year is read this way."""
    points = _points(obs)
    origins = points.filter(series_end()).with_columns(origin=pl.col("t"))
    fit = (
        _window_fit(points, origins, window)
        .join(at, on=SERIES)
        .join(_typical_change(_changes(points)), on="indicator", how="left")
    )
    return _predict(fit, level, method, phi)


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
    ahead = forecast_at(obs, _next_t(obs), window, level, method, phi)
    return ahead.select(FORECAST_COLUMNS).sort(SERIES)
