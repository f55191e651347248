"""Where each local area agreement target stands, from the stored observations and the
assessment's forecasting (the same least-squares trend, spread and t interval as the
early warning, read at the target's year instead of the next period).

Frames: observations `authority, indicator, t, value` as `observation_frame` gives them,
for every authority that reports the indicator (the forecast's spread when a series is
short is the indicator's typical change across all of them); indicators `indicator,
polarity`; targets `target, authority, indicator, baseline, stretch, due`, `due` being
the `t` of the target year's last day, in the observations' units.

A target's deciding value is its latest value in a period that ended by `due`. It is
- achieved when that value meets the stretch target;
- missed when it does not and the target year is over in the data: the series has a value
  for a period ending on or after `due` (the clock alone does not decide, since a year's
  figures are published months after it ends);
- otherwise on track when the forecast for `due` meets the target, at risk when not, each
  with the forecast's interval and the chance that the target is missed;
- not enough data when the series has no value by `due`, or too few to forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ambition.assessment.engine.forecast import SERIES, TREND, forecast_at, probability_worse

ACHIEVED, ON_TRACK, AT_RISK, MISSED = "achieved", "on track", "at risk", "missed"
NOT_ENOUGH_DATA = "not enough data"
TARGET_COLUMNS = ("target", "authority", "indicator", "baseline", "stretch", "due")
FORECAST = ("forecast", "lower", "upper", "sd_pred", "df", "method", "points")
PROGRESS_COLUMNS = [
    *TARGET_COLUMNS,
    "direction",
    "status",
    "latest_t",
    "latest_value",
    *FORECAST,
    "level",
    "p_miss",
]


@dataclass(frozen=True)
class ProgressSettings:
    """The forecast's window (last values fitted), interval level and method, as in a
    methodology's `[warning]` table."""

    window: int = 5
    level: float = 0.8
    method: str = TREND


def progress(
    obs: pl.DataFrame,
    indicators: pl.DataFrame,
    targets: pl.DataFrame,
    settings: ProgressSettings | None = None,
) -> pl.DataFrame:
    """Every target's status, its deciding value and, where undecided, the forecast for
    its year with the interval and `p_miss`. Raises ValueError naming the field of a target
    that cannot be judged."""
    settings = settings or ProgressSettings()
    directed = _directed(targets.select(TARGET_COLUMNS), indicators)
    values = obs.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
    decided = directed.join(_deciding(values, directed), on="target", how="left").with_columns(
        pl.col("reported").fill_null(False)
    )
    # Only targets still open are forecast: a decided one has its answer.
    still_open = decided.filter(~meets("latest_value").fill_null(False) & ~pl.col("reported"))
    ahead = _forecast(values, still_open.select(*SERIES, "target", t_next="due"), settings)
    judged = decided.join(ahead, on="target", how="left").with_columns(
        status=_status(), level=pl.lit(settings.level)
    )
    return judged.with_columns(p_miss=_p_miss(judged)).select(PROGRESS_COLUMNS).sort("target")


def _directed(targets: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Targets with `direction` (+1 higher is better): the indicator's polarity, else the
    way the stretch points from the baseline. Refuses a missing field, or a stretch no
    better than its baseline."""
    for field in TARGET_COLUMNS:
        missing = targets.filter(pl.col(field).is_null())["target"].to_list()
        if missing:
            raise ValueError(f"targets {missing}: field {field!r} is required")
    polarity = indicators.select("indicator", "polarity")
    rise = (pl.col("stretch") - pl.col("baseline")).sign().cast(pl.Int8)
    out = targets.join(polarity, on="indicator", how="left").with_columns(
        direction=pl.when(pl.col("polarity").fill_null(0) != 0).then("polarity").otherwise(rise)
    )
    wrong = out.filter((pl.col("stretch") - pl.col("baseline")) * pl.col("direction") <= 0)
    if wrong.height:
        raise ValueError(
            f"targets {wrong['target'].to_list()}: field 'stretch' must be better than "
            "the baseline in the indicator's direction"
        )
    return out.drop("polarity")


def _deciding(values: pl.DataFrame, targets: pl.DataFrame) -> pl.DataFrame:
    """Per target: the latest value by `due` and whether any period ending at or after
    `due` has been reported."""
    rows = targets.select("target", *SERIES, "due").join(values, on=SERIES).sort("t")
    by_due = pl.col("t") <= pl.col("due")
    return rows.group_by("target").agg(
        latest_t=pl.col("t").filter(by_due).last(),
        latest_value=pl.col("value").filter(by_due).last(),
        reported=(pl.col("t") >= pl.col("due")).any(),
    )


def _forecast(values: pl.DataFrame, at: pl.DataFrame, settings: ProgressSettings) -> pl.DataFrame:
    """The assessment's forecast, read at each target's due time (`t_next`)."""
    ahead = forecast_at(values, at, settings.window, settings.level, settings.method)
    return ahead.select("target", *FORECAST)


def meets(column: str) -> pl.Expr:
    """Whether `column` meets the stretch target, in the target's direction."""
    return (pl.col(column) - pl.col("stretch")) * pl.col("direction") >= 0


def _status() -> pl.Expr:
    return (
        pl.when(pl.col("latest_value").is_null())
        .then(pl.lit(NOT_ENOUGH_DATA))
        .when(meets("latest_value"))
        .then(pl.lit(ACHIEVED))
        .when(pl.col("reported"))
        .then(pl.lit(MISSED))
        .when(pl.col("forecast").is_null())
        .then(pl.lit(NOT_ENOUGH_DATA))
        .when(meets("forecast"))
        .then(pl.lit(ON_TRACK))
        .otherwise(pl.lit(AT_RISK))
    )


def _p_miss(judged: pl.DataFrame) -> pl.Series:
    """The chance, under the forecast's t distribution, that the target year's value falls
    short of the target (null where nothing was forecast: the target is decided)."""
    direction = judged["direction"].cast(pl.Float64).to_numpy()
    p = probability_worse(
        judged["stretch"].to_numpy() * direction,
        direction,
        judged["forecast"].fill_null(float("nan")).to_numpy(),
        judged["sd_pred"].fill_null(float("nan")).to_numpy(),
        judged["df"].cast(pl.Float64).fill_null(float("nan")).to_numpy(),
    )
    return pl.Series("p_miss", p, dtype=pl.Float64).fill_nan(None)
