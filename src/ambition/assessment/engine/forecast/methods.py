"""The forecast methods a methodology can choose for its early warning (`[warning] method`),
each giving every series P(bottom quartile next period):

- `last-value`: next value = last value, with the indicator's random-walk spread;
- `damped-trend`: last value + `phi` x the fitted yearly slope per year ahead, same spread;
- `trend`: the straight line through the last `window` values (the package docstring);
- `logistic`: a logistic regression of "in the bottom quartile next period", pooled over
  every authority and indicator, on what is known now: the position among the group, the
  distance to the threshold and the recent trend in units of the indicator's typical
  change, the series' own volatility in the same units, and whether it is in the bottom
  quartile now (also times the distance: how deep in it) and whether it was a period
  before (a series that stays in the bottom quartile tends to stay there);
- `naive`, the reference: the list is "in the bottom quartile now"; its probability is
  the persistence rate, the share of earlier cases in the same state (in the bottom
  quartile or not) that were in it a period later, so that it has a Brier score too.

The backtest fits the logistic model, and the persistence rates, only on cases whose
outcome was known by the origin being forecast; origins with no such history yet (the
first period or two) are left out of the backtest for every method, so that all methods
are scored on the same cases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from .forecasting import (
    CASE,
    DAMPED_TREND,
    LAST_VALUE_METHOD,
    TREND,
    _changes,
    _points,
    _predict,
    _window_fit,
    within_series,
)
from .probabilities import _goodness, _period_thresholds, _probability, _ranked

NAIVE = "naive"
LOGISTIC = "logistic"
METHODS = (NAIVE, LAST_VALUE_METHOD, DAMPED_TREND, TREND, LOGISTIC)
FORECASTING = (LAST_VALUE_METHOD, DAMPED_TREND, TREND)
DEFAULT_PHI = 0.8
CLIP = 10.0  # a feature in typical-change units beyond this says nothing more


@dataclass(frozen=True)
class WarningMethod:
    """A forecast method and its parameter: `phi` is used by the damped trend alone."""

    name: str = TREND
    phi: float = DEFAULT_PHI

    def __post_init__(self) -> None:
        if self.name not in METHODS:
            raise ValueError(f"no warning method {self.name!r}; there are {', '.join(METHODS)}")
        if not 0.0 <= self.phi <= 1.0:
            raise ValueError(f"phi should lie in [0, 1], not {self.phi}")

    @property
    def label(self) -> str:
        return f"{self.name} (phi {self.phi:g})" if self.name == DAMPED_TREND else self.name


def standing(obs: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Ranked points with their period's threshold, whether they are below it, and their
    position among the period's values (0 worst, 1 best), in series and time order."""
    points = _ranked(_points(obs), indicators).with_columns(goodness=_goodness())
    thresholds = _period_thresholds(points).select("indicator", "t", "threshold")
    rank = pl.col("goodness").rank("average").over("indicator", "t")
    was_bottom = within_series(pl.col("bottom").shift(1)).fill_null(pl.col("bottom"))
    return (
        points.join(thresholds, on=["indicator", "t"], maintain_order="left")
        .with_columns(
            bottom=pl.col("goodness") < pl.col("threshold"),
            position=(rank - 0.5) / pl.len().over("indicator", "t"),
        )
        .with_columns(was_bottom=was_bottom)
    )


def typical_change_by_origin(points: pl.DataFrame, origins: pl.DataFrame) -> pl.DataFrame:
    """The indicator's random-walk spread as it stood at each origin: changes dated up to it."""
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


def _features() -> list[pl.Expr]:
    scale = pl.when(pl.col("typical_change") > 0).then(pl.col("typical_change"))
    fitted = (pl.col("points") >= 2) & (pl.col("sxx") > 0)
    slope = pl.when(fitted).then(pl.col("sxy") / pl.col("sxx")).otherwise(0.0)
    residual = (pl.col("syy") - slope * pl.col("sxy")).clip(0.0) / (pl.col("points") - 2)
    spread = pl.when(pl.col("points") >= 3).then(residual.sqrt() / scale).otherwise(1.0)
    distance = ((pl.col("goodness") - pl.col("threshold")) / scale).clip(-CLIP, CLIP)
    bottom = pl.col("bottom").cast(pl.Float64)
    return [
        distance.alias("distance"),
        (pl.col("polarity") * slope / scale).clip(-CLIP, CLIP).alias("trend"),
        spread.clip(0.0, CLIP).alias("volatility"),
        bottom.alias("bottom"),
        (distance * bottom).alias("distance_bottom"),
        pl.col("was_bottom").cast(pl.Float64).alias("was_bottom"),
    ]


def origin_fits(
    ranked: pl.DataFrame, origins: pl.DataFrame, window: int, next_t: str
) -> pl.DataFrame:
    """Each origin (a ranked point, with `origin` its t) with its window's least-squares
    sums, the spread as it stood then, the period to forecast (`t_next`, from the column
    `next_t`) and the logistic model's features."""
    fit = (
        _window_fit(ranked, origins, window)
        .join(origins, on=CASE)
        .with_columns(t_next=pl.col(next_t))
        .join(typical_change_by_origin(ranked, origins), on=["indicator", "origin"], how="left")
    )
    return fit.with_columns(_features())


def forecast_probability(fit: pl.DataFrame, method: WarningMethod) -> pl.DataFrame:
    """A forecasting method's forecast, spread and P(below the `threshold` column)."""
    forecast = _predict(fit, 0.8, method.name, method.phi)
    return forecast.with_columns(p_bottom_quartile=_probability(forecast, "threshold"))


def persistence(cases: pl.DataFrame) -> pl.Series:
    """Each case's persistence rate from the cases whose outcome was known by its origin;
    null where there were none yet."""
    now = cases["bottom"].to_numpy().astype(bool)
    later = cases["in_bottom_quartile"].to_numpy().astype(float)
    origin, known = cases["origin"].to_numpy(), cases["next_t"].to_numpy()
    out = np.full(len(cases), np.nan)
    for at in np.unique(origin):
        train, here = known <= at, origin == at
        for state in (True, False):
            seen = train & (now == state)
            if seen.any():
                out[here & (now == state)] = later[seen].mean()
    return pl.Series(out, dtype=pl.Float64).fill_nan(None)


def latest_persistence(history: pl.DataFrame, now: pl.DataFrame) -> pl.Series:
    """The persistence rates of all of `history`, for the states in `now`."""
    rates = history.group_by("bottom").agg(
        rate=pl.col("in_bottom_quartile").cast(pl.Float64).mean()
    )
    found = now.select("bottom").join(rates, on="bottom", how="left", maintain_order="left")
    return found["rate"].fill_null(now["bottom"].cast(pl.Float64))
