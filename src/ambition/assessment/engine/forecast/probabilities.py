"""The chance that a forecast falls into the comparator group's bottom quartile or misses its
target, and the early-warning list ranked by it."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from .forecasting import SERIES, _points

QUARTILE = 0.25
# Below this share of an indicator's authorities a period is too thin to set the threshold.
COMMON_SHARE = 0.5


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
    # Imported here, not at the top: scipy.stats takes half a second to import, and every
    # command would pay it at start-up (the methodology is read when the apps are ready).
    from scipy import stats  # type: ignore[import-untyped]

    return np.asarray(stats.t.cdf(z, np.asarray(df, float)), dtype=np.float64)


def _ranked(frame: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Only indicators with a stated polarity, with it attached, in the frame's order."""
    ranked = indicators.filter(pl.col("polarity") != 0).select("indicator", "polarity")
    return frame.join(ranked, on="indicator", maintain_order="left")


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
