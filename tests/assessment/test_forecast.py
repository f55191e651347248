"""Early warning: next-period forecasts, the chance of the bottom quartile or of missing a
target, and the backtest, on exact series, on noisy ones and on the real LAIT series."""

from __future__ import annotations

import io
import json

import numpy as np
import polars as pl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from ambition.assessment.engine.forecast import (
    ALL_METHODS,
    LAST_VALUE,
    LINEAR_TREND,
    backtest,
    bottom_quartile_threshold,
    forecast_next,
    probability_worse,
    warning_probabilities,
)
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.methodology import load
from ambition.registry.models import Authority, Partnership

YEARS = [2015.0 + i for i in range(7)]
ONE_INDICATOR = pl.DataFrame(
    {"indicator": ["x"], "polarity": [1], "service_area": ["a"]},
    schema={"indicator": pl.String, "polarity": pl.Int8, "service_area": pl.String},
)


def series(values: list[float | None], authority: str = "E09000001") -> pl.DataFrame:
    years = YEARS[-len(values) :]
    return pl.DataFrame(
        {
            "authority": authority,
            "indicator": "x",
            "period": [str(int(t)) for t in years],
            "t": years,
            "value": values,
        },
        schema={
            "authority": pl.String,
            "indicator": pl.String,
            "period": pl.String,
            "t": pl.Float64,
            "value": pl.Float64,
        },
    )


def interval_width(amplitude: float) -> float:
    """A straight line plus an alternating wobble of the given size."""
    values = [2.0 + 3.0 * i + amplitude * (-1) ** i for i in range(7)]
    row = forecast_next(series(values), ONE_INDICATOR).row(0, named=True)
    return float(row["upper"] - row["lower"])


@pytest.fixture
def lait_members(db: None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The partnership members' LAIT series, as the command reads them."""
    partnership = Partnership.objects.get(slug=settings.PARTNERSHIP_SLUG)
    codes = list(Authority.objects.members(partnership=partnership).values_list("code", flat=True))
    indicators = indicator_frame().filter(pl.col("indicator").str.starts_with("lait-"))
    return observation_frame(indicators["indicator"].to_list(), codes), indicators


def test_an_exact_linear_series_is_forecast_exactly_but_never_with_certainty() -> None:
    values = [2.0 + 3.0 * i for i in range(7)]
    row = forecast_next(series(values), ONE_INDICATOR, window=5).row(0, named=True)
    assert row["method"] == LINEAR_TREND
    assert row["points"] == 5
    assert row["t_next"] == 2022.0
    assert row["forecast"] == pytest.approx(2.0 + 3.0 * 7, abs=1e-9)
    # The line fits exactly, but the spread is at least a random walk's: 3 a year here.
    assert row["sd_pred"] == pytest.approx(3.0)
    assert row["upper"] - row["lower"] == pytest.approx(2 * stats.t.ppf(0.9, 3) * 3.0)


@given(st.floats(0.01, 100.0), st.floats(1.01, 10.0))
def test_the_interval_widens_with_noise(amplitude: float, factor: float) -> None:
    assert interval_width(amplitude * factor) > interval_width(amplitude)


def test_a_short_series_is_forecast_by_its_last_value_and_the_typical_change() -> None:
    long = series([10.0, 12.0, 11.0, 15.0, 14.0, 18.0], authority="E09000002")
    short = series([40.0, 43.0], authority="E09000003")
    frame = forecast_next(pl.concat([long, short]), ONE_INDICATOR)
    row = frame.filter(pl.col("authority") == "E09000003").row(0, named=True)
    changes = np.array([2.0, -1.0, 4.0, -1.0, 4.0, 3.0])  # every consecutive change, both
    assert row["method"] == LAST_VALUE
    assert row["forecast"] == 43.0
    assert row["sd_pred"] == pytest.approx(np.sqrt(np.mean(changes**2)))
    assert row["df"] == len(changes) - 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_forecasts_do_not_depend_on_the_order_of_the_rows(seed: int) -> None:
    """The windows are read off a frame sorted by series: shuffled rows give the same."""
    obs = pl.concat(
        [series([1.0, 3.0, 2.0, 5.0], a) for a in ("E09000001", "E09000002", "E09000003")]
    )
    shuffled = obs.sample(fraction=1.0, shuffle=True, seed=seed)
    assert forecast_next(shuffled, ONE_INDICATOR).equals(forecast_next(obs, ONE_INDICATOR))


def test_a_gap_in_a_series_is_skipped_and_the_next_period_follows_the_last_one() -> None:
    frame = forecast_next(series([1.0, 2.0, None, 4.0, 5.0, None]), ONE_INDICATOR)
    row = frame.row(0, named=True)
    assert (row["points"], row["last_t"], row["t_next"]) == (4, 2020.0, 2022.0)
    assert row["forecast"] == pytest.approx(7.0)


@pytest.mark.django_db
def test_real_forecasts_agree_with_scipy_least_squares(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, indicators = lait_members
    forecasts = forecast_next(obs, indicators, window=5, level=0.8)
    steps = (
        obs.drop_nulls("value")
        .sort("authority", "indicator", "t")
        .with_columns(
            step=(pl.col("value").diff() / pl.col("t").diff().sqrt()).over("authority", "indicator")
        )
        .drop_nulls("step")
    )
    walks = dict(steps.group_by("indicator").agg((pl.col("step") ** 2).mean().sqrt()).rows())
    for row in forecasts.filter(pl.col("method") == LINEAR_TREND).head(40).iter_rows(named=True):
        history = obs.filter(
            (pl.col("authority") == row["authority"]) & (pl.col("indicator") == row["indicator"])
        )
        last = history.drop_nulls("value").sort("t").tail(5)
        t, y = last["t"].to_numpy(), last["value"].to_numpy()
        fit = stats.linregress(t, y)
        n, x0 = len(t), row["t_next"]
        s = np.sqrt(np.sum((y - fit.intercept - fit.slope * t) ** 2) / (n - 2))
        se = s * np.sqrt(1 + 1 / n + (x0 - t.mean()) ** 2 / np.sum((t - t.mean()) ** 2))
        floor = walks[row["indicator"]] * np.sqrt(x0 - t[-1])
        assert row["forecast"] == pytest.approx(fit.intercept + fit.slope * x0, abs=1e-6)
        assert row["upper"] - row["forecast"] == pytest.approx(
            stats.t.ppf(0.9, n - 2) * max(se, floor)
        )


@given(
    st.floats(-1e3, 1e3),
    st.floats(-1e3, 1e3),
    st.floats(0.0, 1e3),
    st.floats(-1e3, 1e3),
    st.integers(1, 60),
    st.sampled_from([1, -1]),
)
def test_probabilities_lie_in_0_1_and_rise_with_the_threshold(
    low: float, extra: float, sd: float, forecast: float, df: int, polarity: int
) -> None:
    thresholds = np.array([low, low + abs(extra)])
    p = probability_worse(thresholds, polarity, forecast, sd, df)
    assert np.all((p >= 0) & (p <= 1))
    assert p[0] <= p[1]


@pytest.mark.django_db
def test_the_bottom_quartile_is_the_25th_percentile_at_the_latest_common_period(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, indicators = lait_members
    code = "lait-cla-3-plus-placements"  # lower is better
    row = bottom_quartile_threshold(obs, indicators).filter(pl.col("indicator") == code).row(0)
    latest = obs.filter((pl.col("indicator") == code) & pl.col("value").is_not_null())["t"].max()
    values = obs.filter((pl.col("indicator") == code) & (pl.col("t") == latest))["value"]
    assert row[1] == latest
    assert row[2] == pytest.approx(np.percentile(-values.drop_nulls().to_numpy(), 25))


@pytest.mark.django_db
def test_reversing_polarity_and_sign_mirrors_the_warning(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, indicators = lait_members
    mirror_obs = obs.with_columns(-pl.col("value"))
    mirror_indicators = indicators.with_columns(-pl.col("polarity"))
    warnings = warning_probabilities(forecast_next(obs, indicators), obs, indicators)
    mirrored = warning_probabilities(
        forecast_next(mirror_obs, mirror_indicators), mirror_obs, mirror_indicators
    )
    both = warnings.join(mirrored, on=["authority", "indicator"], suffix="_m")
    assert both.height == warnings.height > 1000
    assert both["p_bottom_quartile"].to_list() == pytest.approx(both["p_bottom_quartile_m"])
    assert both["lower"].to_list() == pytest.approx((-both["upper_m"]).to_list())
    assert both["bottom_quartile"].to_list() == pytest.approx(
        (-both["bottom_quartile_m"]).to_list()
    )


@pytest.mark.django_db
def test_the_warning_list_is_ranked_and_targets_add_a_chance_of_missing(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, indicators = lait_members
    forecasts = forecast_next(obs, indicators)
    plain = warning_probabilities(forecasts, obs, indicators)
    code, first = "lait-care-leavers-eet", plain.row(0, named=True)
    thresholds = plain.filter(pl.col("indicator") == code)["bottom_quartile"].unique()
    targets = pl.DataFrame(
        {
            "indicator": [code, first["indicator"]],
            "authority": [None, first["authority"]],
            "target": [thresholds[0], first["forecast"]],
        }
    )
    warned = warning_probabilities(forecasts, obs, indicators, targets)
    assert warned.equals(
        warned.sort(
            "risk", "authority", "indicator", descending=[True, False, False], nulls_last=True
        )
    )
    same = warned.filter(pl.col("indicator") == code)
    assert same["p_miss_target"].to_list() == pytest.approx(same["p_bottom_quartile"].to_list())
    own = warned.filter(pl.col("authority") == first["authority"])
    assert own.filter(pl.col("indicator") == first["indicator"])["p_miss_target"][0] in (0, 0.5)
    others = warned.filter(~pl.col("indicator").is_in([code, first["indicator"]]))
    assert others["p_miss_target"].null_count() == others.height
    assert (others["risk"] == others["p_bottom_quartile"]).all()


@pytest.mark.django_db
def test_the_backtest_never_uses_data_after_its_origin(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    """Every method, the learning ones included: rewriting every value after `cut` moves
    no forecast from an origin up to it, and does move the later ones."""
    obs, indicators = lait_members
    cut = 2022.0
    wild = obs.with_columns(
        value=pl.when(pl.col("t") > cut).then(1000 - 50 * pl.col("value")).otherwise("value")
    )
    before, after = backtest(obs, indicators).cases, backtest(wild, indicators).cases
    keys = ["method", "authority", "indicator", "origin"]
    seen = ["forecast", "sd_pred", "p_bottom_quartile", "flagged", "naive_flagged"]
    early = before.filter(pl.col("origin") <= cut)
    assert set(early["method"]) == {m.label for m in ALL_METHODS}
    assert early.filter(pl.col("method") == "logistic").height > 1000
    assert early.select(*keys, *seen).equals(
        after.filter(pl.col("origin") <= cut).select(*keys, *seen)
    )
    crossing = early.filter(pl.col("next_t") > cut).join(after, on=keys, suffix="_w")
    assert (crossing["actual_value"] != crossing["actual_value_w"]).any()
    late = before.filter(pl.col("origin") > cut).join(after, on=keys, suffix="_w")
    for method in ("trend", "logistic", "naive"):
        moved = late.filter(pl.col("method") == method)
        assert (moved["p_bottom_quartile"] != moved["p_bottom_quartile_w"]).any()


@pytest.mark.django_db
def test_the_backtest_counts_add_up_and_the_naive_flag_is_todays_quartile(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    obs, indicators = lait_members
    result = backtest(obs, indicators, window=5, cutoff=0.5, min_history=3)
    trend = result.cases.filter(pl.col("method") == "trend")
    assert (trend["points"] >= 3).all() and (trend["points"] <= 5).all()
    score = result.score("trend")
    assert score["cases"] == trend.height
    assert score["tp"] == (trend["flagged"] & trend["in_bottom_quartile"]).sum()
    assert score["precision"] == pytest.approx(score["tp"] / score["flagged"])  # type: ignore[operator]
    assert (trend["flagged"] == (trend["p_bottom_quartile"] >= 0.5)).all()
    brier = (
        (trend["p_bottom_quartile"] - trend["in_bottom_quartile"].cast(pl.Float64)) ** 2
    ).mean()
    assert score["brier"] == pytest.approx(brier)
    naive = result.cases.filter(pl.col("method") == "naive")
    assert (naive["flagged"] == naive["naive_flagged"]).all()
    assert naive.select("authority", "indicator", "origin").equals(
        trend.select("authority", "indicator", "origin")
    )
    case = trend.filter(pl.col("indicator") == "lait-ks4-attainment-8").row(-1, named=True)
    at = obs.filter((pl.col("indicator") == case["indicator"]) & (pl.col("t") == case["origin"]))
    threshold = np.percentile(at["value"].drop_nulls().to_numpy(), 25)  # higher is better
    assert case["bottom_quartile"] == pytest.approx(threshold)
    assert case["naive_flagged"] == (case["origin_value"] < threshold)
    areas = result.summary.filter(pl.col("scope") != "all")
    assert set(areas["scope"]) == {"childrens-services", "education", "health"}
    assert areas.filter(pl.col("method") == "naive")["cases"].sum() == trend.height


@pytest.mark.django_db
def test_the_command_prints_every_method_beside_the_naive_baseline(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    out = io.StringIO()
    args = ["--prefix", "lait-", "--window", "5", "--cutoff", "0.5"]
    call_command("backtest_warnings", *args, stdout=out)
    text = out.getvalue()
    result = backtest(*lait_members, window=5, cutoff=0.5)
    for method in ("naive", "last-value", "trend", "logistic"):
        score = result.score(method)
        line = next(line for line in text.splitlines() if "all " in line and f" {method} " in line)
        assert str(score["cases"]) in line
        assert f"{score['precision']:.3f}" in line and f"{score['recall']:.3f}" in line
        assert f"{score['brier']:.3f}" in line
    assert "Calibration" in text
    pick = result.pick()
    assert (f"Pick: {pick} " in text) if pick else ("No method beats the naive rule" in text)


@pytest.mark.django_db
def test_the_command_answers_in_json_for_the_methods_asked(
    lait_members: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    out = io.StringIO()
    args = ["--prefix", "lait-", "--methods", "naive,damped-trend", "--phi", "0.5"]
    call_command("backtest_warnings", *args, "--format", "json", stdout=out)
    found = json.loads(out.getvalue())
    assert found["methods"] == ["naive", "damped-trend (phi 0.5)"]
    assert {row["method"] for row in found["summary"]} == set(found["methods"])
    assert found["cutoff"] == load("ambition-default").warning_cutoff
    per_method = {}
    for row in found["calibration"]:
        per_method[row["method"]] = per_method.get(row["method"], 0) + row["cases"]
    totals = {r["method"]: r["cases"] for r in found["summary"] if r["scope"] == "all"}
    assert per_method == totals


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_method() -> None:
    with pytest.raises(CommandError, match="no warning method 'crystal-ball'"):
        call_command("backtest_warnings", "--methods", "naive,crystal-ball")
