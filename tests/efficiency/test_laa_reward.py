"""LAA reward rules read from data, and the expected reward: the thresholds, the cap, exact
decimals, and the properties any reward must have."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import assume, given
from hypothesis import strategies as st

from ambition.efficiency.laa import (
    ALL_OR_NOTHING,
    PRO_RATA,
    RULES_FILE,
    RewardRule,
    RewardRuleError,
    expected_reward,
    load_rules,
    share_achieved,
)

PSA = "psa-pro-rata-60"
REWARD = Decimal("100000.00")


@pytest.fixture(scope="module")
def rule() -> RewardRule:
    return load_rules(Path(settings.DATA_DIR) / RULES_FILE)[PSA]


def test_the_shipped_rule_is_the_public_service_agreement_rule(rule: RewardRule) -> None:
    assert rule.pays == PRO_RATA
    assert (rule.threshold, rule.cap) == (Decimal("0.60"), Decimal("1.00"))
    assert "60%" in rule.citation and rule.explanation


@pytest.mark.parametrize(
    ("latest", "reward"),
    [
        (55.9, "0.00"),  # 59% of the stretch: nothing
        (56, "60000.00"),  # 60%: paid pro rata
        (57.5, "75000.00"),
        (60, "100000.00"),  # 100%
        (62, "100000.00"),  # 120%: capped at the full reward
        (45, "0.00"),  # worse than the baseline
    ],
)
def test_reward_at_shares_of_the_stretch(rule: RewardRule, latest: float, reward: str) -> None:
    assert expected_reward(rule, 50, 60, latest, 1, REWARD) == Decimal(reward)


def test_lower_is_better_counts_a_fall_as_progress(rule: RewardRule) -> None:
    # From 30% down towards 20%: 24% is 60% of the way.
    assert share_achieved(30, 20, 24, -1) == Decimal("0.6")
    assert expected_reward(rule, 30, 20, 24, -1, REWARD) == Decimal("60000.00")
    assert expected_reward(rule, 30, 20, 26.5, None, REWARD) == Decimal("0.00")  # 35%


def test_exactly_60_percent_in_decimals_is_paid_where_floats_would_not(rule: RewardRule) -> None:
    assert (1.7 - 1.1) / (2.1 - 1.1) < 0.6  # binary floating point falls just short
    assert share_achieved(1.1, 2.1, 1.7, 1) == Decimal("0.6")
    assert expected_reward(rule, 1.1, 2.1, 1.7, 1, REWARD) == Decimal("60000.00")


def test_the_reward_is_money_to_the_penny(rule: RewardRule) -> None:
    # Two thirds of the stretch of 1,000.00 is 666.666...: half up to 666.67.
    reward = expected_reward(rule, 0, 3, 2, 1, Decimal("1000.00"))
    assert reward == Decimal("666.67") and reward.as_tuple().exponent == -2
    assert isinstance(expected_reward(rule, 0, 3, 1, 1, Decimal("1000")), Decimal)


def test_bad_inputs_are_refused_naming_what_is_wrong(rule: RewardRule) -> None:
    with pytest.raises(ValueError, match="better than baseline"):
        expected_reward(rule, 50, 40, 45, 1, REWARD)  # higher is better, target lower
    with pytest.raises(ValueError, match="better than baseline"):
        expected_reward(rule, 50, 50, 50, None, REWARD)
    with pytest.raises(ValueError, match="reward_max"):
        expected_reward(rule, 50, 60, 55, 1, Decimal("10.001"))
    with pytest.raises(ValueError, match="latest"):
        expected_reward(rule, 50, 60, float("nan"), 1, REWARD)


def test_all_or_nothing_pays_the_whole_reward_from_its_threshold(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(RULE.format(extra='pays = "all-or-nothing"\nthreshold = 0.8\ncap = 1'))
    whole = load_rules(path)["whole"]
    assert whole.pays == ALL_OR_NOTHING
    assert expected_reward(whole, 0, 10, 7.9, 1, REWARD) == Decimal("0.00")
    assert expected_reward(whole, 0, 10, 8, 1, REWARD) == REWARD


RULE = """[[rule]]
key = "whole"
name = "All or nothing"
citation = "Illustrative"
explanation = "The whole reward from 80%."
{extra}
"""


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ('pays = "pro-rata"\nthreshold = 0.6', "'cap'"),
        ('pays = "pro-rata"\nthreshold = 1.2\ncap = 1', "'threshold'"),
        ('pays = "pro-rata"\nthreshold = 0.6\ncap = "all"', "'cap'"),
        ('pays = "pro-rata"\nthreshold = true\ncap = 1', "'threshold'"),
        ('pays = "by the hour"\nthreshold = 0.6\ncap = 1', "'pays'"),
        ('pays = "pro-rata"\nthreshold = 0.9\ncap = 0.8', "'threshold'"),
        ('pays = "pro-rata"\nthreshold = 0\ncap = 0', "'cap'"),
        ('pays = "pro-rata"\nthreshold = 0.6\ncap = 1\nbonus = 2', "'bonus'"),
    ],
)
def test_a_malformed_rule_is_refused_naming_the_field(
    tmp_path: Path, extra: str, field: str
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(RULE.format(extra=extra))
    with pytest.raises(RewardRuleError, match=f"rules.toml rule 1: .*field {field}"):
        load_rules(path)


def test_a_missing_text_field_a_bad_key_or_a_repeated_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    good = RULE.format(extra='pays = "pro-rata"\nthreshold = 0.6\ncap = 1')
    path.write_text(good.replace('name = "All or nothing"\n', ""))
    with pytest.raises(RewardRuleError, match="field 'name' is required"):
        load_rules(path)
    path.write_text(good.replace('"whole"', '"Whole rule"'))
    with pytest.raises(RewardRuleError, match="field 'key'"):
        load_rules(path)
    path.write_text(good + good)
    with pytest.raises(RewardRuleError, match="rule 2: field 'key': 'whole' repeats"):
        load_rules(path)
    path.write_text("[rule]\nkey = 1")
    with pytest.raises(RewardRuleError, match=r"\[\[rule\]\]"):
        load_rules(path)


amounts = st.decimals(min_value=-1000, max_value=1000, places=2)
money = st.decimals(min_value=0, max_value=10**9, places=2)


@given(
    baseline=amounts,
    target=amounts,
    latest=st.lists(amounts, min_size=2, max_size=2),
    stated=st.booleans(),
    reward_max=money,
)
def test_the_reward_rises_with_progress_and_stays_within_bounds(
    rule: RewardRule,
    baseline: Decimal,
    target: Decimal,
    latest: list[Decimal],
    stated: bool,
    reward_max: Decimal,
) -> None:
    assume(baseline != target)
    direction = 1 if target > baseline else -1
    worse, better = sorted(latest, key=lambda value: value * direction)
    polarity = direction if stated else None
    low = expected_reward(rule, baseline, target, worse, polarity, reward_max)
    high = expected_reward(rule, baseline, target, better, polarity, reward_max)
    assert Decimal(0) <= low <= high <= reward_max
