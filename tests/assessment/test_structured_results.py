"""A run stores structure and pages write the words: the ways to more stars are stored as data
(runs made before that hold sentences, which still read the same), and each target's
straight-line forecast is worked out when the run is made and stored with it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from ambition.assessment.engine.stars import Change, NextStar, read_next_stars
from ambition.assessment.engine.trajectory import straight_line_forecast
from ambition.assessment.making import history_dates, make_run
from ambition.assessment.models import AssessmentRun, Judgement, RunRating, RunTarget
from ambition.registry.models import Authority
from tests.pages import page

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
LAMBETH = "E09000022"


# What would earn more stars ------------------------------------------------------------------


def test_read_next_stars_reads_the_stored_data_and_the_sentences_of_older_runs() -> None:
    stored = [
        {
            "stars": 3,
            "rule": "ca3-3-stars",
            "changes": [{"input": "housing", "from": 1, "to": 2, "judgement": False}],
        }
    ]
    legacy = [{"changes": ["raise corporate_assessment from 3 to 4"], "stars": 3}]
    judgements = {"corporate_assessment"}
    assert read_next_stars(stored, judgements) == (
        NextStar((Change("housing", 1, 2, judgement=False),), 3, "ca3-3-stars"),
    )
    assert read_next_stars(legacy, judgements) == (
        NextStar((Change("corporate_assessment", 3, 4, judgement=True),), 3, ""),
    )
    with pytest.raises(ValueError, match="not a change"):
        read_next_stars([{"changes": ["improve housing"], "stars": 3}], judgements)


def test_a_new_run_stores_each_way_to_more_stars_as_data() -> None:
    run = make_run("ambition-default", TODAY)
    options = [o for r in RunRating.objects.filter(run=run) for o in r.to_next_star]
    assert options, "some member is below four stars"
    for option in options:
        assert set(option) == {"stars", "rule", "changes"} and option["rule"]
        for change in option["changes"]:
            assert set(change) == {"input", "from", "to", "judgement"}
            assert 1 <= change["from"] < change["to"] <= 4


def as_legacy(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The shape runs stored before changes were data: one sentence per change, no rule."""
    return [
        {
            "changes": [f"raise {c['input']} from {c['from']} to {c['to']}" for c in o["changes"]],
            "stars": o["stars"],
        }
        for o in options
    ]


def next_star_words(client: Client, run: AssessmentRun) -> list[str]:
    doc = page(client, f"/assessment/authorities/{LAMBETH}/", run=str(run.pk))
    return [li.text for li in doc.find("ul", data_section="next-star").find_all("li")]


def test_an_older_runs_sentences_read_the_same_on_the_scorecard(client: Client) -> None:
    lambeth = Authority.objects.get(code=LAMBETH)
    # Use of resources 1 is a weak level-1 member: the way to more stars then raises a judgement.
    for key, score in (("corporate_assessment", 2), ("use_of_resources", 1)):
        Judgement.objects.create(
            authority=lambeth, method="cpa-2005", key=key, score=score, reason="Inspection"
        )
    new, old = make_run("cpa-2005", TODAY), make_run("cpa-2005", TODAY)
    options = RunRating.objects.get(run=new, authority=lambeth).to_next_star
    # An old run is never edited; this one is written as runs made before this change were.
    RunRating.objects.filter(run=old, authority=lambeth).update(to_next_star=as_legacy(options))
    words = next_star_words(client, new)
    assert any("(a judgement)" in w for w in words), "the case covers a judgement"
    assert all(w.startswith("raise ") for w in words)
    assert next_star_words(client, old) == words


# The target forecast -------------------------------------------------------------------------


def forecast_on_each_page_load(run: AssessmentRun) -> dict[int, tuple[datetime.date, float] | None]:
    """What the dashboard fitted on every page load before forecasts were stored: a line through
    each target's value at the latest-made run of every date up to the run's."""
    runs = AssessmentRun.objects.filter(method=run.method, scope=run.scope, as_of__lte=run.as_of)
    chosen = {r.as_of: r for r in runs.exclude(as_of=run.as_of).order_by("created_at", "id")}
    chosen[run.as_of] = run
    points: dict[int, list[tuple[datetime.date, float]]] = {}
    for day in sorted(chosen):
        for t in RunTarget.objects.filter(run=chosen[day], value__isnull=False):
            points.setdefault(t.position, []).append((day, t.value))
    return {
        t.position: straight_line_forecast(points.get(t.position, []))
        for t in RunTarget.objects.filter(run=run)
    }


def test_the_stored_forecast_is_the_one_the_dashboard_fitted_on_each_load(client: Client) -> None:
    runs = [make_run("ambition-default", day, reuse=True) for day in history_dates(2019, TODAY)]
    latest = runs[-1]
    expected = forecast_on_each_page_load(latest)
    assert any(expected.values()), "the demo history gives a line"
    stored = RunTarget.objects.filter(run=latest)
    assert {t.position: _forecast(t) for t in stored} == expected
    shown = client.get("/assessment/", {"run": str(latest.pk)}).context["targets"]
    assert {t["position"]: (t["forecast_as_of"], t["forecast"]) for t in shown} == {
        p: f or (None, None) for p, f in expected.items()
    }
    for t in stored:
        assert t.forecast_runs == [r.pk for r in runs if _value(r, t.position) is not None]


def _forecast(t: RunTarget) -> tuple[datetime.date, float] | None:
    return None if t.forecast is None else (t.forecast_as_of, t.forecast)


def _value(run: AssessmentRun, position: int) -> float | None:
    return RunTarget.objects.get(run=run, position=position).value


def test_a_runs_forecast_and_trajectory_leave_out_runs_made_after_it(client: Client) -> None:
    before = make_run("ambition-default", datetime.date(2022, 12, 31))
    run = make_run("ambition-default", TODAY)
    make_run("ambition-default", datetime.date(2022, 12, 31))  # a rerun, made later
    assert {tuple(t.forecast_runs) for t in RunTarget.objects.filter(run=run)} == {
        (before.pk, run.pk)
    }
    for target in client.get("/assessment/", {"run": str(run.pk)}).context["targets"]:
        assert [p["run"] for p in target["trajectory"]] == [before.pk, run.pk, None]


def test_the_forecast_is_not_part_of_the_runs_results_digest() -> None:
    alone = make_run("ambition-default", TODAY)
    make_run("ambition-default", datetime.date(2021, 12, 31))
    with_history = make_run("ambition-default", TODAY)
    assert RunTarget.objects.filter(run=alone, forecast__isnull=False).count() == 0
    assert RunTarget.objects.filter(run=with_history, forecast__isnull=False).exists()
    assert alone.results_sha256 == with_history.results_sha256


def test_a_run_made_before_forecasts_were_stored_says_it_has_none(client: Client) -> None:
    make_run("ambition-default", datetime.date(2021, 12, 31))
    run = make_run("ambition-default", TODAY)
    # The migration leaves the runs made before it with no forecast: write one as they are.
    RunTarget.objects.filter(run=run).update(forecast=None, forecast_as_of=None, forecast_runs=None)
    doc = page(client, "/assessment/", run=str(run.pk))
    targets = [n for n in doc.elements() if n.tag == "div" and "data-target" in n.attrs]
    assert targets
    for target in targets:
        assert "no forecast stored for this run" in target.text
    shown = client.get("/assessment/", {"run": str(run.pk)}).context["targets"]
    assert all(not p["forecast"] for t in shown for p in t["trajectory"])
    csv = client.get("/assessment/", {"run": str(run.pk), "format": "csv", "table": "targets"})
    assert csv.status_code == 200
