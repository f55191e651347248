"""Funnel plots: each authority's value against its size, with control limits around the
group's average that narrow as size grows, so that a small authority's chance swing is not
mistaken for a real difference (Spiegelhalter, "Funnel plots for comparing institutional
performance", Statistics in Medicine 24, 2005).

Points are a frame of `authority` (str), `value` (f64, in the indicator's units) and `size`
(f64 > 0, the population the value is measured on). Two kinds of value:
- `proportion`: a percentage (`per` = 100), limits from the normal approximation to the
  binomial, centre +- z * per * sqrt(p(1 - p) / size) with p the centre as a fraction;
- `rate`: a count per `per` of the size (per 10,000 children...), limits from the normal
  approximation to the Poisson, centre +- z * sqrt(centre * per / size).
The centre is the size-weighted mean, the group's pooled value. When sizes only stand in for
the true denominators (known in proportion, not in scale), `overdispersed` scales the variance
by phi, the mean squared z-score winsorised at 10% each end (Spiegelhalter's multiplicative
overdispersion), never below 1."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import polars as pl

Kind = Literal["proportion", "rate"]
Z95 = 1.959963984540054  # two-sided 95%
Z998 = 3.090232306167813  # two-sided 99.8%
WINSOR = 0.1  # share of z-scores pulled in at each end before phi is estimated
LIMIT_COLUMNS = ("lower998", "lower95", "upper95", "upper998")
FLAGS = ("above 99.8%", "above 95%", "within", "below 95%", "below 99.8%")


@dataclass(frozen=True)
class Funnel:
    kind: Kind
    per: float
    centre: float  # the size-weighted mean, in the value's units
    phi: float  # the overdispersion applied to the variance (1: none)
    spread: float  # phi as estimated from the points, applied or not
    points: pl.DataFrame  # the points with `sd`, `z` and `flag`

    def sd(self, size: pl.Expr) -> pl.Expr:
        """Standard deviation of a value measured on `size`, phi applied."""
        return (self.phi * unit_variance(self.kind, self.centre, self.per) / size).sqrt()

    def limits(self, sizes: pl.Series) -> pl.DataFrame:
        """The 95% and 99.8% limits at each size: `size`, lower998, lower95, upper95, upper998."""
        frame = pl.DataFrame({"size": sizes.cast(pl.Float64)})
        sd = self.sd(pl.col("size"))
        low, high = (0.0, self.per) if self.kind == "proportion" else (0.0, math.inf)
        return frame.with_columns(
            lower998=(self.centre - Z998 * sd).clip(low, high),
            lower95=(self.centre - Z95 * sd).clip(low, high),
            upper95=(self.centre + Z95 * sd).clip(low, high),
            upper998=(self.centre + Z998 * sd).clip(low, high),
        )

    def curve(self, steps: int = 80, margin: float = 1.0) -> pl.DataFrame:
        """Limits at sizes spaced evenly on a log scale from the smallest point's size (times
        `margin`) to the largest: the lines a chart draws."""
        if self.points.is_empty():
            return self.limits(pl.Series([], dtype=pl.Float64))
        low = math.log(float(self.points["size"].min()) * margin)  # type: ignore[arg-type]
        high = math.log(float(self.points["size"].max()))  # type: ignore[arg-type]
        grid = [math.exp(low + (high - low) * i / (steps - 1)) for i in range(steps)]
        return self.limits(pl.Series(grid))


def unit_variance(kind: Kind, centre: float, per: float) -> float:
    """The variance of one value measured on a size of 1, at the centre."""
    if kind == "proportion":
        p = min(max(centre / per, 0.0), 1.0)
        return per * per * p * (1.0 - p)
    return max(centre, 0.0) * per


def funnel(points: pl.DataFrame, kind: Kind, per: float, overdispersed: bool = False) -> Funnel:
    """The funnel for `points`; rows without a value or a positive size are left out."""
    usable = points.filter(
        pl.col("value").is_not_null(), pl.col("size").is_not_null(), pl.col("size") > 0
    ).sort("authority")
    weights = float(usable["size"].sum())
    total = float((usable["value"] * usable["size"]).sum())
    centre = total / weights if weights else math.nan
    plain = Funnel(kind, per, centre, 1.0, 1.0, usable)
    spread = estimated_phi(with_z(usable, plain))
    phi = max(spread, 1.0) if overdispersed else 1.0
    shaped = Funnel(kind, per, centre, phi, spread, usable)
    return Funnel(kind, per, centre, phi, spread, flagged(with_z(usable, shaped)))


def with_z(points: pl.DataFrame, shape: Funnel) -> pl.DataFrame:
    """`sd` at each point's size and `z`, its distance from the centre in sds (infinite
    where the limits have closed on the centre, as they do when every value is 0)."""
    gap = pl.col("value") - shape.centre
    z = (
        pl.when(pl.col("sd") > 0)
        .then(gap / pl.col("sd"))
        .when(gap > 0)
        .then(math.inf)
        .when(gap < 0)
        .then(-math.inf)
        .otherwise(0.0)
    )
    return points.with_columns(sd=shape.sd(pl.col("size"))).with_columns(z=z)


def estimated_phi(points: pl.DataFrame) -> float:
    """Mean squared z, with the z-scores winsorised at 10% each end; 1 with under 3 finite
    z-scores."""
    z = points.filter(pl.col("z").is_finite())["z"]
    if z.len() < 3:
        return 1.0
    low, high = z.quantile(WINSOR, "nearest"), z.quantile(1 - WINSOR, "nearest")
    clipped = z.clip(low, high)
    return float((clipped * clipped).mean())  # type: ignore[arg-type]


def flagged(points: pl.DataFrame) -> pl.DataFrame:
    """`flag`: where each point falls, from its z-score (equal to comparing its value with
    the limits at its size, before the limits are clipped to the possible range)."""
    z = pl.col("z")
    flag = (
        pl.when(z > Z998)
        .then(pl.lit(FLAGS[0]))
        .when(z > Z95)
        .then(pl.lit(FLAGS[1]))
        .when(z < -Z998)
        .then(pl.lit(FLAGS[4]))
        .when(z < -Z95)
        .then(pl.lit(FLAGS[3]))
        .otherwise(pl.lit(FLAGS[2]))
    )
    return points.with_columns(flag=flag)
