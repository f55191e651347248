"""Positions among comparators: rank, percentile, quartile, median, MAD and robust z, by
hand on a small case, as properties of any group, and on the real London LAIT data."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.assessment.engine.positions import (
    POSITION_COLUMNS,
    positions,
    positions_among_peers,
    target_gaps,
)
from ambition.assessment.frames import indicator_frame, observation_frame

# The City (E09000001) and the 32 boroughs.
LONDON = [f"E09{n:06d}" for n in range(1, 34)]
TOLERANCE = 1e-9


def indicators(*polarities: tuple[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        polarities, schema={"indicator": pl.String, "polarity": pl.Int8}, orient="row"
    )


def one_group(values: list[float | None], indicator: str = "x") -> pl.DataFrame:
    """One indicator in one period, an authority per value (E09000001, ...)."""
    count = len(values)
    return pl.DataFrame(
        {
            "authority": LONDON[:count],
            "indicator": [indicator] * count,
            "period": ["2019/20"] * count,
            "t": [2020.25] * count,
            "value": values,
        },
        schema=OBSERVATIONS,
    )


OBSERVATIONS = {
    "authority": pl.String,
    "indicator": pl.String,
    "period": pl.String,
    "t": pl.Float64,
    "value": pl.Float64,
}


# Lower is better: 10 is best, 20 and 20 tie, 40 is worst, and one borough has no value.
LOWER_IS_BETTER = one_group([10.0, 20.0, 20.0, 40.0, None])


def test_a_small_lower_is_better_case_by_hand() -> None:
    placed = positions(LOWER_IS_BETTER, indicators(("x", -1)))
    assert placed["n"].to_list() == [4, 4, 4, 4, None]
    assert placed["rank"].to_list() == [1.0, 2.5, 2.5, 4.0, None]
    assert placed["percentile"].to_list() == [100.0, 50.0, 50.0, 0.0, None]
    assert placed["quartile"].to_list() == [4, 3, 3, 1, None]
    # Goodness -10, -20, -20, -40: median -20; deviations 10, 0, 0, 20 give MAD 5.
    assert placed["median"].to_list() == [-20.0] * 4 + [None]
    assert placed["mad"].to_list() == [5.0] * 4 + [None]
    z = placed["robust_z"].to_list()
    assert z[0] == pytest.approx(10 / (1.4826 * 5))
    assert z[1:3] == [0.0, 0.0]
    assert z[3] == pytest.approx(-20 / (1.4826 * 5))
    assert z[4] is None


def test_polarity_flips_the_rank() -> None:
    placed = positions(LOWER_IS_BETTER, indicators(("x", 1)))
    assert placed["rank"].to_list() == [4.0, 2.5, 2.5, 1.0, None]
    assert placed["percentile"].to_list() == [0.0, 50.0, 50.0, 100.0, None]
    assert placed["quartile"].to_list() == [1, 3, 3, 4, None]


def test_no_polarity_or_an_unknown_indicator_keeps_its_rows_with_no_position() -> None:
    obs = pl.concat([LOWER_IS_BETTER, one_group([1.0, 2.0], "unknown")])
    placed = positions(obs, indicators(("x", 0)))
    assert placed.height == obs.height
    assert placed.select(POSITION_COLUMNS).null_count().row(0) == (obs.height,) * 7
    assert placed.select(obs.columns).equals(obs)


def test_a_group_of_one_has_no_percentile() -> None:
    placed = positions(one_group([3.0]), indicators(("x", 1)))
    assert placed.select("n", "rank", "percentile", "quartile", "mad", "robust_z").row(0) == (
        1,
        1.0,
        None,
        None,
        0.0,
        None,
    )


def test_all_equal_values_have_no_robust_z() -> None:
    placed = positions(one_group([7.0, 7.0, 7.0]), indicators(("x", 1)))
    assert placed["percentile"].to_list() == [50.0] * 3
    assert placed["robust_z"].to_list() == [None] * 3


def test_target_gaps_are_positive_when_the_target_is_beaten() -> None:
    obs = pl.concat([LOWER_IS_BETTER, one_group([1.0, 5.0], "y"), one_group([1.0], "z")])
    targets = pl.DataFrame({"indicator": ["x", "y", "z"], "target": [20.0, 2.0, 0.0]})
    gaps = target_gaps(obs, indicators(("x", -1), ("y", 1), ("z", 0)), targets)
    assert gaps["target"].to_list() == [20.0] * 5 + [2.0, 2.0, 0.0]
    assert gaps["gap"].to_list() == [10.0, 0.0, 0.0, -20.0, None, -1.0, 3.0, None]


def test_targets_can_be_set_per_authority() -> None:
    targets = pl.DataFrame({"authority": LONDON[:2], "indicator": "x", "target": [5.0, 30.0]})
    gaps = target_gaps(LOWER_IS_BETTER, indicators(("x", -1)), targets)
    assert gaps["gap"].to_list() == [-5.0, 10.0, None, None, None]


values = st.lists(st.one_of(st.none(), st.integers(-1000, 1000).map(float)), max_size=33)
polarity = st.sampled_from([-1, 1])


@given(values, polarity)
def test_percentiles_lie_between_0_and_100(vals: list[float | None], sign: int) -> None:
    placed = positions(one_group(vals), indicators(("x", sign)))
    present = sum(v is not None for v in vals)
    pct = placed["percentile"]
    assert pct.null_count() == (len(vals) if present < 2 else len(vals) - present)
    assert ((pct >= 0) & (pct <= 100)).all()


@given(values, polarity)
def test_a_unique_best_gets_100_and_a_unique_worst_0(vals: list[float | None], sign: int) -> None:
    present = [v * sign for v in vals if v is not None]
    placed = positions(one_group(vals), indicators(("x", sign))).drop_nulls("percentile")
    goodness = placed["value"] * sign
    if len(present) >= 2 and present.count(max(present)) == 1:
        assert placed.filter(goodness == max(present))["percentile"].to_list() == [100.0]
    if len(present) >= 2 and present.count(min(present)) == 1:
        assert placed.filter(goodness == min(present))["percentile"].to_list() == [0.0]


@given(values, polarity, st.integers(-1_000_000, 1_000_000))
def test_adding_a_constant_changes_no_position(
    vals: list[float | None], sign: int, constant: int
) -> None:
    ind = indicators(("x", sign))
    before = positions(one_group(vals), ind)
    after = positions(one_group([None if v is None else v + constant for v in vals]), ind)
    unmoved = ["n", "rank", "percentile", "quartile", "mad", "robust_z"]
    assert after.select(unmoved).equals(before.select(unmoved))
    assert (after["median"] - before["median"] - constant * sign).abs().max() in (0, None)


@given(values)
def test_reversing_polarity_mirrors_percentiles(vals: list[float | None]) -> None:
    higher = positions(one_group(vals), indicators(("x", 1)))
    lower = positions(one_group(vals), indicators(("x", -1)))
    mirror = (higher["percentile"] + lower["percentile"] - 100).abs()
    assert mirror.max() is None or mirror.max() < TOLERANCE  # type: ignore[operator]
    assert (higher["robust_z"] + lower["robust_z"]).abs().max() in (0, None)


@given(st.lists(st.tuples(values, values), min_size=1, max_size=3), polarity)
def test_each_group_is_placed_as_if_alone(
    periods: list[tuple[list[float | None], list[float | None]]], sign: int
) -> None:
    """Two indicators over several periods together give what each group gives alone."""
    ind = indicators(("x", sign), ("y", -sign))
    groups = [
        one_group(vals, name).with_columns(period=pl.lit(str(year)))
        for year, pair in enumerate(periods)
        for name, vals in zip(("x", "y"), pair, strict=True)
    ]
    together = positions(pl.concat(groups), ind)
    assert together.equals(pl.concat([positions(g, ind) for g in groups]))


def test_peers_are_placed_among_themselves_and_the_focus() -> None:
    obs = pl.concat([one_group([float(v) for v in range(10)]), one_group([3.0, 1.0], "y")])
    peers = pl.DataFrame(
        {"focus": LONDON[0:1] * 3 + LONDON[5:6] * 2, "peer": LONDON[1:4] + LONDON[8:10]}
    )
    ind = indicators(("x", 1), ("y", -1))
    among = positions_among_peers(obs, ind, peers).sort("authority", "indicator")
    first = positions(obs.filter(pl.col("authority").is_in(LONDON[0:4])), ind)
    sixth = positions(obs.filter(pl.col("authority").is_in([LONDON[5], *LONDON[8:10]])), ind)
    expected = pl.concat([first, sixth]).filter(pl.col("authority").is_in([LONDON[0], LONDON[5]]))
    assert among.equals(expected.sort("authority", "indicator"))
    assert among.select("authority", "indicator", "percentile").rows() == [
        (LONDON[0], "x", 0.0),
        (LONDON[0], "y", 0.0),
        (LONDON[5], "x", 0.0),
    ]


@pytest.mark.django_db
def test_the_best_london_value_of_every_lait_indicator_is_at_100() -> None:
    lait = indicator_frame().filter(
        pl.col("indicator").str.starts_with("lait-") & (pl.col("polarity") != 0)
    )
    obs = observation_frame(lait["indicator"].to_list(), LONDON)
    placed = positions(obs, lait).join(lait, on="indicator").drop_nulls("percentile")
    goodness = pl.col("value") * pl.col("polarity")
    by = ["indicator", "period"]
    best = placed.filter(goodness == goodness.max().over(by))
    unique_best = best.filter(pl.len().over(by) == 1)
    assert unique_best.height > 250  # 37 indicators over several years
    assert (unique_best["percentile"] == 100).all()
    assert (unique_best["quartile"] == 4).all()
    assert (unique_best["robust_z"].drop_nulls() > 0).all()
    counted = placed.group_by(by).agg(pl.len(), pl.col("n").max())
    assert (counted["len"] == counted["n"]).all() and counted["n"].max() <= 33
