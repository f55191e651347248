"""The rolling-origin backtest: for every origin t, forecast t+1 from the data up to t by
every method, flag the likely bottom quartile, and score the flags and the probabilities
against what happened, beside the naive rule "in the bottom quartile now"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from . import logistic
from .forecasting import CASE, SERIES
from .methods import (
    FORECASTING,
    LOGISTIC,
    NAIVE,
    WarningMethod,
    forecast_probability,
    origin_fits,
    persistence,
    standing,
)
from .metrics import calibration, confusion, rates

ALL_METHODS = (
    WarningMethod("naive"),
    WarningMethod("last-value"),
    WarningMethod("damped-trend"),
    WarningMethod("trend"),
    WarningMethod("logistic"),
)
# Calibration is judged only where a decile holds this many cases; and within this gap.
CALIBRATION_CASES = 100
CALIBRATION_POINTS = 5.0


@dataclass(frozen=True)
class Backtest:
    """Every case (authority, indicator, origin period) once per method, the confusion
    counts, rates and Brier score per scope ("all" or a service area) and method, and the
    calibration per method over all cases."""

    cases: pl.DataFrame
    summary: pl.DataFrame
    calibration: pl.DataFrame
    window: int
    cutoff: float
    min_history: int
    methods: tuple[WarningMethod, ...]

    def score(self, method: str, scope: str = "all") -> dict[str, float | int | None]:
        rows = self.summary.filter((pl.col("method") == method) & (pl.col("scope") == scope))
        return rows.to_dicts()[0] if rows.height else {}

    def calibrated(self, method: str) -> bool:
        """Within CALIBRATION_POINTS in every decile that holds CALIBRATION_CASES or more."""
        mine = self.calibration.filter(
            pl.col("method") == method, pl.col("cases") >= CALIBRATION_CASES
        )
        return bool((mine["gap_points"] <= CALIBRATION_POINTS).all())

    def pick(self) -> str | None:
        """The best Brier score among the methods that beat the naive rule on F1; None when
        none does, or the naive rule was not run."""
        naive = self.score(NAIVE)
        if naive.get("f1") is None:
            return None
        rows = self.summary.filter(
            pl.col("scope") == "all",
            pl.col("method") != NAIVE,
            pl.col("f1") > naive["f1"],
        ).sort("brier", "method")
        return rows["method"][0] if rows.height else None


def _periods(obs: pl.DataFrame) -> pl.DataFrame:
    """Each indicator's periods in order, each with the one after it."""
    periods = obs.select("indicator", "t").unique().sort("indicator", "t")
    return periods.with_columns(next_t=pl.col("t").shift(-1).over("indicator"))


def _cases(ranked: pl.DataFrame, obs: pl.DataFrame, min_history: int) -> pl.DataFrame:
    """Origins with enough history whose next period has an actual value."""
    actual = ranked.select(*SERIES, next_t="t", actual_value="value", in_bottom_quartile="bottom")
    return (
        ranked.filter(pl.col("idx") + 1 >= min_history)
        .join(_periods(obs), on=["indicator", "t"])
        .join(actual, on=[*SERIES, "next_t"])
        .rename({"t": "origin", "value": "origin_value"})
        .with_columns(naive_flagged=pl.col("bottom"))
    )


def _probability(fit: pl.DataFrame, method: WarningMethod) -> pl.DataFrame:
    """`p_bottom_quartile` (and, for a forecasting method, its forecast) of every case."""
    if method.name in FORECASTING:
        return forecast_probability(fit, method).select(*CASE, *FORECAST, "p_bottom_quartile")
    p = logistic.rolling(fit) if method.name == LOGISTIC else persistence(fit)
    return fit.select(*CASE).with_columns(p_bottom_quartile=p)


FORECAST = ["points", "forecast", "sd_pred"]


def _long(fit: pl.DataFrame, methods: Sequence[WarningMethod], cutoff: float) -> pl.DataFrame:
    """One row per case and method, on the cases every method gives a probability for."""
    found = {m.label: _probability(fit, m).drop_nulls("p_bottom_quartile") for m in methods}
    common = fit.select(CASE)
    for frame in found.values():
        common = common.join(frame.select(CASE), on=CASE, how="semi")
    kept = [c for c in CASE_COLUMNS if c in fit.columns]
    base = fit.join(common, on=CASE, how="semi").select(kept)
    parts = []
    for method in methods:
        part = base.join(found[method.label], on=CASE, how="left")
        flagged = (
            pl.col("naive_flagged")
            if method.name == NAIVE
            else pl.col("p_bottom_quartile") >= cutoff
        )
        parts.append(part.with_columns(method=pl.lit(method.label), flagged=flagged))
    return pl.concat(parts, how="diagonal_relaxed").sort("method", *CASE)


def _summary(cases: pl.DataFrame) -> pl.DataFrame:
    """Counts, rates and the Brier score per method, over all cases and per service area."""
    parts = [confusion(cases, ["method"]).with_columns(scope=pl.lit("all"))]
    if "service_area" in cases.columns:
        areas = cases.with_columns(scope=pl.col("service_area").fill_null("(none)"))
        parts.append(confusion(areas, ["scope", "method"]))
    order = [pl.col("scope") != "all", "scope", "method"]
    summary = rates(pl.concat(parts, how="diagonal")).sort(order)
    return summary.select("scope", "method", pl.exclude("scope", "method"))


def backtest(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    window: int = 5,
    cutoff: float = 0.5,
    min_history: int = 3,
    methods: Sequence[WarningMethod] = ALL_METHODS,
) -> Backtest:
    """For every ranked series with at least `min_history` values by t and a value at its
    indicator's next period, each method's P(bottom quartile at t+1) from the data up to t
    (the threshold too); each method's list flags P >= `cutoff` (the naive one: the bottom
    quartile now), scored against whether the series was in the bottom quartile at t+1."""
    ranked = standing(obs, indicators)
    cases = _cases(ranked, obs, min_history)
    if "service_area" in indicators.columns:
        cases = cases.join(indicators.select("indicator", "service_area"), on="indicator")
    fit = origin_fits(ranked, cases, window, "next_t").with_columns(
        bottom_quartile=pl.col("threshold") * pl.col("polarity").cast(pl.Float64)
    )
    long = _long(fit, methods, cutoff)
    return Backtest(
        cases=long,
        summary=_summary(long),
        calibration=calibration(long, ["method"]),
        window=window,
        cutoff=cutoff,
        min_history=min_history,
        methods=tuple(methods),
    )


CASE_COLUMNS = [
    *CASE,
    "service_area",
    "next_t",
    "origin_value",
    "bottom_quartile",
    "naive_flagged",
    "actual_value",
    "in_bottom_quartile",
]
