"""Ratings anyone can try (issue 11): the what-if module and its three front ends (`ambition
rate`, POST /api/v1/methods/{name}/rate and the try page, with the scorecard's "try it" form),
and the CPA 2005 table against the outcomes the Audit Commission published."""

from __future__ import annotations

import datetime
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from ambition.assessment.engine.stars import StarInputError, StarTableError, load_table
from ambition.assessment.making import make_run
from ambition.assessment.methodology import MethodologyError, load
from ambition.assessment.models import RunArea
from ambition.assessment.trying import parsed_pairs, rating_by, what_if
from tests.pages import page, parse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CPA_FILE = ROOT / "data" / "methodologies" / "cpa-2005-stars.toml"
DEFAULT = load("ambition-default")
CPA = load("cpa-2005")
LEVEL_2 = ("waste", "economy", "health", "housing", "environment", "transport")
LAMBETH = "E09000022"
BRISTOL_2006 = {  # the Guardian's 2006 table: CA 2, use of resources 3, CYP 1, the rest 2+
    "judgements": {"corporate_assessment": 2, "use_of_resources": 3},
    "scores": {"children-and-young-people": 1, "level-2": 2, "adult-social-care": 2},
}


def inputs(result: dict[str, Any]) -> dict[str, tuple[int | None, str | None]]:
    return {row["input"]: (row["score"], row["given_as"]) for row in result["inputs"]}


# The what-if -------------------------------------------------------------------------------


def test_a_level_sets_every_member_a_block_its_areas_and_the_most_specific_name_wins() -> None:
    result = what_if(
        "cpa-2005",
        {"corporate_assessment": 3, "use_of_resources": 4},
        {"level-1": 2, "children-and-young-people": 3, "education": 1, "level-2": 3},
    )
    understood = inputs(result)
    assert understood["adult-social-care"] == (2, "level-1")
    assert understood["childrens-services"] == (3, "children-and-young-people")
    assert understood["education"] == (1, "education")
    assert understood["use_of_resources"] == (4, "use_of_resources")  # the judgement wins
    assert understood["housing"] == (3, "level-2")
    assert (result["stars"], result["rule"]["id"]) == (1, "ca3-1-star")


def test_a_level_name_sets_a_judgement_it_counts() -> None:
    result = what_if("cpa-2005", {"corporate_assessment": 3}, {"level-1": 3, "level-2": 3})
    assert inputs(result)["use_of_resources"] == (3, "level-1")
    assert (result["stars"], result["rule"]["id"]) == (4, "ca3-4-stars")


def test_an_area_left_out_is_not_scored_and_the_result_says_so() -> None:
    enough = DEFAULT.stars.levels["services"].min_scored
    given, rest = DEFAULT.stars.service_areas[:enough], DEFAULT.stars.service_areas[enough:]
    result = what_if("ambition-default", {}, dict.fromkeys(given, 4))
    assert result["stars"] == 4 and result["to_next_star"] == []
    assert result["left_out"] == list(rest)
    assert inputs(result)[rest[0]] == (None, None)
    assert result["rule"] == {
        "id": "four-stars",
        "stars": 4,
        "text": "At least three quarters of the scored service areas at 3 or 4, and none at 1",
        "source": "Ambition default method (this file)",
        "reasoning": "",
        "inferred": False,
    }
    fewer = what_if("ambition-default", {}, dict.fromkeys(given[1:], 4))
    assert fewer["stars"] is None and fewer["missing"][0]["input"] == "services"


def test_an_area_given_as_not_scored_wins_over_its_levels_score() -> None:
    result = what_if("ambition-default", {}, parsed_pairs(["services=4", "waste="]))
    assert inputs(result)["waste"] == (None, "waste")
    assert result["left_out"] == ["waste"]


def test_without_enough_inputs_there_are_no_stars_and_the_result_says_what_is_missing() -> None:
    result = what_if("cpa-2005", {}, {"level-2": 2})
    assert (result["stars"], result["rule"]) == (None, None)
    assert [(m["input"], m["reason"]) for m in result["missing"]] == [
        ("corporate_assessment", "judgement not entered"),
        ("use_of_resources", "judgement not entered"),
        ("level-1", "0 of 3 scored; the table needs 1"),
    ]
    # A level counts the judgement it names: with the use of resources, level 1 is scored.
    judged = what_if("cpa-2005", {"use_of_resources": 3}, {"level-2": 2})
    assert [m["input"] for m in judged["missing"]] == ["corporate_assessment"]


def test_the_result_explains_why_with_what_held_it_back_and_the_raises_to_more_stars() -> None:
    result = what_if(
        "cpa-2005", {"corporate_assessment": 3}, {"level-1": 3, "level-2": 3, "housing": 1}
    )
    assert result["stars"] == 2
    held = {h["input"]: h["rules"] for h in result["held_back"]}
    assert held["housing"] == ["ca4-4-stars", "ca3-4-stars", "ca3-3-stars"]
    ways = {
        (w["stars"], tuple((c["input"], c["from"], c["to"]) for c in w["changes"]))
        for w in result["to_next_star"]
    }
    assert ways == {(3, (("housing", 1, 2),)), (3, (("corporate_assessment", 3, 4),))}
    assert result["method"]["version"] == CPA.version and result["names"]["housing"] == "Housing"


BAD_INPUTS = [
    ({"corporate_asessment": 3}, {}, "'corporate_asessment' is not a judgement of cpa-2005"),
    ({}, {"wastes": 2}, "'wastes' is not a service area, block or level of cpa-2005"),
    ({}, {"use_of_resources": 2}, "'use_of_resources' is a judgement of cpa-2005"),
    ({}, {"waste": 5}, "waste: 5 is not a score 1-4"),
    ({}, {"level-2": 0}, "level-2: 0 is not a score 1-4"),
    ({"corporate_assessment": True}, {}, "corporate_assessment: True is not a score 1-4"),
    ({}, {"housing": 2.0}, "housing: 2.0 is not a score 1-4"),
]


@pytest.mark.parametrize(("judgements", "scores", "message"), BAD_INPUTS)
def test_unknown_names_and_scores_outside_1_to_4_are_refused_naming_the_input(
    judgements: dict[str, Any], scores: dict[str, Any], message: str
) -> None:
    with pytest.raises(StarInputError, match=re.escape(message)):
        what_if("cpa-2005", judgements, scores)


def test_an_unknown_method_is_refused_naming_the_ones_there_are() -> None:
    with pytest.raises(MethodologyError, match="no methodology called 'cpa-2006'; there are"):
        what_if("cpa-2006", {}, {})


def test_typed_pairs_read_either_separator_and_refuse_anything_else() -> None:
    assert parsed_pairs(["housing=2", " waste : 3 ", "", "economy=", "housing=4"]) == {
        "housing": 4,
        "waste": 3,
        "economy": None,
    }
    with pytest.raises(StarInputError, match=re.escape("housing: 'high' is not a score 1-4")):
        parsed_pairs(["housing=high"])
    with pytest.raises(StarInputError, match=re.escape("'housing' is not NAME=N")):
        parsed_pairs(["housing"])


# Properties over every input -----------------------------------------------------------------

MAYBE_SCORE = st.one_of(st.none(), st.integers(1, 4))


@given(scores=st.fixed_dictionaries({a: MAYBE_SCORE for a in DEFAULT.stars.service_areas}))
def test_raising_any_score_never_lowers_the_default_methods_stars(
    scores: dict[str, int | None],
) -> None:
    before = rating_by(DEFAULT, {}, scores)["stars"]
    for area, score in scores.items():
        if score is not None and score < 4:
            after = rating_by(DEFAULT, {}, {**scores, area: score + 1})["stars"]
            assert (after or 0) >= (before or 0), area


@pytest.mark.parametrize("method", [DEFAULT, CPA], ids=lambda m: m.name)
@given(data=st.data())
def test_every_what_if_has_stars_0_to_4_with_its_rule_or_none_with_what_is_missing(
    method: Any, data: st.DataObject
) -> None:
    names = [*method.stars.service_areas, *method.stars.blocks, *method.stars.levels]
    scores = data.draw(st.dictionaries(st.sampled_from(names), MAYBE_SCORE))
    some = {key: st.integers(1, 4) for key in method.stars.judgements}
    judgements = data.draw(st.fixed_dictionaries({}, optional=some))
    result = rating_by(method, judgements, scores)
    if result["stars"] is None:
        assert result["missing"] and result["rule"] is None
    else:
        assert result["stars"] in range(5) and result["rule"]["stars"] == result["stars"]
        assert result["missing"] == []


# The CPA 2005 table against the published outcomes ----------------------------------------


def test_the_cpa_table_records_bristol_and_lambeth_in_2006_and_reproduces_them() -> None:
    outcomes = {o.name: o for o in CPA.stars.outcomes}
    assert set(outcomes) == {"Bristol City Council, 2006", "London Borough of Lambeth, 2006"}
    for outcome in outcomes.values():
        result = rating_by(CPA, outcome.judgements, outcome.scores)
        assert result["stars"] == outcome.stars == 1
        assert "http" in outcome.citation and outcome.note


@given(
    others=st.fixed_dictionaries({a: st.integers(2, 4) for a in ("adult-social-care", *LEVEL_2)}),
    resources=st.integers(2, 4),
)
def test_bristol_2006_gets_one_star_whatever_its_other_scores_of_2_or_more(
    others: dict[str, int], resources: int
) -> None:
    # Corporate assessment 2 and children and young people 1.
    judgements = {"corporate_assessment": 2, "use_of_resources": resources}
    result = rating_by(CPA, judgements, {"children-and-young-people": 1, **others})
    assert (result["stars"], result["rule"]["id"]) == (1, "ca2-1-star")
    assert "Bristol" in result["rule"]["reasoning"]


@pytest.mark.parametrize("culture", LEVEL_2)
@given(others=st.integers(2, 4))
def test_lambeth_2006_gets_one_star_with_culture_as_any_one_level_2_area_at_1(
    culture: str, others: int
) -> None:
    judgements = {"corporate_assessment": 2, "use_of_resources": others}
    result = rating_by(CPA, judgements, {"level-1": others, "level-2": others, culture: 1})
    assert result["stars"] == 1


def test_no_combination_with_corporate_assessment_2_or_more_gives_0_stars() -> None:
    # The first rule that holds fires, so no 0-star rule open to CA 2-4 means no 0 stars there.
    zero = [r for r in CPA.stars.rules if r.stars == 0]
    assert zero and all(r.judgements["corporate_assessment"] == {1} for r in zero)
    lowest = rating_by(
        CPA, {"corporate_assessment": 2, "use_of_resources": 1}, {"level-1": 1, "level-2": 1}
    )
    assert lowest["stars"] == 1


def test_the_revised_rows_cite_the_outcomes_and_keep_their_reasoning() -> None:
    revised = next(r for r in CPA.stars.rules if r.id == "ca2-1-star")
    assert revised.inferred and not revised.conditions
    assert all(word in revised.reasoning for word in ("Bristol", "Lambeth", "Guardian"))


def test_the_loader_refuses_a_table_that_does_not_reproduce_a_published_outcome(
    tmp_path: Path,
) -> None:
    # Version 2005.1's catch-all for corporate assessment 2 gave 0 stars: Bristol got 1.
    text = CPA_FILE.read_text(encoding="utf-8")
    old = text.replace('id = "ca2-1-star"\nstars = 1', 'id = "ca2-0-stars"\nstars = 0', 1)
    assert old != text
    broken = tmp_path / CPA_FILE.name
    broken.write_text(old, encoding="utf-8")
    with pytest.raises(
        StarTableError,
        match=re.escape(
            "outcome 'Bristol City Council, 2006': published 1 stars, but the table gives 0 "
            "(rule 'ca2-0-stars')"
        ),
    ):
        load_table(broken)


def test_the_loader_refuses_an_outcome_naming_an_unknown_area(tmp_path: Path) -> None:
    text = CPA_FILE.read_text(encoding="utf-8").replace("health = 1", "culture = 1", 1)
    broken = tmp_path / CPA_FILE.name
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(
        StarTableError,
        match="outcome 'London Borough of Lambeth, 2006': 'culture' is not a service area",
    ):
        load_table(broken)


# The command -------------------------------------------------------------------------------


def rate(*args: str) -> str:
    out = io.StringIO()
    call_command("rate", *args, stdout=out)
    return out.getvalue()


def test_the_command_says_the_stars_the_rule_and_why_as_the_scorecard_does() -> None:
    text = rate(
        "--method", "cpa-2005", "--judgement", "corporate_assessment=3",
        "--score", "level-1=3", "--score", "level-2=3", "--score", "housing=1",
    )  # fmt: skip
    assert text.startswith("cpa-2005 (version 2005.2): 2 stars")
    assert "meets is ca3-2-stars:" in text
    assert (
        "Housing, 1: stopped ca4-4-stars (4 stars), ca3-4-stars (4 stars), ca3-3-stars (3 stars)"
        in text
    )
    assert "raise Housing from 1 to 2: 3 stars" in text
    assert "Use of resources (judgement): 3 (from Level 1 services" in text


def test_the_command_prints_the_apis_json_for_scripts() -> None:
    printed = json.loads(rate("--format", "json", "--score", "services=3", "--score", "waste=1"))
    assert (printed["stars"], printed["rule"]["id"]) == (2, "two-stars")
    assert printed == what_if("ambition-default", {}, {"services": 3, "waste": 1})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--method", "nope"), "no methodology called 'nope'"),
        (("--score", "housing=9"), "housing: '9' is not a score 1-4"),
        (("--score", "culture=1"), "'culture' is not a service area, block or level"),
    ],
)
def test_the_command_refuses_bad_input_with_a_clear_message(
    args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(message)):
        rate(*args)


def test_the_command_exits_non_zero_on_bad_input() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ambition", "rate", "--method", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and "no methodology called 'nope'" in done.stderr


# The API -------------------------------------------------------------------------------------


def post(client: Client, name: str, body: Any) -> Any:
    return client.post(
        f"/api/v1/methods/{name}/rate", json.dumps(body), content_type="application/json"
    )


def test_the_api_answers_anyone_with_the_commands_json(client: Client) -> None:
    response = post(client, "cpa-2005", BRISTOL_2006)
    assert response.status_code == 200
    answer = response.json()
    assert (answer["stars"], answer["rule"]["id"]) == (1, "ca2-1-star")
    assert answer == json.loads(rate(
        "--method", "cpa-2005", "--format", "json",
        "--judgement", "corporate_assessment=2", "--judgement", "use_of_resources=3",
        "--score", "children-and-young-people=1", "--score", "level-2=2",
        "--score", "adult-social-care=2",
    ))  # fmt: skip


def test_the_api_says_not_found_for_an_unknown_method(client: Client) -> None:
    response = post(client, "cpa-2006", {})
    assert response.status_code == 404 and "cpa-2006" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"scores": {"wastes": 2}}, "'wastes' is not a service area, block or level"),
        (
            {"judgements": {"use_of_resources": 3}, "scores": {"use_of_resources": 3}},
            "is a judgement",
        ),
        ({"scores": {"waste": 5}}, "less than or equal to 4"),
        ({"scores": {"waste": True}}, "valid integer"),
        ({"scores": ["waste"]}, "valid dictionary"),
    ],
)
def test_the_api_refuses_bad_input_with_the_message(
    client: Client, body: dict[str, Any], message: str
) -> None:
    response = post(client, "cpa-2005", body)
    assert response.status_code == 422
    assert message in json.dumps(response.json()["detail"])


# The try page and the scorecard's form -----------------------------------------------------


def test_the_try_page_rates_the_values_in_its_address(client: Client) -> None:
    doc = page(
        client,
        "/assessment/methods/cpa-2005/try/",
        judgement="corporate_assessment:2",
        score=["level-1:2", "level-2:2", "children-and-young-people:1"],
    )  # type: ignore[arg-type]
    assert doc.find("span", data_stars="1") is not None
    assert "ca2-1-star" in doc.find("div", data_section="rule").text
    assert "was inferred" in doc.find("div", data_section="inferred").text
    assert doc.find("table", data_table="held-back") and doc.find("ul", data_section="next-star")
    assert "from level-1" in doc.find("tr", data_input="adult-social-care").text
    form = doc.find("form", data_form="try")
    chosen = [o.attrs["value"] for o in form.find_all("option") if "selected" in o.attrs]
    assert "education:1" in chosen and "corporate_assessment:2" in chosen
    assert [leg.text for leg in form.find_all("legend")] == [
        "Judgements",
        "Level 1 services (including use of resources)",
        "Level 2 services",
    ]
    labels = {label.attrs["for"]: label.text for label in form.find_all("label")}
    assert all(labels.get(select.attrs["id"]) for select in form.find_all("select"))


def test_the_try_page_without_values_shows_the_form_alone(client: Client) -> None:
    doc = page(client, "/assessment/methods/ambition-default/try/")
    assert doc.find_all("span", data_stars="") == [] and doc.find("form", data_form="try")


def test_the_try_page_refuses_bad_values_with_the_message(client: Client) -> None:
    response = client.get("/assessment/methods/ambition-default/try/", {"score": "housing:7"})
    assert response.status_code == 400
    assert "housing: &#x27;7&#x27; is not a score 1-4" in response.content.decode()
    assert client.get("/assessment/methods/cpa-2006/try/").status_code == 404


def test_the_try_pages_json_is_the_apis(client: Client) -> None:
    response = client.get(
        "/assessment/methods/ambition-default/try/",
        {"score": ["services:3", "waste:1"], "format": "json"},
    )
    assert (
        response.json()
        == post(client, "ambition-default", {"scores": {"services": 3, "waste": 1}}).json()
    )


def test_the_scorecard_offers_a_try_form_prefilled_with_the_runs_scores(client: Client) -> None:
    run = make_run("ambition-default", datetime.date.today())
    doc = page(client, f"/assessment/authorities/{LAMBETH}/", run=str(run.pk))
    form = doc.find("form", data_form="try")
    assert form.attrs["action"] == "/assessment/methods/ambition-default/try/"
    chosen = {o.attrs["value"] for o in form.find_all("option") if "selected" in o.attrs}
    stored = RunArea.objects.filter(run=run, authority__code=LAMBETH, score__isnull=False)
    assert chosen == {f"{a.area.code}:{a.score}" for a in stored.select_related("area")}
    # Sent as it stands, the form gives the run's stars.
    values = [v for v in sorted(chosen)]
    tried = parse(client.get(form.attrs["action"], {"score": values}).content)
    stars = doc.find("ul", data_section="headline").find_all("span")[1].attrs["data-stars"]
    assert tried.find("span", data_stars=stars) is not None
