"""The published appraisal criteria and the weighted total of a set of scores."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.fund.criteria import InvalidScores, load

CRITERIA = load(Path(__file__).resolve().parents[2] / "data" / "fund" / "appraisal-criteria.toml")
CODES = [c.code for c in CRITERIA.items]
SCORES = st.fixed_dictionaries({c: st.integers(0, CRITERIA.scale) for c in CODES})


def test_the_published_criteria_are_weighted_and_versioned() -> None:
    assert CRITERIA.version and CRITERIA.scale == 5
    assert CODES == ["need", "outcomes", "deliverability", "sharing", "value"]
    assert sum(c.weight for c in CRITERIA.items) == 100


def test_full_marks_are_100_and_none_are_0() -> None:
    assert CRITERIA.total(dict.fromkeys(CODES, 5)) == Decimal(100)
    assert CRITERIA.total(dict.fromkeys(CODES, 0)) == Decimal(0)
    # need (30) at 4/5 = 24, outcomes (25) at 3/5 = 15
    assert CRITERIA.total({**dict.fromkeys(CODES, 0), "need": 4, "outcomes": 3}) == Decimal(39)


@given(SCORES, st.sampled_from(CODES))
def test_a_higher_score_never_lowers_the_total(scores: dict[str, int], code: str) -> None:
    total = CRITERIA.total(scores)
    assert Decimal(0) <= total <= Decimal(100)
    if scores[code] < CRITERIA.scale:
        assert CRITERIA.total({**scores, code: scores[code] + 1}) > total


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"need": None}, "No score for need"),
        ({"charm": 3}, "charm: not a published criterion"),
        ({"need": 6}, "0 to 5"),
        ({"need": -1}, "0 to 5"),
        ({"need": 2.5}, "whole number"),
        ({"need": True}, "whole number"),
    ],
)
def test_scores_that_do_not_answer_the_criteria_are_refused(
    change: dict[str, object], message: str
) -> None:
    scores: dict[str, object] = {**dict.fromkeys(CODES, 3), **change}
    scores = {k: v for k, v in scores.items() if v is not None}
    with pytest.raises(InvalidScores, match=message):
        CRITERIA.total(scores)  # type: ignore[arg-type]
