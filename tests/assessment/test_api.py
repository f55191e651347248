"""/api/v1/assessment-runs: runs newest first with their provenance, one run, and a run's
ratings per authority, on real runs of the London data made here."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from ambition.assessment.making import make_run, member_codes
from ambition.assessment.models import AssessmentRun, RunArea, RunRating

PROVENANCE = (
    "method",
    "method_version",
    "method_sha256",
    "group",
    "scope",
    "data_fingerprint",
    "results_sha256",
    "code_version",
)


@pytest.fixture
def runs(analyst: Any) -> tuple[AssessmentRun, AssessmentRun]:
    """An older run made by a command, then a newer one made by the analyst."""
    older = make_run("ambition-default", datetime.date(2022, 12, 31))
    newer = make_run("ambition-default", datetime.date.today(), user=analyst, via="page")
    return older, newer


def get(client: Client, path: str, status: int = 200) -> Any:
    response = client.get(path)
    assert response.status_code == status, response.content
    return response.json()


def test_runs_are_listed_newest_first_with_their_provenance(
    runs: tuple[AssessmentRun, AssessmentRun], client: Client
) -> None:
    older, newer = runs
    listed = get(client, "/api/v1/assessment-runs")
    assert listed["count"] == 2
    assert [r["id"] for r in listed["results"]] == [newer.pk, older.pk]
    first = listed["results"][0]
    assert {k: first[k] for k in PROVENANCE} == {k: getattr(newer, k) for k in PROVENANCE}
    assert first["as_of"] == datetime.date.today().isoformat()
    assert first["created_by"] == "test-analyst" and first["url"] == f"/assessment/runs/{newer.pk}/"
    assert listed["results"][1]["created_by"] is None
    assert listed["results"][1]["as_of"] == "2022-12-31"
    page = get(client, "/api/v1/assessment-runs?limit=1&offset=1")
    assert (page["count"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [r["id"] for r in page["results"]] == [older.pk]


def test_one_run(runs: tuple[AssessmentRun, AssessmentRun], client: Client) -> None:
    older, _ = runs
    one = get(client, f"/api/v1/assessment-runs/{older.pk}")
    assert one["id"] == older.pk and one["method_sha256"] == older.method_sha256
    assert one["data_fingerprint"] == older.data_fingerprint


def test_a_runs_ratings_per_authority(
    runs: tuple[AssessmentRun, AssessmentRun], client: Client
) -> None:
    _, newer = runs
    body = get(client, f"/api/v1/assessment-runs/{newer.pk}/ratings")
    assert body["run"]["id"] == newer.pk
    codes = [r["code"] for r in body["results"]]
    assert codes == sorted(member_codes()) and body["count"] == len(codes)
    stored = {r.authority.code: r for r in RunRating.objects.filter(run=newer)}
    rated = [r for r in body["results"] if r["stars"] is not None]
    assert rated, "the demo data rate some members"
    for r in body["results"]:
        kept = stored[r["code"]]
        assert (r["stars"], r["direction"], r["rule_id"]) == (
            kept.stars,
            kept.direction,
            kept.rule_id,
        )
        assert r["weak_areas"] == kept.weak_areas and r["name"] == kept.authority.name
    lambeth = next(r for r in body["results"] if r["code"] == "E09000022")
    areas = RunArea.objects.filter(run=newer, authority__code="E09000022")
    assert {a["area"]: a["score"] for a in lambeth["areas"]} == {
        a.area.code: a.score for a in areas
    }
    assert all(a["score"] in (None, 1, 2, 3, 4) for a in lambeth["areas"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/assessment-runs/999999",
        "/api/v1/assessment-runs/0",
        "/api/v1/assessment-runs/-4",
        f"/api/v1/assessment-runs/{2**63}",
        "/api/v1/assessment-runs/999999/ratings",
    ],
)
def test_an_unknown_run_is_not_found(path: str, client: Client) -> None:
    assert "No assessment run" in get(client, path, 404)["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/assessment-runs/abc",
        "/api/v1/assessment-runs/1.5/ratings",
        "/api/v1/assessment-runs?limit=0",
        "/api/v1/assessment-runs?offset=-1",
        "/api/v1/assessment-runs?limit=many",
    ],
)
def test_bad_parameters_are_refused_with_422(path: str, client: Client) -> None:
    assert get(client, path, 422)["detail"]


@pytest.mark.django_db
def test_the_openapi_description_documents_every_status(client: Client) -> None:
    paths = get(client, "/api/openapi.json")["paths"]
    for path in ("/api/v1/assessment-runs/{id}", "/api/v1/assessment-runs/{id}/ratings"):
        assert {"200", "404", "422"} <= set(paths[path]["get"]["responses"])
    assert {"200", "422"} <= set(paths["/api/v1/assessment-runs"]["get"]["responses"])
