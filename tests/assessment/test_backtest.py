"""The early warning's methods and their rolling-origin backtest: the metrics' laws, the
logistic fit, no look-ahead, and the shipped methodologies using the method that the
backtest over every LAIT indicator for England picks (read from the shipped files, no
database: about a second)."""

from __future__ import annotations

import dataclasses
import shutil
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ambition.assessment.engine.forecast import (
    CALIBRATION_CASES,
    CALIBRATION_POINTS,
    METHODS,
    NAIVE,
    Backtest,
    WarningMethod,
    backtest,
    calibration,
    confusion,
    early_warning,
    logistic,
    rates,
)
from ambition.assessment.engine.forecast.backtesting import _cases
from ambition.assessment.engine.forecast.methods import origin_fits, persistence, standing
from ambition.assessment.engine.forecast.shipped import shipped_frames
from ambition.assessment.engine.run import early_warnings, weights_frame
from ambition.assessment.methodology import MethodologyError, parse

SHIPPED = ("ambition-default", "cpa-2005")


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


@cache
def frames(group: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    return shipped_frames(data_dir(), group)


@cache
def shipped_backtest(group: str, window: int, cutoff: float) -> Backtest:
    return backtest(*frames(group), window=window, cutoff=cutoff)


def cases_of(probabilities: list[float], outcomes: list[bool], cutoff: float) -> pl.DataFrame:
    return pl.DataFrame(
        {"method": "m", "p_bottom_quartile": probabilities, "in_bottom_quartile": outcomes}
    ).with_columns(flagged=pl.col("p_bottom_quartile") >= cutoff)


judged = st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), min_size=1, max_size=200)


@given(judged, st.floats(0.01, 1.0))
def test_the_brier_score_lies_in_0_1_and_the_counts_add_up(
    rows: list[tuple[float, bool]], cutoff: float
) -> None:
    cases = cases_of([p for p, _ in rows], [o for _, o in rows], cutoff)
    row = rates(confusion(cases, ["method"])).row(0, named=True)
    assert 0.0 <= row["brier"] <= 1.0
    assert row["tp"] + row["fp"] + row["fn"] + row["tn"] == row["cases"] == len(rows)
    assert row["flagged"] == row["tp"] + row["fp"]
    if row["tp"]:
        assert row["f1"] == pytest.approx(2 * row["tp"] / (2 * row["tp"] + row["fp"] + row["fn"]))
        assert row["precision"] == pytest.approx(row["tp"] / row["flagged"])
    else:
        assert row["f1"] is None or row["f1"] == 0


@given(judged)
def test_calibration_counts_sum_to_the_cases_and_stay_in_their_decile(
    rows: list[tuple[float, bool]],
) -> None:
    cases = cases_of([p for p, _ in rows], [o for _, o in rows], 0.5)
    found = calibration(cases, ["method"])
    assert found["cases"].sum() == len(rows)
    for row in found.iter_rows(named=True):
        assert row["decile"] / 10 <= row["predicted"] + 1e-12
        assert row["predicted"] <= (row["decile"] + 1) / 10 + 1e-12
        assert 0.0 <= row["observed"] <= 1.0
        assert row["gap_points"] == pytest.approx(abs(row["predicted"] - row["observed"]) * 100)


def test_a_certain_and_right_forecast_scores_0_and_a_certain_wrong_one_1() -> None:
    right = rates(confusion(cases_of([1.0, 0.0], [True, False], 0.5), ["method"]))
    wrong = rates(confusion(cases_of([0.0, 1.0], [True, False], 0.5), ["method"]))
    assert right["brier"][0] == 0.0 and right["f1"][0] == 1.0
    assert wrong["brier"][0] == 1.0 and wrong["f1"][0] is None


def test_the_logistic_fit_recovers_known_coefficients_and_is_deterministic() -> None:
    rng = np.random.default_rng(11)
    x = np.column_stack([np.ones(20_000), rng.normal(size=(20_000, 2))])
    truth = np.array([-1.0, 2.0, -0.5])
    y = (rng.random(20_000) < 1 / (1 + np.exp(-(x @ truth)))).astype(float)
    beta = logistic.fit(x, y)
    assert beta == pytest.approx(truth, abs=0.08)
    assert np.array_equal(beta, logistic.fit(x, y))


@hypothesis_settings(max_examples=20, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=50), st.integers(0, 2**31))
def test_the_logistic_fit_gives_probabilities_even_for_separable_outcomes(
    outcomes: list[bool], seed: int
) -> None:
    x = np.column_stack([np.ones(len(outcomes)), np.array(outcomes, float)])
    p = logistic.predict(logistic.fit(x, np.array(outcomes, float)), x)
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.isfinite(p))


def test_each_method_gives_a_probability_in_0_1_for_every_case() -> None:
    result = shipped_backtest("members", 5, 0.5)
    assert set(result.cases["method"]) == {WarningMethod(m).label for m in METHODS}
    counts = result.cases.group_by("method").len()["len"]
    assert counts.n_unique() == 1 and counts[0] > 5000  # every method on the same cases
    p = result.cases["p_bottom_quartile"]
    assert p.null_count() == 0 and p.min() >= 0.0 and p.max() <= 1.0  # type: ignore[operator]


def test_the_learning_methods_never_learn_from_outcomes_after_their_origin() -> None:
    """Outcomes are what a model learns from: turn every outcome known only after `cut`
    around, and the logistic and persistence probabilities at origins up to `cut` stay
    exactly as they were, while the later ones move."""
    obs, indicators = frames("members")
    ranked = standing(obs, indicators)
    fit = origin_fits(ranked, _cases(ranked, obs, 3), 5, "next_t")
    cut = 2021.0
    actual = pl.col("in_bottom_quartile")
    turned = fit.with_columns(
        in_bottom_quartile=pl.when(pl.col("next_t") <= cut).then(actual).otherwise(~actual)
    )
    early = (fit["origin"] <= cut).to_numpy()
    assert early.sum() > 1000 and (~early).sum() > 1000
    for learn in (logistic.rolling, persistence):
        before, after = learn(fit).to_numpy(), learn(turned).to_numpy()
        assert np.array_equal(before[early], after[early], equal_nan=True)
        assert not np.allclose(before[~early], after[~early], equal_nan=True)


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_method_is_the_one_the_england_backtest_picks(name: str) -> None:
    method = parse(data_dir() / "methodologies" / f"{name}.toml")
    result = shipped_backtest("england", method.warning_window, method.warning_cutoff)
    chosen = method.warning_method.label
    assert result.pick() == chosen
    mine, naive = result.score(chosen), result.score(NAIVE)
    assert mine["brier"] < naive["brier"] and mine["f1"] > naive["f1"]  # type: ignore[operator]
    judged = result.calibration.filter(
        pl.col("method") == chosen, pl.col("cases") >= CALIBRATION_CASES
    )
    assert judged.height >= 5
    assert (judged["gap_points"] <= CALIBRATION_POINTS).all()


def test_the_engine_lists_warnings_by_the_methodologys_method() -> None:
    method = parse(data_dir() / "methodologies" / "ambition-default.toml")
    obs, indicators = frames("members")
    rules = method.rules()
    assert rules.warning_method == method.warning_method
    weights = weights_frame(rules, indicators)
    assessed = sorted(set(obs["authority"]))
    lists = {
        name: early_warnings(
            obs,
            indicators,
            weights,
            assessed,
            dataclasses.replace(rules, warning_method=WarningMethod(name)),
        )
        for name in ("trend", "logistic")
    }
    assert lists["trend"].height and lists["logistic"].height
    assert not lists["trend"].equals(lists["logistic"])
    assert set(lists["logistic"]["method"]) == {"logistic, last-value interval"}
    assert set(lists["trend"]["method"]) <= {"linear trend", "last value"}
    for found in lists.values():
        assert (found["risk"] >= rules.warning_cutoff).all()
        assert found["risk"].is_sorted(descending=True)
    direct = early_warning(
        obs.join(weights.select("indicator").unique(), on="indicator"),
        indicators,
        WarningMethod("logistic"),
    )
    assert direct["p_bottom_quartile"].min() >= 0.0 and direct["p_bottom_quartile"].max() <= 1.0  # type: ignore[operator]


def test_a_methodology_naming_an_unknown_method_is_refused(tmp_path: Path) -> None:
    source = data_dir() / "methodologies"
    shutil.copy(source / "ambition-default-stars.toml", tmp_path)
    text = (source / "ambition-default.toml").read_text("utf-8")
    assert 'method = "logistic"' in text
    (tmp_path / "odd.toml").write_text(text.replace('method = "logistic"', 'method = "tea-leaves"'))
    with pytest.raises(MethodologyError, match=r"odd.toml \[warning\]: no warning method"):
        parse(tmp_path / "odd.toml")
    damped = text.replace('method = "logistic"', 'method = "damped-trend"\nphi = 0.6')
    (tmp_path / "damped.toml").write_text(damped)
    assert parse(tmp_path / "damped.toml").warning_method == WarningMethod("damped-trend", 0.6)
