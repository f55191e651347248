"""One meaning of "the latest run" (the newest data, then the last made), and one reader of
a run for an authority: the scorecard page, the ratings API and the review pack give the same
numbers, and every column the run stores is read, downloaded and described by the API."""

from __future__ import annotations

import datetime
from dataclasses import fields
from typing import Any

import pytest
from django.test import Client, RequestFactory

from ambition.assessment.api.runs import AreaScoreOut
from ambition.assessment.making import make_run
from ambition.assessment.models import AssessmentRun, RunArea, RunRating, RunWarning
from ambition.assessment.scorecards import (
    AREA_OUTPUTS,
    INDICATOR_OUTPUTS,
    WARNING_OUTPUTS,
    AreaScore,
    EarlyWarning,
    outputs,
    scorecard_of,
)
from ambition.assessment.views import benchmarking, runs
from ambition.assessment.views.scorecard import INDICATOR_COLUMNS
from ambition.registry.models import Authority
from ambition.reports.pack.performance import latest_run, performance_of

pytestmark = pytest.mark.django_db

LAMBETH = "E09000022"
METHOD = "ambition-default"


def recorded(as_of: datetime.date, made: datetime.datetime, scope: str = "members") -> Any:
    """A run's record alone (no results), made at a given time: enough to choose between."""
    run = AssessmentRun.objects.create(
        method=METHOD,
        method_version="1",
        method_sha256="0" * 64,
        method_text="",
        as_of=as_of,
        group="members",
        scope=scope,
        data_fingerprint="0" * 64,
        results_sha256="0" * 64,
        observations=0,
        code_version="test",
        via="command",
    )
    AssessmentRun.objects.filter(pk=run.pk).update(created_at=made)
    return AssessmentRun.objects.get(pk=run.pk)


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 1, day, 9, tzinfo=datetime.UTC)


@pytest.fixture
def rerun_of_an_old_date() -> tuple[AssessmentRun, AssessmentRun]:
    """A run of this year's data, then a rerun of 2022's made later."""
    current = recorded(datetime.date(2025, 12, 31), at(1))
    rerun = recorded(datetime.date(2022, 12, 31), at(2))
    return current, rerun


def test_the_latest_run_has_the_newest_data_not_the_newest_making(
    rerun_of_an_old_date: tuple[AssessmentRun, AssessmentRun],
) -> None:
    current, rerun = rerun_of_an_old_date
    assert AssessmentRun.objects.of(METHOD, "members").latest_run() == current
    assert AssessmentRun.objects.shown(METHOD) == current
    assert AssessmentRun.objects.newest_first().first() == rerun  # the history: as made
    assert latest_run() == current  # the review pack's run
    request = RequestFactory().get("/assessment/")
    assert runs.chosen_run(request) == (METHOD, current)  # the dashboard and scorecards
    assert benchmarking.chosen_run(request) == current


def test_the_latest_of_a_date_is_the_last_made_and_ties_go_to_the_highest_id() -> None:
    first = recorded(datetime.date(2025, 12, 31), at(1))
    second = recorded(datetime.date(2025, 12, 31), at(1))
    assert second.pk > first.pk
    assert AssessmentRun.objects.latest_run() == second
    assert AssessmentRun.objects.made_before(second).first() == first
    assert AssessmentRun.objects.made_after(first).first() == second


def test_a_run_of_the_members_is_shown_before_a_later_one_of_england() -> None:
    members = recorded(datetime.date(2024, 12, 31), at(1))
    recorded(datetime.date(2025, 12, 31), at(2), scope="england")
    assert AssessmentRun.objects.shown(METHOD) == members


def test_each_as_of_date_has_one_run_its_last_made_oldest_date_first() -> None:
    old = recorded(datetime.date(2022, 12, 31), at(1))
    replaced = recorded(datetime.date(2023, 12, 31), at(2))
    new = recorded(datetime.date(2023, 12, 31), at(3))
    rerun = recorded(datetime.date(2022, 12, 31), at(4))
    assert list(AssessmentRun.objects.of(METHOD).latest_per_as_of()) == [rerun, new]
    assert replaced not in AssessmentRun.objects.latest_per_as_of() and old != rerun


# One reader, three readers of it -------------------------------------------------------------


def test_the_page_the_api_and_the_pack_read_the_same_numbers(client: Client) -> None:
    run = make_run(METHOD, datetime.date.today())
    lambeth = Authority.objects.get(code=LAMBETH)
    card = scorecard_of(run, lambeth)
    assert card is not None
    stored = RunArea.objects.filter(run=run, authority=lambeth)
    assert {a.code: a.score for a in card.areas} == {a.area.code: a.score for a in stored}
    assert card.rating == RunRating.objects.get(run=run, authority=lambeth)

    page = client.get(f"/assessment/authorities/{LAMBETH}/?table=areas&format=json").json()
    api = client.get(f"/api/v1/assessment-runs/{run.pk}/ratings").json()
    rated = next(r for r in api["results"] if r["code"] == LAMBETH)
    pack = performance_of(lambeth, run)
    assert pack is not None

    def numbers(rows: list[dict[str, Any]], key: str) -> list[tuple[Any, ...]]:
        return [(r[key], r["score"], r["coverage"], r["weak"], r["weak_reason"]) for r in rows]

    expected = [(a.code, a.score, a.coverage, a.weak, a.weak_reason) for a in card.areas]
    assert numbers(page["rows"], "code") == expected
    assert numbers(rated["areas"], "area") == expected
    assert [(a.code, a.score, a.coverage, a.weak, a.weak_reason) for a in pack.areas] == expected
    assert rated["stars"] == pack.stars == card.rating.stars

    warnings = client.get(f"/assessment/authorities/{LAMBETH}/?table=warnings&format=json").json()
    stored_warnings = RunWarning.objects.filter(run=run, authority=lambeth).order_by("position")
    positions = list(stored_warnings.values_list("position", "risk"))
    assert [(w["position"], w["risk"]) for w in warnings["rows"]] == positions
    assert [(w.position, w.risk) for w in pack.warnings] == positions


def test_every_column_the_run_stores_is_read_downloaded_and_described() -> None:
    assert "trend" in INDICATOR_OUTPUTS and "run" not in INDICATOR_OUTPUTS
    assert outputs(RunArea) == AREA_OUTPUTS
    assert set(AREA_OUTPUTS) <= {f.name for f in fields(AreaScore)}
    assert set(WARNING_OUTPUTS) <= {f.name for f in fields(EarlyWarning)}
    assert set(AREA_OUTPUTS) <= set(AreaScoreOut.model_fields)
    assert set(INDICATOR_OUTPUTS) <= {c.key for c in INDICATOR_COLUMNS}
