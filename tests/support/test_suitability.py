"""A match's suitability: parts each in [0, 1], a score that is exactly their weighted sum
with the setting's weights, never lower when any part improves; exclusions say why.
Similarity is checked on the real nearest neighbours of a London borough."""

from __future__ import annotations

import dataclasses
import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.assessment.groups import computed
from ambition.assessment.profiles import load_method
from ambition.settings import SETTINGS
from ambition.support.engine.suitability import (
    AVOIDED,
    CONTROL,
    DEFAULT_WEIGHTS,
    HALF_DISTANCE,
    NEIGHBOUR,
    NEITHER,
    PARTS,
    SAME_AUTHORITY,
    WEAK,
    Pair,
    WeightsError,
    excluded,
    exclusions,
    parse_weights,
    similarity,
    suitability,
)

LAMBETH, SOUTHWARK, CROYDON = "E09000022", "E09000028", "E09000008"

distances = st.one_of(st.none(), st.floats(min_value=0.0, max_value=50.0))
pairs = st.builds(
    Pair,
    experience=st.floats(min_value=0.0, max_value=1.0),
    distance=distances,
    neighbour=st.booleans(),
    same_control=st.booleans(),
    accepted_before=st.integers(min_value=0, max_value=20),
    preference=st.sampled_from([NEIGHBOUR, CONTROL, NEITHER]),
)
weights = st.fixed_dictionaries({part: st.floats(min_value=0.0, max_value=10.0) for part in PARTS})


def test_the_default_weights_are_the_settings_and_parse_to_every_part() -> None:
    assert SETTINGS["AMBITION_SUPPORT_WEIGHTS"].default == DEFAULT_WEIGHTS
    assert parse_weights(DEFAULT_WEIGHTS) == {
        "experience": 3.0,
        "similarity": 2.0,
        "neighbour": 1.0,
        "control": 1.0,
        "history": 1.0,
        "preference": 2.0,
    }


def test_a_part_left_out_weighs_nothing_and_spacing_does_not_matter() -> None:
    parsed = parse_weights(" experience = 2.5 , neighbour=1 ,")
    assert parsed["experience"] == 2.5 and parsed["neighbour"] == 1.0
    assert parsed["similarity"] == parsed["history"] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "experience=3,luck=2",
        "experience",
        "experience=lots",
        "experience=-1",
        "x=1",
        "",
        "control=0",
    ],
)
def test_bad_weights_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(WeightsError):
        parse_weights(text)


@given(pair=pairs, chosen=weights)
def test_every_part_is_between_0_and_1_and_the_score_is_their_weighted_sum(
    pair: Pair, chosen: dict[str, float]
) -> None:
    result = suitability(pair, chosen)
    assert set(result.parts) == set(PARTS)
    assert all(0.0 <= value <= 1.0 for value in result.parts.values())
    expected = sum(chosen[name] * result.parts[name] for name in PARTS)
    assert math.isclose(result.score, expected, rel_tol=1e-12, abs_tol=1e-12)
    assert result.score <= sum(chosen.values()) + 1e-9


def improvements(pair: Pair) -> list[Pair]:
    """The pair made better in one respect at a time."""
    closer = None if pair.distance is None else pair.distance / 2
    return [
        dataclasses.replace(pair, experience=min(1.0, pair.experience + 0.25)),
        dataclasses.replace(pair, distance=closer if closer is not None else 10.0),
        dataclasses.replace(pair, neighbour=True),
        dataclasses.replace(pair, same_control=True),
        dataclasses.replace(pair, accepted_before=pair.accepted_before + 1),
    ]


@given(pair=pairs, chosen=weights)
def test_the_score_never_falls_when_a_part_improves(pair: Pair, chosen: dict[str, float]) -> None:
    before = suitability(pair, chosen)
    for better in improvements(pair):
        after = suitability(better, chosen)
        assert all(after.parts[p] >= before.parts[p] for p in PARTS)
        assert after.score >= before.score - 1e-12


@given(pair=pairs, part=st.sampled_from(PARTS), weight=st.floats(min_value=0.1, max_value=10))
def test_each_part_counts_only_by_its_own_weight(pair: Pair, part: str, weight: float) -> None:
    alone = suitability(pair, {part: weight})
    assert math.isclose(alone.score, weight * alone.parts[part], abs_tol=1e-12)


def test_similarity_is_1_when_identical_a_half_at_the_half_distance_and_0_when_unknown() -> None:
    assert similarity(0.0) == 1.0
    assert similarity(HALF_DISTANCE) == 0.5
    assert similarity(None) == similarity(float("nan")) == 0.0
    assert similarity(1.0) > similarity(2.0) > similarity(8.0) > 0.0


def test_a_preference_earns_its_bonus_only_when_met() -> None:
    base = Pair(experience=0.5, distance=2.0, neighbour=True, same_control=False)
    assert (
        suitability(dataclasses.replace(base, preference=NEIGHBOUR), {}).parts["preference"] == 1.0
    )
    assert suitability(dataclasses.replace(base, preference=CONTROL), {}).parts["preference"] == 0
    assert suitability(base, {}).parts["preference"] == 0.0  # no preference, no bonus
    assert suitability(base, {}).parts["history"] == 0.0
    assert suitability(dataclasses.replace(base, accepted_before=1), {}).parts["history"] == 0.5


def test_exclusions_say_why_a_supporter_may_not_help() -> None:
    assert exclusions(LAMBETH, LAMBETH, [], False) == (SAME_AUTHORITY,)
    assert exclusions(LAMBETH, CROYDON, {CROYDON}, True) == (AVOIDED, WEAK)
    assert exclusions(LAMBETH, SOUTHWARK, {CROYDON}, False) == ()
    assert excluded(LAMBETH, SOUTHWARK, [], True)
    assert not excluded(LAMBETH, SOUTHWARK, [CROYDON], False)


@pytest.mark.django_db
def test_on_real_profiles_a_nearer_neighbour_is_more_similar() -> None:
    neighbours = load_method()
    variables = neighbours.variable_set(None)
    tier = next(
        t for t in neighbours.tiers.values() if variables.applies_to(t) and "LBO" in t.kinds
    )
    lambeth = computed(neighbours, variables, tier, "england").filter(pl.col("focus") == LAMBETH)
    ranked = lambeth.sort("rank")["distance"].to_list()
    scores = [similarity(d) for d in ranked]
    assert len(scores) >= 10
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s < 1.0 for s in scores)
    # The shipped profiles put London boroughs' distances around the half distance.
    assert 0.25 < similarity(ranked[len(ranked) // 2]) < 0.75
