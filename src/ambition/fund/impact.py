"""What an award's money did to the indicators it was meant to move, estimated honestly: a
difference in differences of the awarded authority against its nearest neighbours that had
no award on the same indicator.

The frames are the assessment's: observations `authority, indicator, t, value` (`t` when
the period ends: a decimal year as `observation_frame` gives it, an ordinal or a date) and
indicators `indicator, polarity` (+1 higher is better, -1 lower is better, 0 neither).
An award is dated in the same units as `t`.

The method, for one award and one indicator:
- the indicator's periods are those any authority in the frame has a value for. The
  *before* window is the last `before` periods that ended on or before the award; the
  *after* window skips the first `lag` periods that ended after it (money spent in
  November shows, if at all, in a later year's figures) and takes up to `after` periods;
- each authority's change is the mean of its after window minus the mean of its before
  window, counted only when it has a value in every period of both (a balanced panel, so
  that nobody's change is made of different years from anyone else's);
- the difference in differences is the treated authority's change minus the comparators'
  mean change; positive means the treated authority moved up relative to its comparators,
  and `estimate` turns it so that positive means better (unsigned where the indicator has
  no polarity, when the direction is unknown);
- the interval is a t prediction interval for one new unit from n comparators: if, without
  the award, the treated authority's change would have been like one more draw from the
  comparators' changes (parallel trends, with the same spread), then the difference has
  standard error sd * sqrt(1 + 1/n), sd the sample standard deviation of the comparators'
  changes, with n - 1 degrees of freedom. This is the classical interval for a single
  treated unit (it counts the treated unit's own noise, which a two-sample interval on
  many treated units would average away), and it is exact under normality. It is as good
  as the comparators are: an award to a council chosen for its problems can regress to the
  mean, which no choice of interval removes.
Statuses: "too early" when no period after the award and its lag has been reported for the
indicator; "not enough data" when the treated authority lacks a value in either window, or
fewer than `min_comparators` comparators have values in both; otherwise "estimated".
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import polars as pl
from scipy import stats  # type: ignore[import-untyped]

ESTIMATED, TOO_EARLY, NOT_ENOUGH_DATA = "estimated", "too early", "not enough data"
BETTER, WORSE, NO_CLEAR_DIFFERENCE = "better", "worse", "no clear difference"
UNKNOWN = "unknown"
INTERVAL = "t prediction interval for one treated authority from its comparators' changes"
CASE = ["award", "indicator"]
UNIT = [*CASE, "authority"]


@dataclass(frozen=True)
class ImpactSettings:
    """`lag`, `before` and `after` count periods; `level` is the interval's coverage."""

    min_comparators: int = 5
    lag: int = 1
    before: int = 2
    after: int = 2
    level: float = 0.95

    def __post_init__(self) -> None:
        # Two comparators at least: one gives no spread, so no interval.
        checks = {
            "min_comparators": self.min_comparators >= 2,
            "lag": self.lag >= 0,
            "before": self.before >= 1,
            "after": self.after >= 1,
            "level": 0 < self.level < 1,
        }
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"impact settings: {name} is out of range")


@dataclass(frozen=True)
class Impact:
    """One award's estimated effect on one indicator (see the module docstring)."""

    status: str
    polarity: int | None
    treated_before: float | None
    treated_after: float | None
    comparators_before: float | None
    comparators_after: float | None
    difference: float | None
    estimate: float | None
    lower: float | None
    upper: float | None
    level: float
    comparators: int
    direction: str | None
    interval: str = INTERVAL


# One row of `impacts` per award and indicator: the case, then the Impact's fields.
RESULT_COLUMNS = [
    *("award", "authority", "indicator", "awarded"),
    *(field.name for field in fields(Impact) if field.name != "interval"),
]


def impact(
    obs: pl.DataFrame,
    polarity: int | None,
    authority: str,
    indicator: str,
    awarded: float | datetime.date,
    comparators: Iterable[str],
    excluded: Collection[str] = (),
    settings: ImpactSettings | None = None,
) -> Impact:
    """One award's impact on one indicator, against `comparators` less `excluded` (those
    with an award on the same indicator)."""
    awards = pl.DataFrame(
        {"award": [0], "authority": [authority], "indicator": [indicator], "awarded": [awarded]}
    )
    peers = pl.DataFrame({"focus": authority, "peer": list(comparators)}, schema=PEERS)
    shut = pl.DataFrame({"authority": list(excluded), "indicator": indicator}, schema=EXCLUDED)
    indicators = pl.DataFrame({"indicator": [indicator], "polarity": [polarity or 0]})
    row = impacts(obs, awards, peers, indicators, settings, shut).row(0, named=True)
    found: dict[str, Any] = {k: row[k] for k in RESULT_COLUMNS[4:]}
    return Impact(**found)


PEERS = {"focus": pl.String, "peer": pl.String}
EXCLUDED = {"authority": pl.String, "indicator": pl.String}


def impacts(
    obs: pl.DataFrame,
    awards: pl.DataFrame,
    peers: pl.DataFrame,
    indicators: pl.DataFrame,
    settings: ImpactSettings | None = None,
    excluded: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every award's impact on each of its indicators at once. `awards` has one row per
    award and indicator (`award, authority, indicator, awarded`); `peers` holds each
    authority's nearest neighbours (`focus, peer`). A peer with an award on the same
    indicator in `awards` (at any date: its own grant would blur its change), or listed
    in `excluded` (`authority, indicator`), is no comparator."""
    settings = settings or ImpactSettings()
    cases = awards.select("award", "authority", "indicator", "awarded")
    values = obs.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
    windows = _windows(values, cases, settings)
    changes = _changes(values, windows, _units(cases, peers, excluded))
    summary = _summary(cases, windows, changes)
    return _judged(summary, indicators, settings).select(RESULT_COLUMNS).sort(CASE)


def _windows(values: pl.DataFrame, cases: pl.DataFrame, settings: ImpactSettings) -> pl.DataFrame:
    """Per award and indicator, the periods (`t`) of its before and after windows (`side`)."""
    grid = values.select("indicator", "t").unique()
    periods = cases.select(*CASE, "awarded").join(grid, on="indicator")
    ended_before = pl.col("t") <= pl.col("awarded")
    latest_first = pl.col("t").rank("ordinal", descending=True).over(CASE)
    earliest_first = pl.col("t").rank("ordinal").over(CASE)
    before = periods.filter(ended_before).filter(latest_first <= settings.before)
    later = periods.filter(~ended_before).with_columns(k=earliest_first)
    after = later.filter(
        (pl.col("k") > settings.lag) & (pl.col("k") <= settings.lag + settings.after)
    )
    return pl.concat(
        [
            before.select(*CASE, "t", side=pl.lit("before")),
            after.select(*CASE, "t", side=pl.lit("after")),
        ]
    )


def _units(cases: pl.DataFrame, peers: pl.DataFrame, excluded: pl.DataFrame | None) -> pl.DataFrame:
    """Per award and indicator: the treated authority and its eligible comparators."""
    shut = cases.select("authority", "indicator")
    if excluded is not None:
        shut = pl.concat([shut, excluded.select("authority", "indicator")])
    treated = cases.select(*UNIT, treated=pl.lit(True))
    others = (
        cases.join(peers, left_on="authority", right_on="focus")
        .filter(pl.col("peer") != pl.col("authority"))
        .select(*CASE, authority="peer", treated=pl.lit(False))
        .join(shut.unique(), on=["authority", "indicator"], how="anti")
        .unique(UNIT)
    )
    return pl.concat([treated, others])


def _changes(values: pl.DataFrame, windows: pl.DataFrame, units: pl.DataFrame) -> pl.DataFrame:
    """Each unit's mean value in each window, its change, and whether it has every period."""
    points = values.select("authority", "indicator", "t", "value")
    rows = units.join(windows, on=CASE).join(points, on=["authority", "indicator", "t"], how="left")
    value = pl.col("value")

    def side(name: str) -> list[pl.Expr]:
        here = pl.col("side") == name
        return [
            value.filter(here).mean().alias(name),
            ((value.filter(here).count() == here.sum()) & here.any()).alias(f"{name}_complete"),
        ]

    return (
        rows.group_by(*UNIT, "treated")
        .agg(*side("before"), *side("after"))
        .with_columns(
            change=pl.col("after") - pl.col("before"),
            complete=pl.col("before_complete") & pl.col("after_complete"),
        )
    )


def _summary(cases: pl.DataFrame, windows: pl.DataFrame, changes: pl.DataFrame) -> pl.DataFrame:
    """Per award and indicator: the treated authority's windows and change, the complete
    comparators' means, their changes' spread and count, and how many after periods exist."""
    after = windows.filter(pl.col("side") == "after").group_by(CASE).agg(after_periods=pl.len())
    treated = changes.filter("treated").select(
        *CASE,
        treated_before="before",
        treated_after="after",
        treated_change="change",
        treated_complete="complete",
    )
    control = (
        changes.filter(~pl.col("treated") & pl.col("complete"))
        .group_by(CASE)
        .agg(
            comparators_before=pl.col("before").mean(),
            comparators_after=pl.col("after").mean(),
            comparators_change=pl.col("change").mean(),
            spread=pl.col("change").std(ddof=1),
            comparators=pl.len().cast(pl.Int64),
        )
    )
    return (
        cases.join(after, on=CASE, how="left")
        .join(treated, on=CASE, how="left")
        .join(control, on=CASE, how="left")
        .with_columns(pl.col("comparators").fill_null(0))
    )


def _judged(
    summary: pl.DataFrame, indicators: pl.DataFrame, settings: ImpactSettings
) -> pl.DataFrame:
    """Status, the difference in differences, its interval, and the same signed by polarity."""
    sign = indicators.select("indicator", polarity=pl.col("polarity").cast(pl.Int8))
    n = pl.col("comparators")
    status = (
        pl.when(pl.col("after_periods").is_null())
        .then(pl.lit(TOO_EARLY))
        .when(~pl.col("treated_complete").fill_null(False) | (n < settings.min_comparators))
        .then(pl.lit(NOT_ENOUGH_DATA))
        .otherwise(pl.lit(ESTIMATED))
    )
    rows = summary.join(sign, on="indicator", how="left").with_columns(
        status=status,
        polarity=pl.when(pl.col("polarity") != 0).then(pl.col("polarity")),
    )
    q = n.map_batches(lambda count: _quantiles(count, settings.level), return_dtype=pl.Float64)
    half = q * pl.col("spread") * (1 + 1 / n).sqrt()
    raw = pl.col("treated_change") - pl.col("comparators_change")
    estimated = pl.col("status") == ESTIMATED
    rows = rows.with_columns(
        difference=pl.when(estimated).then(raw), half=pl.when(estimated).then(half)
    )
    return _signed(rows).with_columns(level=pl.lit(settings.level))


def _quantiles(comparators: pl.Series, level: float) -> pl.Series:
    """The t quantile for the interval, with n - 1 degrees of freedom (null below 2)."""
    df = comparators.cast(pl.Float64).to_numpy() - 1
    with np.errstate(invalid="ignore"):
        q = np.where(df >= 1, stats.t.ppf((1 + level) / 2, np.maximum(df, 1)), np.nan)
    return pl.Series("q", q, dtype=pl.Float64).fill_nan(None)


def _signed(rows: pl.DataFrame) -> pl.DataFrame:
    """The estimate and interval with positive = better (raw where there is no polarity);
    turning a lower-is-better difference round swaps the ends of its interval."""
    sign = pl.col("polarity").fill_null(1)
    estimate = pl.col("difference") * sign + 0.0  # + 0.0: no -0.0 on a page
    lower, upper = estimate - pl.col("half"), estimate + pl.col("half")
    direction = (
        pl.when(pl.col("status") != ESTIMATED)
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("polarity").is_null())
        .then(pl.lit(UNKNOWN))
        .when(lower > 0)
        .then(pl.lit(BETTER))
        .when(upper < 0)
        .then(pl.lit(WORSE))
        .otherwise(pl.lit(NO_CLEAR_DIFFERENCE))
    )
    return rows.with_columns(estimate=estimate, lower=lower, upper=upper, direction=direction)
