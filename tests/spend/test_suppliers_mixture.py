"""The supplier model's weights fitted to the candidate pairs' patterns (`mixture.fitted`):
it finds the weights that made the patterns, keeps the weights set beforehand, is a
function of the counts alone, and a few pairs cannot make it certain. Each pattern's weight
and probability under a model (`mixture.weighed`) agree with each other and with the
model's Bayes factors."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ambition.spend.suppliers.mixture import fitted, weighed


def _settings(fixed: tuple[float, float] | None = None) -> dict[str, object]:
    """Three comparisons of three levels each (and a null level), as Splink writes them
    (two classes are told apart by three comparisons, not two); the first level of `b` has
    set weights when `fixed` is given."""

    def comparison(name: str, set_weights: tuple[float, float] | None) -> dict[str, object]:
        strong: dict[str, object] = {"label_for_charts": f"{name} strong"}
        if set_weights:
            strong |= {"m_probability": set_weights[0], "u_probability": set_weights[1]}
        return {
            "output_column_name": name,
            "comparison_levels": [
                {"label_for_charts": f"{name} null", "is_null_level": True},
                strong,
                {"label_for_charts": f"{name} weak"},
                {"label_for_charts": f"{name} else"},
            ],
        }

    return {
        "comparisons": [comparison("a", None), comparison("b", fixed), comparison("c", None)],
        "probability_two_random_records_match": 0.0001,
    }


def _patterns(prior: float, m: list[list[float]], u: list[list[float]], pairs: int) -> pl.DataFrame:
    """The expected count of each pattern of levels (gamma 2 strong .. 0 else) among
    `pairs` pairs made by the given weights, with no noise."""
    rows = []
    for ga, gb, gc in itertools.product(range(3), repeat=3):
        share = prior * m[0][ga] * m[1][gb] * m[2][gc]
        share += (1 - prior) * u[0][ga] * u[1][gb] * u[2][gc]
        rows.append({"gamma_a": ga, "gamma_b": gb, "gamma_c": gc, "pairs": round(share * pairs)})
    return pl.DataFrame(rows)


def _weights(model: dict[str, object], key: str) -> list[list[float]]:
    """Each comparison's weights in gamma's order (else first)."""
    out = []
    for comparison in model["comparisons"]:  # type: ignore[attr-defined]
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        out.append([lv[key] for lv in reversed(levels)])
    return out


# Gamma order: else, weak, strong.
M = [[0.05, 0.25, 0.70], [0.10, 0.30, 0.60], [0.20, 0.30, 0.50]]
U = [[0.80, 0.15, 0.05], [0.85, 0.12, 0.03], [0.70, 0.20, 0.10]]


def test_it_finds_the_weights_that_made_the_patterns() -> None:
    model = fitted(_settings(), _patterns(0.2, M, U, 10_000_000))
    assert abs(model["probability_two_random_records_match"] - 0.2) < 1e-3
    assert np.allclose(_weights(model, "m_probability"), M, atol=2e-3)
    assert np.allclose(_weights(model, "u_probability"), U, atol=2e-3)


def test_weights_set_beforehand_are_kept() -> None:
    model = fitted(_settings(fixed=(0.6, 0.03)), _patterns(0.2, M, U, 1_000_000))
    strong = model["comparisons"][1]["comparison_levels"][1]  # type: ignore[index]
    assert (strong["m_probability"], strong["u_probability"]) == (0.6, 0.03)
    for key in ("m_probability", "u_probability"):
        assert all(abs(sum(levels) - 1) < 1e-9 for levels in _weights(model, key))


def test_no_pairs_still_give_a_model_with_every_weight() -> None:
    empty = pl.DataFrame(schema={f"gamma_{c}": pl.Int64 for c in ("a", "b", "c", "pairs")})
    empty = empty.rename({"gamma_pairs": "pairs"})
    model = fitted(_settings(), empty)
    for key in ("m_probability", "u_probability"):
        assert all(0 < w < 1 for levels in _weights(model, key) for w in levels)


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(0, 5_000), min_size=27, max_size=27),
    nulls=st.integers(0, 500),
)
def test_any_counts_give_probabilities_and_the_same_counts_the_same_model(
    counts: list[int], nulls: int
) -> None:
    rows = [
        {"gamma_a": ga, "gamma_b": gb, "gamma_c": gc, "pairs": n}
        for (ga, gb, gc), n in zip(itertools.product(range(3), repeat=3), counts, strict=True)
    ] + [{"gamma_a": -1, "gamma_b": 2, "gamma_c": 0, "pairs": nulls}]
    patterns = pl.DataFrame(rows)
    model = fitted(_settings(), patterns)
    assert model == fitted(_settings(), patterns.reverse())
    assert 0 < model["probability_two_random_records_match"] < 1
    for key in ("m_probability", "u_probability"):
        for levels in _weights(model, key):
            assert all(0 < w <= 1 for w in levels) and abs(sum(levels) - 1) < 1e-9


def test_a_few_pairs_alike_do_not_make_every_pair_one_supplier() -> None:
    """Two pairs, both at every comparison's strongest level: EM alone would call every
    candidate pair one supplier (a prior of 1, every weight infinite)."""
    two = pl.DataFrame({"gamma_a": [2], "gamma_b": [2], "gamma_c": [2], "pairs": [2]})
    model = fitted(_settings(), two)
    assert model["probability_two_random_records_match"] <= (2 + 0.5) / (2 + 1)
    found = weighed(model, pl.DataFrame({"gamma_a": [0], "gamma_b": [0], "gamma_c": [0]}))
    assert np.isfinite(found["match_weight"].to_numpy()).all()
    assert found["match_probability"][0] < 1


def test_each_pattern_is_weighed_by_the_models_bayes_factors() -> None:
    model = fitted(_settings(), _patterns(0.2, M, U, 1_000_000))
    patterns = pl.DataFrame(
        [
            {"gamma_a": ga, "gamma_b": gb, "gamma_c": gc}
            for ga, gb, gc in itertools.product(range(-1, 3), repeat=3)
        ]
    )
    found = weighed(model, patterns)
    assert found.select(pl.exclude("match_weight", "match_probability")).equals(patterns)
    m, u = _weights(model, "m_probability"), _weights(model, "u_probability")
    prior = model["probability_two_random_records_match"]
    for row in found.iter_rows(named=True):
        gammas = [row["gamma_a"], row["gamma_b"], row["gamma_c"]]
        odds = prior / (1 - prior)
        for c, g in enumerate(gammas):
            odds *= m[c][g] / u[c][g] if g >= 0 else 1.0  # a null level weighs nothing
        assert abs(row["match_weight"] - np.log2(odds)) < 1e-9
        assert abs(row["match_probability"] - odds / (1 + odds)) < 1e-12
    strongest = found.filter(pl.all_horizontal(pl.col("^gamma_.*$") == 2))
    weakest = found.filter(pl.all_horizontal(pl.col("^gamma_.*$") == 0))
    assert strongest["match_probability"][0] > 0.99 > 0.01 > weakest["match_probability"][0]
