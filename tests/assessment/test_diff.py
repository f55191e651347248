"""What changed between two runs, and why, on real runs: the same inputs give identical
results and no change; a changed judgement, a changed as-of date and a changed method are
each found and named as the cause of the results they moved."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from ambition.accounts.people import RoleSpec, create_person
from ambition.assessment.diff import compare
from ambition.assessment.making import make_run
from ambition.assessment.models import AssessmentRun, Judgement, RunIndicator, RunRating
from ambition.registry.models import Authority
from tests.pages import body_rows, page

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAMBETH = "E09000022"


def judge(key: str, score: int, reason: str) -> Judgement:
    office = create_person(
        f"diff-analyst-{key}-{score}", "diff-password-1", [RoleSpec.parse("analyst")]
    )
    return Judgement.objects.create(
        authority=Authority.objects.get(code=LAMBETH),
        method="cpa-2005",
        key=key,
        score=score,
        reason=reason,
        entered_by=office,
    )


def test_the_same_inputs_give_identical_results_and_no_change(client: Client) -> None:
    first = make_run("ambition-default", TODAY)
    second = make_run("ambition-default", TODAY)
    diff = compare(first, second)
    assert diff.identical and diff.same_inputs
    assert diff.changes == 0 and not diff.judgements and not diff.data
    doc = page(client, f"/assessment/runs/{first.pk}/compare/{second.pk}/")
    assert "Identical results" in doc.find("div", data_section="identical").text
    assert doc.find_all("p", data_section="same-inputs")
    assert doc.find_all("p", data_section="no-ratings")


def test_a_changed_judgement_is_found_and_named_as_the_cause(client: Client) -> None:
    judge("corporate_assessment", 1, "Failing governance, inspection of May")
    judge("use_of_resources", 3, "Sound accounts")
    before = make_run("cpa-2005", TODAY)
    judge("corporate_assessment", 4, "New leadership, re-inspected in September")
    after = make_run("cpa-2005", TODAY)
    diff = compare(before, after)
    assert [i.input for i in diff.inputs] == ["judgements used"]
    [changed] = diff.judgements
    assert (changed.authority, changed.key, changed.before, changed.after) == (
        LAMBETH,
        "corporate_assessment",
        1,
        4,
    )
    assert changed.reason == "New leadership, re-inspected in September"
    # The same scores under corporate assessment 4 always earn more stars than under 1.
    old, new = (RunRating.objects.get(run=r, authority__code=LAMBETH) for r in (before, after))
    assert old.stars is not None and new.stars is not None and new.stars > old.stars
    [stars] = [c for c in diff.ratings if c.what == "stars"]
    assert stars.authority == LAMBETH
    assert stars.causes[0].startswith("judgement changed: Corporate assessment 1 to 4")
    assert not diff.areas and not diff.quartiles  # the data did not change
    doc = page(client, f"/assessment/runs/{before.pk}/compare/{after.pk}/")
    assert doc.find("tr", data_input="judgements used")
    row = doc.find("table", data_table="ratings").find("tr", data_code=LAMBETH, data_what="stars")
    assert "judgement changed" in row.text and "New leadership" in row.text
    judged = body_rows(doc.find("table", data_table="judgements"))
    assert len(judged) == 1 and "1" in judged[0].text and "4" in judged[0].text


def test_a_changed_as_of_date_is_traced_to_new_periods_and_values(client: Client) -> None:
    before = make_run("ambition-default", datetime.date(2022, 12, 31))
    after = make_run("ambition-default", TODAY)
    diff = compare(before, after)
    inputs = {i.input: i for i in diff.inputs}
    assert {"as of", "data (fingerprint)", "observations read"} <= set(inputs)
    assert (inputs["as of"].before, inputs["as of"].after) == ("2022-12-31", TODAY.isoformat())
    assert "method" not in inputs and not diff.judgements
    assert not diff.identical
    assert diff.data and all(d.changed >= d.new_period for d in diff.data)
    assert sum(d.new_period for d in diff.data) > 0
    # Every quartile that moved for a council both runs rated is explained by the data.
    for change in diff.quartiles:
        assert change.causes, change
        assert any(
            c.startswith(("new period", "its value changed", "its value is the same", "indicator"))
            for c in change.causes
        )
    moved = RunIndicator.objects.filter(run=after).count()
    assert 0 < len(diff.quartiles) <= moved
    for change in diff.ratings:
        old, new = (
            RunRating.objects.get(run=r, authority__code=change.authority) for r in (before, after)
        )
        if change.what == "stars":
            assert (old.stars, old.rule_id) != (new.stars, new.rule_id)
            assert f"data changed: as of 2022-12-31 to {TODAY.isoformat()}" in change.causes
        if change.what == "direction of travel":
            assert old.direction != new.direction
    doc = page(client, f"/assessment/runs/{before.pk}/compare/{after.pk}/")
    assert doc.find("tr", data_input="as of")
    assert len(body_rows(doc.find("table", data_table="quartiles"))) == len(diff.quartiles)


def test_a_changed_method_is_named_in_every_changes_causes() -> None:
    default = make_run("ambition-default", TODAY)
    cpa = make_run("cpa-2005", TODAY)
    diff = compare(default, cpa)
    inputs = {i.input for i in diff.inputs}
    assert {"method", "method file (SHA-256)", "comparator group"} <= inputs
    assert "data (fingerprint)" not in inputs
    assert diff.ratings and diff.areas
    for change in [*diff.ratings, *diff.areas]:
        assert any(c.startswith("method changed") for c in change.causes), change
    # Without judgements CPA rates no one: the cause says which input is missing.
    lost = [c for c in diff.ratings if c.what == "stars" and c.after == "not rated"]
    assert lost and all(
        any("corporate_assessment judgement not entered" in c for c in change.causes)
        for change in lost
    )


def _older_version(text: str) -> str:
    """The shipped method as it might have been: one polarity statement fewer, other score
    bands, and the four-star rule giving three."""
    older = text.replace('version = "', 'version = "0.', 1).replace(
        "bands = [3.5, 2.5, 1.5]", "bands = [3.6, 2.5, 1.5]"
    )
    start = older.index('[[polarity]]\nindicator = "ons-employment-rate"')
    end = older.index("[[polarity]]", start + 1)
    older = older[:start] + older[end:]
    rule = older.index('id = "four-stars"\nstars = 4')
    return older[:rule] + older[rule:].replace("stars = 4", "stars = 3", 1)


def test_a_new_method_version_is_explained_setting_by_setting(client: Client) -> None:
    """Each run keeps its method's text: the comparison reads both versions and says what
    the newer one changed (settings, polarity statements, star rules), by name."""
    current = make_run("ambition-default", TODAY)
    older = AssessmentRun.objects.get(pk=current.pk)
    older.pk, older.method_text = None, _older_version(current.method_text)
    older.method_version, older.method_sha256 = "0.old", "0" * 64
    older._state.adding = True  # a new run made from the old one's record
    older.save()
    changes = {(m.part, m.what): m for m in compare(older, current).method}
    bands = changes[("settings", "scores.bands")]
    assert (bands.before, bands.after) == ("[3.6, 2.5, 1.5]", "[3.5, 2.5, 1.5]")
    employment = changes[("polarity", "ons-employment-rate")]
    assert employment.before.startswith("none stated")
    assert employment.after.startswith("higher is better (Department for Work and Pensions")
    rule = changes[("star rules", "four-stars")]
    assert rule.before.startswith("3 stars") and rule.after.startswith("4 stars")
    assert ("settings", "version") in changes
    assert len(changes) == 4
    # The same run against itself explains nothing; the page shows the table.
    assert compare(current, current).method == []
    doc = page(client, f"/assessment/runs/{older.pk}/compare/{current.pk}/")
    rows = body_rows(doc.find("table", data_table="method"))
    assert {r.attrs["data-what"] for r in rows} == {w for _, w in changes}
