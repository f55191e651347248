"""The early-warning list by the method a methodology chooses: the forecasting methods
(`last-value`, `damped-trend`, `trend`) give P(bottom quartile) from their forecast; the
learning ones (`logistic`, `naive`) are fitted on every earlier case of the series in the
frame (each origin whose next period is known) and applied to each series' latest value,
and keep the last-value forecast and interval for the page and the chance of missing a
target, which they do not model."""

from __future__ import annotations

import polars as pl

from . import logistic
from .backtesting import _cases
from .forecasting import LAST_VALUE_METHOD, SERIES, forecast_next, series_end
from .methods import (
    FORECASTING,
    LOGISTIC,
    WarningMethod,
    latest_persistence,
    origin_fits,
    standing,
)
from .probabilities import warning_probabilities


def _learnt(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    method: WarningMethod,
    window: int,
    next_periods: pl.DataFrame,
) -> pl.DataFrame:
    """`authority, indicator, p_learnt` at each series' latest value, forecast for its
    `t_next` in `next_periods`."""
    ranked = standing(obs, indicators)
    history = origin_fits(ranked, _cases(ranked, obs, min_history=3), window, "next_t")
    latest = ranked.filter(series_end())
    latest = latest.with_columns(origin=pl.col("t")).join(next_periods, on=SERIES)
    now = origin_fits(ranked, latest, window, "t_next").sort(SERIES)
    if method.name == LOGISTIC:
        p = logistic.latest(history, now)
    else:
        p = latest_persistence(history, now)
    # No probability (NaN) is no warning, never a stored NaN.
    return now.select(SERIES).with_columns(p_learnt=pl.Series(p, dtype=pl.Float64).fill_nan(None))


def early_warning(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    method: WarningMethod,
    window: int = 5,
    targets: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """`warning_probabilities`' list, with P(bottom quartile) by `method`."""
    # Sorted by series once: each step below that sorts its points again then passes over
    # rows already in order, instead of sorting hundreds of thousands of strings anew.
    obs = obs.select(*SERIES, "t", "value").sort(*SERIES, "t")
    learning = method.name not in FORECASTING
    base = LAST_VALUE_METHOD if learning else method.name
    forecasts = forecast_next(obs, indicators, window=window, method=base, phi=method.phi)
    found = warning_probabilities(forecasts, obs, indicators, targets)
    if not learning:
        return found
    found = (
        found.join(
            _learnt(obs, indicators, method, window, forecasts.select(*SERIES, "t_next")),
            on=SERIES,
            how="left",
        )
        .with_columns(
            p_bottom_quartile=pl.col("p_learnt"),
            method=pl.lit(f"{method.name}, last-value interval"),  # fits RunWarning.method
        )
        .with_columns(risk=pl.max_horizontal("p_bottom_quartile", "p_miss_target"))
        .drop("p_learnt")
    )
    return found.sort("risk", *SERIES, descending=[True, False, False], nulls_last=True)
