"""/api/v1/assessment-runs: the immutable assessment runs, newest first, and each run's
ratings (per authority its stars, direction of travel, weak service areas and area scores)."""

from __future__ import annotations

import datetime
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from ambition.registry.api import LARGEST_ID, Error, Page

from ..models import AssessmentRun
from ..scorecards import RATING_OUTPUTS, Scorecard, scorecards_of

router = Router(tags=["assessment"])


class RunOut(Schema):
    id: int
    method: str = Field(description="The methodology's name: data/methodologies/<method>.toml")
    method_version: str
    method_sha256: str = Field(description="SHA-256 of the methodology file the run read")
    as_of: datetime.date = Field(description="Observations of periods ending on or before this")
    group: str = Field(description="The comparator group positions are among: members, england")
    scope: str = Field(description="Whom the run rates: members, or england (every council)")
    data_fingerprint: str = Field(description="SHA-256 of the observations the run read")
    results_sha256: str = Field(description="SHA-256 of every result: equal means identical")
    code_version: str = Field(description="The package version and commit that made the run")
    created_at: datetime.datetime
    created_by: str | None = Field(description="Who made it; null for a command or a job")
    url: str = Field(description="The run's page")


class RunList(Schema):
    count: int
    limit: int
    offset: int
    results: list[RunOut]


class AreaScoreOut(Schema):
    area: str = Field(description="Service area code")
    name: str
    score: int | None = Field(description="1-4; null: insufficient data for a score")
    indicators: int = Field(description="Indicators with a position behind the score")
    coverage: float = Field(description="Share of the area's weight with a position, 0-1")
    mean_quartile: float | None = Field(description="Weighted mean quartile behind the score")
    weak: bool
    weak_reason: str


class RatingOut(Schema):
    code: str = Field(description="ONS code of the authority")
    name: str
    stars: int | None = Field(description="0-4; null: not rated (the reason is in `missing`)")
    rule_id: str = Field(description="The star rule that fired")
    rule_text: str
    direction: str = Field(description="Direction of travel, e.g. improving well")
    weak_areas: list[str] = Field(description="Codes of its weak service areas")
    judgement_parts: list[Any] = Field(description="The parts of the rating that were judgement")
    missing: list[Any] = Field(description="What a rating needed and did not have")
    areas: list[AreaScoreOut]


class RunRatings(Schema):
    run: RunOut
    count: int
    results: list[RatingOut]


RUN_FIELDS = (
    "id",
    "method",
    "method_version",
    "method_sha256",
    "as_of",
    "group",
    "scope",
    "data_fingerprint",
    "results_sha256",
    "code_version",
    "created_at",
)


# The rating's own columns that the API gives, named as the run stores them.
RATING_FIELDS = tuple(f for f in RatingOut.model_fields if f in RATING_OUTPUTS)


def run_out(run: AssessmentRun) -> dict[str, Any]:
    return {
        **{f: getattr(run, f) for f in RUN_FIELDS},
        "created_by": run.created_by.get_username() if run.created_by else None,
        "url": run.get_absolute_url(),
    }


def run_or_404(run_id: int) -> AssessmentRun:
    found = None
    if 0 < run_id < LARGEST_ID:
        found = AssessmentRun.objects.select_related("created_by").by_id(run_id)
    if found is None:
        raise HttpError(404, f"No assessment run {run_id}")
    return found


@router.get(
    "/assessment-runs",
    response={200: RunList, 401: Error, 422: Error},
    summary="Assessment runs, newest first",
)
def list_runs(request: HttpRequest, query: Query[Page]) -> dict[str, Any]:
    qs = AssessmentRun.objects.select_related("created_by").newest_first()
    rows = qs.defer("method_text")[query.offset : query.offset + query.limit]
    return {
        "count": qs.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [run_out(r) for r in rows],
    }


@router.get(
    "/assessment-runs/{id}",
    response={200: RunOut, 401: Error, 404: Error, 422: Error},
    summary="One assessment run",
)
def get_run(request: HttpRequest, id: int) -> dict[str, Any]:
    return run_out(run_or_404(id))


def rating_out(card: Scorecard) -> dict[str, Any]:
    r = card.rating
    return {
        "code": card.authority.code,
        "name": card.authority.name,
        **{f: getattr(r, f) for f in RATING_FIELDS},
        "areas": [{"area": a.code, **asdict(a)} for a in card.areas],
    }


@router.get(
    "/assessment-runs/{id}/ratings",
    response={200: RunRatings, 401: Error, 404: Error, 422: Error},
    summary="A run's ratings: per authority its stars, direction and weak areas",
)
def run_ratings(request: HttpRequest, id: int) -> dict[str, Any]:
    """One row per authority the run rates, by ONS code, with its service-area scores."""
    run = run_or_404(id)
    results = [rating_out(card) for card in scorecards_of(run, indicators=False)]
    return {"run": run_out(run), "count": len(results), "results": results}
