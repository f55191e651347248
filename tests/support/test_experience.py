"""Evidence of relevant experience, computed from assessment runs made here from the shipped
data: Southwark's adult social care was weak at the end of 2021 and scores 3 today (weak and
recovered); Ealing's adult social care was weak at the end of 2022 and its indicators have
moved up since (improving). Entering better figures for Ealing through the importer turns
that into a recovery. The latest run of each as-of date is the one that counts."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.assessment.engine.run import current_periods, weights_frame
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.making import make_run, member_codes
from ambition.assessment.methodology import load
from ambition.assessment.models import AssessmentRun, RunArea
from ambition.indicators.imports import import_observations
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.support.experience import (
    IMPROVING,
    NONE,
    RECOVERED,
    STRONG,
    AreaPoint,
    Experience,
    experiences,
    judge,
    series_runs,
)

TODAY = datetime.date.today()
END_2021, END_2022 = datetime.date(2021, 12, 31), datetime.date(2022, 12, 31)
SOUTHWARK, EALING = "E09000028", "E09000009"
METHOD = "ambition-default"


def authority(code: str) -> Authority:
    return Authority.objects.get(code=code)


def area(code: str) -> ServiceArea:
    return ServiceArea.objects.get(code=code)


@pytest.fixture
def runs(db: None) -> dict[datetime.date, AssessmentRun]:
    return {day: make_run(METHOD, day) for day in (END_2021, END_2022, TODAY)}


def evidence_for(code: str, area_code: str, method: str | None = None) -> Experience:
    """One authority's evidence in one area, read as the broker reads every pair's."""
    found = experiences([authority(code)], [area(area_code)], method)
    return found[authority(code).pk, area(area_code).pk]


def shown(run: AssessmentRun, code: str, area_code: str) -> RunArea:
    return RunArea.objects.get(run=run, authority__code=code, area__code=area_code)


@pytest.mark.django_db
def test_southwark_was_weak_in_adult_social_care_and_has_recovered(runs: Any) -> None:
    before, now = (
        shown(runs[END_2021], SOUTHWARK, "adult-social-care"),
        shown(runs[TODAY], SOUTHWARK, "adult-social-care"),
    )
    assert (before.weak, before.score, now.weak, now.score) == (True, 1, False, 3)
    found = evidence_for(SOUTHWARK, "adult-social-care")
    assert found.kind == RECOVERED and found.strength == 0.9
    assert found.runs == (runs[END_2021].pk, runs[TODAY].pk)
    assert found.sentence == (
        f"Weak in adult social care as of 31 Dec 2021 (run {runs[END_2021].pk}), "
        f"scores 3 as of today (run {runs[TODAY].pk})."
    )


@pytest.mark.django_db
def test_ealing_was_weak_in_adult_social_care_and_its_indicators_have_moved_up(
    runs: Any,
) -> None:
    weak = shown(runs[END_2022], EALING, "adult-social-care")
    now = shown(runs[TODAY], EALING, "adult-social-care")
    assert weak.weak and not now.weak and now.score == 2
    assert now.mean_quartile - weak.mean_quartile >= 0.5
    found = evidence_for(EALING, "adult-social-care")
    assert found.kind == IMPROVING and found.strength == 0.6
    assert found.runs == (runs[END_2022].pk, runs[TODAY].pk)
    assert found.sentence.startswith(
        f"Weak in adult social care as of 31 Dec 2022 (run {runs[END_2022].pk})"
    )


@pytest.mark.django_db
def test_recovery_is_the_strongest_evidence_and_the_weak_have_none(runs: Any) -> None:
    found = experiences(method=METHOD)
    members = {authority(code).pk for code in member_codes()}
    assert {key[0] for key in found} == members
    assert (
        len(found)
        == len(members) * ServiceArea.objects.filter(pk__in=[k[1] for k in found]).count()
    )
    latest = {
        (row.authority_id, row.area_id): row for row in RunArea.objects.filter(run=runs[TODAY])
    }
    for key, evidence in found.items():
        assert 0.0 <= evidence.strength <= 1.0
        assert set(evidence.runs) <= {run.pk for run in runs.values()}
        if latest[key].weak:
            assert evidence.kind == NONE and evidence.strength == 0.0
        if evidence.kind == STRONG:
            assert latest[key].score in (3, 4)
    strong = [e.strength for e in found.values() if e.kind == STRONG]
    assert strong and max(strong) < evidence_for(SOUTHWARK, "adult-social-care").strength


@pytest.mark.django_db
def test_the_latest_run_of_an_as_of_date_is_the_one_that_counts(runs: Any) -> None:
    again = make_run(METHOD, END_2021)
    assert series_runs(METHOD) == {
        again.pk: END_2021,
        runs[END_2022].pk: END_2022,
        runs[TODAY].pk: TODAY,
    }
    found = evidence_for(SOUTHWARK, "adult-social-care")
    assert found.runs == (again.pk, runs[TODAY].pk)


@pytest.mark.django_db
def test_with_no_runs_of_the_method_there_is_no_evidence() -> None:
    assert experiences([authority(SOUTHWARK)], [area("adult-social-care")], METHOD) == {}
    found = judge([], "adult social care", TODAY)
    assert (found.kind, found.strength, found.runs) == (NONE, 0.0, ())
    assert "No stored assessment run" in found.sentence


def best_figures_file(code: str, area_code: str, path: Path) -> Path:
    """A file giving `code` the best member's value of every indicator of the area, in
    its current period: what a council's corrected return might show."""
    method = load(METHOD)
    indicators = indicator_frame(stated=method.stated_polarity)
    scored = weights_frame(method.rules(), indicators).filter(pl.col("area") == area_code)
    obs = observation_frame(indicators=scored["indicator"].to_list(), authorities=member_codes())
    now = obs.join(current_periods(obs).select("indicator", "period"), on=["indicator", "period"])
    best = (
        now.join(indicators.select("indicator", "polarity"), on="indicator")
        .filter(pl.col("value").is_not_null())
        .sort(pl.col("value") * pl.col("polarity"), descending=True)
        .group_by("indicator", "period", maintain_order=True)
        .first()
    )
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["authority", "indicator", "period", "value"])
        writer.writerows(
            [code, r["indicator"], r["period"], r["value"]] for r in best.iter_rows(named=True)
        )
    return path


@pytest.mark.django_db
def test_figures_entered_later_turn_an_improvement_into_a_recovery(
    runs: Any, tmp_path: Path
) -> None:
    report = import_observations(
        best_figures_file(EALING, "adult-social-care", tmp_path / "e.csv"), origin="cli"
    )
    assert report.ok, report
    today = make_run(METHOD, TODAY)
    assert shown(today, EALING, "adult-social-care").score == 4
    found = evidence_for(EALING, "adult-social-care")
    assert found.kind == RECOVERED and found.strength == 1.0
    assert found.sentence == (
        f"Weak in adult social care as of 31 Dec 2022 (run {runs[END_2022].pk}), "
        f"scores 4 as of today (run {today.pk})."
    )


points = st.builds(
    AreaPoint,
    run_id=st.integers(min_value=1, max_value=10_000),
    as_of=st.dates(min_value=datetime.date(2010, 1, 1), max_value=TODAY),
    score=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
    weak=st.booleans(),
    mean_quartile=st.one_of(st.none(), st.floats(min_value=1.0, max_value=4.0)),
)


@given(series=st.lists(points, max_size=8))
def test_any_series_gives_a_strength_between_0_and_1_and_names_only_its_own_runs(
    series: list[AreaPoint],
) -> None:
    ordered = sorted(series, key=lambda p: p.as_of)
    found = judge(ordered, "housing", TODAY)
    assert 0.0 <= found.strength <= 1.0
    assert set(found.runs) <= {p.run_id for p in series}
    assert (found.strength == 0.0) == (found.kind == NONE)
    if ordered and ordered[-1].was_weak:
        assert found.kind == NONE  # a supporter weak today shows no relevant experience
    if found.kind == RECOVERED:
        assert any(p.was_weak for p in ordered[:-1]) and (ordered[-1].score or 0) >= 3
