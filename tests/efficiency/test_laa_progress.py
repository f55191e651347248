"""LAA progress: each state worked by hand on short series, the forecast read at the target
year agreeing with the assessment's own next-period forecast, and a run on real data."""

from __future__ import annotations

import polars as pl
import pytest

from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.efficiency.laa import (
    ACHIEVED,
    AT_RISK,
    MISSED,
    NOT_ENOUGH_DATA,
    ON_TRACK,
    progress,
)

INDICATORS = pl.DataFrame(
    {"indicator": ["x", "z", "n", "y"], "polarity": [1, -1, 0, 1]},
    schema={"indicator": pl.String, "polarity": pl.Int8},
)
SERIES = {
    ("A", "x"): {2006: 50, 2007: 52, 2008: 54, 2009: 56},
    ("B", "x"): {2006: 50, 2007: 51, 2008: 52, 2009: 53, 2010: 53},
    ("C", "x"): {2006: 50, 2007: 52, 2008: 54},
    ("D", "x"): {2006: 50, 2007: 51, 2008: 52},
    ("A", "z"): {2006: 20, 2007: 18, 2008: 16},
    ("A", "n"): {2006: 5, 2007: 4, 2008: 3},
}
OBS = pl.DataFrame(
    [(a, i, float(t), float(v)) for (a, i), values in SERIES.items() for t, v in values.items()],
    schema={"authority": pl.String, "indicator": pl.String, "t": pl.Float64, "value": pl.Float64},
    orient="row",
)
TARGETS = pl.DataFrame(
    [
        (1, "A", "x", 50.0, 55.0, 2010.0),  # 56 by 2009: achieved
        (2, "B", "x", 50.0, 55.0, 2010.0),  # 53 in 2010 itself: missed
        (3, "C", "x", 50.0, 57.0, 2010.0),  # a line to 58 in 2010: on track
        (4, "D", "x", 50.0, 57.0, 2010.0),  # a line to 54: at risk
        (5, "A", "z", 20.0, 13.0, 2010.0),  # lower is better, a line to 12: on track
        (6, "A", "y", 10.0, 12.0, 2010.0),  # nothing stored
        (7, "B", "x", 50.0, 52.0, 2008.0),  # 52 in 2008; later values do not count
        (8, "A", "n", 5.0, 2.5, 2010.0),  # no polarity: the target points down; a line to 1
        (9, "B", "x", 50.0, 54.0, 2009.0),  # 53 in 2009, its year: missed, though 2010 exists
    ],
    schema=["target", "authority", "indicator", "baseline", "stretch", "due"],
    orient="row",
)


@pytest.fixture(scope="module")
def table() -> dict[int, dict[str, object]]:
    return {row["target"]: row for row in progress(OBS, INDICATORS, TARGETS).iter_rows(named=True)}


def test_each_state_by_hand(table: dict[int, dict[str, object]]) -> None:
    states = {target: row["status"] for target, row in table.items()}
    assert states == {
        1: ACHIEVED,
        2: MISSED,
        3: ON_TRACK,
        4: AT_RISK,
        5: ON_TRACK,
        6: NOT_ENOUGH_DATA,
        7: ACHIEVED,
        8: ON_TRACK,
        9: MISSED,
    }
    assert (table[1]["latest_t"], table[1]["latest_value"]) == (2009.0, 56.0)
    assert (table[7]["latest_t"], table[7]["latest_value"]) == (2008.0, 52.0)
    assert [table[t]["direction"] for t in (1, 5, 8)] == [1, -1, -1]


def test_open_targets_carry_the_forecast_interval_and_the_chance_of_missing(
    table: dict[int, dict[str, object]],
) -> None:
    on_track, at_risk, falling = table[3], table[4], table[5]
    assert on_track["forecast"] == pytest.approx(58.0)  # 52 + 2 a year x 3 years
    assert at_risk["forecast"] == pytest.approx(54.0)
    assert falling["forecast"] == pytest.approx(12.0)
    for row in (on_track, at_risk, falling):
        assert row["lower"] < row["forecast"] < row["upper"]
        assert row["level"] == 0.8 and row["method"] == "linear trend"
    assert on_track["p_miss"] < 0.5 < at_risk["p_miss"]
    assert falling["p_miss"] < 0.5
    # Decided targets have no forecast and no chance to speak of.
    assert table[1]["forecast"] is None and table[1]["p_miss"] is None
    assert table[2]["p_miss"] is None


def test_a_target_that_cannot_be_judged_is_refused_naming_the_field() -> None:
    backwards = TARGETS.with_columns(
        stretch=pl.when(pl.col("target") == 3).then(45.0).otherwise("stretch")
    )
    with pytest.raises(ValueError, match=r"targets \[3\]: field 'stretch'"):
        progress(OBS, INDICATORS, backwards)
    blank = TARGETS.with_columns(
        baseline=pl.when(pl.col("target") == 2).then(None).otherwise("baseline")
    )
    with pytest.raises(ValueError, match=r"targets \[2\]: field 'baseline' is required"):
        progress(OBS, INDICATORS, blank)


LAMBETH = "E09000022"


@pytest.mark.django_db
def test_targets_on_stored_observations() -> None:
    """Lambeth's last two values of a LAIT indicator: a target met by its latest value is
    achieved; a target beyond reach three years on is judged by the forecast."""
    code = "lait-cla-health-checks"
    indicators = indicator_frame([code])
    obs = observation_frame([code])  # every authority: the spread is the indicator's
    mine = obs.filter((pl.col("authority") == LAMBETH) & pl.col("value").is_not_null()).sort("t")
    last_t, last = mine["t"][-1], mine["value"][-1]
    targets = pl.DataFrame(
        [
            (1, LAMBETH, code, last - 5.0, last, last_t),
            (2, LAMBETH, code, last, last + 50.0, last_t + 3.0),
        ],
        schema=["target", "authority", "indicator", "baseline", "stretch", "due"],
        orient="row",
    )
    rows = progress(obs, indicators, targets).iter_rows(named=True)
    met, far = list(rows)
    assert (met["status"], met["latest_value"]) == (ACHIEVED, last)
    assert far["status"] == AT_RISK and far["forecast"] is not None
    assert far["lower"] < far["forecast"] < far["upper"] and 0.5 < far["p_miss"] <= 1.0
