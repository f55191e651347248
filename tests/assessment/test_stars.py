"""Star rule tables: the CPA 2005 rows as published (and the rows that had to be inferred), our
own data-driven table, and the evaluator's account of why a council has its stars."""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambition.assessment.engine.stars import (
    Change,
    StarResult,
    StarTable,
    StarTableError,
    load_table,
    rate,
)

DATA = Path(__file__).resolve().parents[2] / "data"
CPA_FILE = DATA / "methodologies" / "cpa-2005-stars.toml"
DEFAULT_FILE = DATA / "methodologies" / "ambition-default-stars.toml"
with (DATA / "indicators" / "service_areas.csv").open(encoding="utf-8") as areas_file:
    SERVICE_AREAS = tuple(row["code"] for row in csv.DictReader(areas_file))

CPA = load_table(CPA_FILE, SERVICE_AREAS)
DEFAULT = load_table(DEFAULT_FILE, SERVICE_AREAS)
LEVEL_1 = ("childrens-services", "education", "adult-social-care", "use_of_resources")
LEVEL_2 = ("waste", "economy", "health", "housing", "environment", "transport")
INFERRED_ROWS = {"ca2-1-star", "ca1-2-stars", "ca1-1-star", "ca1-0-stars"}


def cpa_council(ca: int, level_1: str, level_2: str) -> tuple[dict[str, int], dict[str, int]]:
    """Judgements and scores from digits: level_1 gives children's services, education, adult
    social care and use of resources; level_2 the six other service areas in LEVEL_2's order."""
    given_ = dict(zip(LEVEL_1, map(int, level_1), strict=True))
    given_ |= dict(zip(LEVEL_2, map(int, level_2), strict=True))
    judgements = {"corporate_assessment": ca, "use_of_resources": given_.pop("use_of_resources")}
    return judgements, given_


def rate_cpa(ca: int, level_1: str, level_2: str) -> StarResult:
    return rate(CPA, *cpa_council(ca, level_1, level_2))


# Each case meets its row and fails every row above it.
CPA_ROWS = [
    # the rows the issue lists
    ("ca4-4-stars", 4, "3333", "222222", 4),
    ("ca4-3-stars", 4, "2333", "122222", 3),
    ("ca4-2-stars", 4, "3313", "122222", 2),
    ("ca4-1-star", 4, "3311", "333333", 1),
    ("ca3-4-stars", 3, "3333", "333333", 4),
    ("ca3-3-stars", 3, "3333", "233333", 3),
    ("ca3-2-stars", 3, "2222", "133333", 2),
    ("ca3-1-star", 3, "1333", "444444", 1),
    ("ca2-3-stars", 2, "3333", "222222", 3),
    # found: the Sunderland reproduction of the table
    ("ca2-2-stars", 2, "2333", "222222", 2),
    # inferred
    ("ca2-1-star", 2, "2222", "144444", 1),
    ("ca2-1-star", 2, "4441", "444444", 1),
    ("ca1-2-stars", 1, "3333", "222222", 2),
    ("ca1-1-star", 1, "2222", "222222", 1),
    ("ca1-0-stars", 1, "4444", "144444", 0),
]


@pytest.mark.parametrize(("rule", "ca", "level_1", "level_2", "stars"), CPA_ROWS)
def test_each_cpa_row_fires_for_the_scores_it_describes(
    rule: str, ca: int, level_1: str, level_2: str, stars: int
) -> None:
    result = rate_cpa(ca, level_1, level_2)
    assert (result.rule and result.rule.id, result.stars) == (rule, stars)


def test_every_cpa_row_has_a_case_and_only_the_unfound_rows_are_marked_inferred() -> None:
    assert [rule.id for rule in CPA.rules] == list(dict.fromkeys(row[0] for row in CPA_ROWS))
    assert {rule.id for rule in CPA.rules if rule.inferred} == INFERRED_ROWS
    cited = [rule for rule in CPA.rules if not rule.inferred]
    assert all("CPA - the harder test (2005)" in rule.source for rule in cited)


def test_both_tables_read_every_service_area_once() -> None:
    assert sorted(CPA.service_areas) == sorted(SERVICE_AREAS)
    assert sorted(DEFAULT.service_areas) == sorted(SERVICE_AREAS)


def test_children_and_young_people_count_once_in_level_1_as_cpa_scored_them() -> None:
    # Both halves of the block below 2 are one weak block: "at most one below 2" still holds.
    result = rate_cpa(4, "1133", "333333")
    assert (result.stars, result.rule and result.rule.id) == (2, "ca4-2-stars")
    held = {h.input: h.score for h in result.held_back}
    assert held == {"childrens-services": 1, "education": 1}


def test_held_back_names_the_inputs_that_stopped_each_rule_with_more_stars() -> None:
    result = rate_cpa(3, "3333", "333133")  # housing 1
    assert result.stars == 2
    held = {h.input: (h.score, h.judgement, h.rules) for h in result.held_back}
    assert held == {
        "corporate_assessment": (3, True, ("ca4-4-stars", "ca4-3-stars")),
        "housing": (1, False, ("ca4-4-stars", "ca3-4-stars", "ca3-3-stars")),
    }


def test_next_star_lists_the_single_raises_that_give_one_more() -> None:
    result = rate_cpa(3, "3333", "333133")
    options = {(n.changes, n.stars) for n in result.to_next_star}
    assert options == {
        ((Change("housing", 1, 2, judgement=False),), 3),
        ((Change("corporate_assessment", 3, 4, judgement=True),), 3),
    }


def test_next_star_can_jump_when_no_raise_gives_exactly_one_more() -> None:
    # CA 4 with two weak level 2 services: the one raise that satisfies the 2-star row
    # satisfies the 3-star row too, so the table has no way to give this council 2 stars.
    result = rate_cpa(4, "2333", "113333")
    assert result.stars == 1
    assert {n.stars for n in result.to_next_star} == {3}
    assert {n.changes for n in result.to_next_star} == {
        (Change("waste", 1, 2, judgement=False),),
        (Change("economy", 1, 2, judgement=False),),
    }


def test_a_missing_judgement_gives_no_rating_and_says_which() -> None:
    judgements, scores = cpa_council(3, "3333", "333333")
    result = rate(CPA, {**judgements, "corporate_assessment": None}, scores)
    assert (result.stars, result.rule, result.to_next_star) == (None, None, ())
    assert [m.input for m in result.missing] == ["corporate_assessment"]
    assert [(p.key, p.score) for p in result.judgement_parts] == [
        ("corporate_assessment", None),
        ("use_of_resources", 3),
    ]


def test_an_area_without_data_is_left_out_of_its_levels_counts() -> None:
    judgements, scores = cpa_council(3, "3333", "333133")
    result = rate(CPA, judgements, {**scores, "housing": None})
    assert (result.stars, result.left_out) == (4, ("housing",))


def test_a_block_scores_its_scored_area_when_the_other_has_no_data() -> None:
    judgements, scores = cpa_council(3, "3133", "333333")
    result = rate(CPA, judgements, {**scores, "childrens-services": None})
    assert result.stars == 1
    assert [h.input for h in result.held_back] == ["corporate_assessment", "education"]


def test_a_level_with_no_scored_area_gives_no_rating() -> None:
    judgements, scores = cpa_council(3, "3333", "333333")
    result = rate(CPA, judgements, {**scores, **dict.fromkeys(LEVEL_2)})
    assert result.stars is None
    assert [(m.input, m.reason) for m in result.missing] == [
        ("level-2", "0 of 6 scored; the table needs 1")
    ]


def test_the_default_table_needs_five_service_areas_scored() -> None:
    """A majority of the nine: four scored give no rating, five do."""
    scores: dict[str, int | None] = dict.fromkeys(SERVICE_AREAS, 4)
    scores |= dict.fromkeys(SERVICE_AREAS[:5])
    assert rate(DEFAULT, {}, scores).missing[0].reason == "4 of 9 scored; the table needs 5"
    scores[SERVICE_AREAS[0]] = 4
    assert rate(DEFAULT, {}, scores).stars == 4


DEFAULT_CASES = [
    ("444444322", "four-stars", 4),  # 7 of 9 at 3+, none at 1
    ("443332222", "three-stars", 3),  # 5 of 9 at 3+
    ("444444441", "two-stars", 2),  # one at 1 rules out 3 and 4 stars
    ("332222222", "one-star", 1),  # 2 of 9 at 3+ is under a quarter
    ("444411111", "no-stars", 0),  # 5 of 9 at 1
]


@pytest.mark.parametrize(("digits", "rule", "stars"), DEFAULT_CASES)
def test_the_default_table_rates_on_breadth_and_failing_services(
    digits: str, rule: str, stars: int
) -> None:
    result = rate(DEFAULT, {}, dict(zip(SERVICE_AREAS, map(int, digits), strict=True)))
    assert (result.rule and result.rule.id, result.stars, result.judgement_parts) == (
        rule,
        stars,
        (),
    )


def test_a_score_outside_1_to_4_is_refused() -> None:
    judgements, scores = cpa_council(3, "3333", "333333")
    with pytest.raises(ValueError, match="waste: 5"):
        rate(CPA, judgements, {**scores, "waste": 5})


# Properties over every input ---------------------------------------------------------------


def inputs(table: StarTable) -> st.SearchStrategy[tuple[dict[str, int | None], ...]]:
    score = st.integers(1, 4)
    maybe = st.one_of(st.none(), score, score, score)
    judgements = st.fixed_dictionaries({key: score for key in table.judgements})
    scores = st.fixed_dictionaries({area: maybe for area in table.service_areas})
    return st.tuples(judgements, scores)


def applied(
    judgements: Mapping[str, int | None], scores: Mapping[str, int | None], raises: dict[str, int]
) -> tuple[dict[str, int | None], dict[str, int | None]]:
    return (
        {k: raises.get(k, v) for k, v in judgements.items()},
        {k: raises.get(k, v) for k, v in scores.items()},
    )


TABLES = pytest.mark.parametrize("table", [CPA, DEFAULT], ids=["cpa-2005", "ambition-default"])


@TABLES
@given(data=st.data())
def test_raising_any_input_never_lowers_the_stars(table: StarTable, data: st.DataObject) -> None:
    judgements, scores = data.draw(inputs(table))
    before = rate(table, judgements, scores)
    for key, value in (judgements | scores).items():
        if value is not None and value < 4:
            after = rate(table, *applied(judgements, scores, {key: value + 1}))
            assert (after.stars or 0) >= (before.stars or 0), key


@TABLES
@given(data=st.data())
def test_every_combination_with_its_inputs_is_rated_by_some_rule(
    table: StarTable, data: st.DataObject
) -> None:
    result = rate(table, *data.draw(inputs(table)))
    assert (result.stars is None) == bool(result.missing)
    assert result.rule is None or result.stars == result.rule.stars


@TABLES
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_raises_to_next_star_give_more_stars_and_none_fewer_would(
    table: StarTable, data: st.DataObject
) -> None:
    judgements, scores = data.draw(inputs(table))
    result = rate(table, judgements, scores)
    if result.stars is None or result.stars == 4:
        assert result.to_next_star == ()
        return
    assert result.to_next_star, "a council below 4 stars can always rise"
    for option in result.to_next_star:
        raises = {c.input: c.to_score for c in option.changes}
        after = rate(table, *applied(judgements, scores, raises))
        assert after.stars == option.stars > result.stars
        assert after.rule and after.rule.id == option.rule
    fewer = len(result.to_next_star[0].changes) - 1
    raisable = [k for k, v in (judgements | scores).items() if v is not None and v < 4]
    for keys in itertools.combinations(raisable, fewer):
        at_most = rate(table, *applied(judgements, scores, dict.fromkeys(keys, 4)))
        assert at_most.stars == result.stars


# The loader refuses malformed tables, naming the rule and field --------------------------


def last_rule_removed(text: str) -> str:
    return text[: text.rindex("[[stars.rules]]")]


CA4 = "judgements = { corporate_assessment = 4 }"
MALFORMED = [
    (CPA_FILE, ('"ca4-4-stars"\nstars = 4', '"ca4-4-stars"\nstars = 5'),
     "rule 'ca4-4-stars': field 'stars': 5 is outside 0..4"),
    (CPA_FILE, ('id = "ca3-1-star"', 'id = "ca3-1-star"\ncolour = "gold"'),
     "rule 'ca3-1-star': unknown field 'colour'"),
    (CPA_FILE, ('{ level = "level-2", below = 2 }]', '{ level = "level-3", below = 2 }]'),
     "rule 'ca4-4-stars': field 'levels': level 'level-3' is not defined"),
    (CPA_FILE, ('"waste", "economy"', '"wastes", "economy"'),
     "level 'level-2': field 'members': 'wastes' names nothing known"),
    (CPA_FILE, ('"adult-social-care", "use_of_resources"', '"adult-social-care", "waste"'),
     "level 'level-2': field 'members': 'waste' is in two levels"),
    (CPA_FILE, ('members = ["waste",', 'members = ["education", "waste",'),
     "level 'level-2': field 'members': 'education' is in two levels"),
    (CPA_FILE, ('id = "ca3-1-star"', 'id = "ca3-2-stars"'),
     "rule 'ca3-2-stars': field 'id' is used twice"),
    (CPA_FILE, ('"ca4-1-star"\nstars = 1', '"ca4-1-star"\nstars = true'),
     "rule 'ca4-1-star': field 'stars' must be a whole number, not True"),
    (CPA_FILE, (CA4, CA4.replace("4", "5")),
     "rule 'ca4-4-stars': field 'judgements': corporate_assessment must be scores 1..4"),
    (CPA_FILE, (CA4, CA4.replace("assessment", "assesment")),
     "rule 'ca4-4-stars': field 'judgements': 'corporate_assesment' is not a judgement"),
    (CPA_FILE, ('name = "cpa-2005"', 'name = "cpa-2005"\ncolour = 1'),
     "[stars]: unknown field 'colour'"),
    (DEFAULT_FILE, ("at_least_share = 0.75", "at_least_share = 1.5"),
     "rule 'four-stars': field 'at_least_share' must be more than 0, at most 1"),
    (DEFAULT_FILE, ("min_scored = 5", "min_scored = 10"),
     "level 'services': field 'min_scored' must be 1 to 9"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "edit", "message"), MALFORMED)
def test_the_loader_refuses_a_malformed_table_naming_rule_and_field(
    tmp_path: Path, path: Path, edit: tuple[str, str], message: str
) -> None:
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text, "the edit must change the shipped table"
    broken = tmp_path / path.name
    broken.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(StarTableError, match=re.escape(message)):
        load_table(broken, SERVICE_AREAS)


def test_the_loader_refuses_an_inferred_row_without_its_reasoning(tmp_path: Path) -> None:
    text = CPA_FILE.read_text(encoding="utf-8")
    cited_row_4 = re.search(r'source = ".*row 4;.*"', text)
    assert cited_row_4
    broken = tmp_path / "stars.toml"
    broken.write_text(text.replace(cited_row_4.group(), 'source = "inferred"'), encoding="utf-8")
    with pytest.raises(StarTableError, match="rule 'ca4-1-star': field 'reasoning' is required"):
        load_table(broken)


def test_the_loader_refuses_a_table_that_leaves_some_council_unrated(tmp_path: Path) -> None:
    broken = tmp_path / "stars.toml"
    broken.write_text(last_rule_removed(CPA_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(StarTableError, match=r"no catch-all rule .* for corporate_assessment=1"):
        load_table(broken)


def test_the_loader_checks_areas_against_the_service_areas_it_is_given() -> None:
    assert load_table(CPA_FILE).service_areas == CPA.service_areas
    with pytest.raises(StarTableError, match="'transport' names nothing known"):
        load_table(CPA_FILE, [area for area in SERVICE_AREAS if area != "transport"])
