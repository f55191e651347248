"""The backtest: forecast every period from the data before it, flag the likely bottom
quartile, and score the flags against the naive rule "in the bottom quartile now"."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from .forecasting import CASE, SERIES, _changes, _fit, _points, _predict, _windows
from .probabilities import _goodness, _period_thresholds, _probability, _ranked


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
