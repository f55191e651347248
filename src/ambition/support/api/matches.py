"""/api/v1/support/matches: the broker's proposals with their score's parts, and the
alternatives not chosen. The partnership's own business: members' officers, the board and
the performance office read it, with a token or a session; the public does not."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from ambition.accounts.tokens import TokenAuth
from ambition.registry.api import LARGEST_ID, Error, Page

from ..engine.suitability import PARTS
from ..matching import latest_run
from ..models import BrokerRun, Match

router = Router(tags=["support"])
STATES = ("proposed", "accepted", "declined")


class MatchFilter(Page):
    run: int | None = Field(
        None, ge=1, lt=LARGEST_ID, description="A broker run's id; the latest run by default"
    )
    state: str | None = Field(None, description="proposed, accepted or declined")
    authority: str | None = Field(
        None, max_length=20, description="ONS code: matches where it asks or supports"
    )


class AlternativeOut(Schema):
    supporter: str = Field(description="ONS code")
    name: str
    score: float
    reason: str = Field(description="capacity, fairness, supporters, served, ...")
    why: str = Field(description="The reason in words")


class MatchOut(Schema):
    id: int
    broker_run: int
    request: int = Field(description="The support request's id")
    requester: str = Field(description="ONS code of the requesting authority")
    service_area: str = Field(description="Service area code")
    kind: str
    supporter: str = Field(description="ONS code of the supporting authority")
    days: int
    score: float = Field(description="Suitability: the weighted sum of the parts")
    parts: dict[str, float] = Field(description="Each part, 0-1: " + ", ".join(PARTS))
    weights: dict[str, float] = Field(description="The weights the run used")
    alternatives: list[AlternativeOut]
    state: str = Field(description="proposed, accepted or declined")
    live: bool = Field(
        description="Accepted, or proposed by the latest broker run: a proposal of an older "
        "run is superseded and can no longer be accepted or declined"
    )
    decided_at: datetime.datetime | None
    url: str = Field(description="The request's page")


class MatchList(Schema):
    run: int | None = Field(description="The broker run listed (null: none has run)")
    count: int
    limit: int
    offset: int
    results: list[MatchOut]


def match_out(m: Match, live: set[int]) -> dict[str, Any]:
    return {
        "id": m.pk,
        "broker_run": m.broker_run_id,
        "request": m.request_id,
        "requester": m.request.authority.code,
        "service_area": m.request.service_area.code,
        "kind": m.request.kind,
        "supporter": m.supporter.code,
        "days": m.days,
        "score": m.score,
        "parts": m.parts,
        "weights": m.broker_run.weights,
        "alternatives": m.alternatives,
        "state": m.state,
        "live": m.pk in live,
        "decided_at": m.decided_at,
        "url": reverse("support-request", args=[m.request_id]),
    }


@router.get(
    "/support/matches",
    response={200: MatchList, 401: Error, 403: Error, 404: Error, 422: Error},
    auth=[TokenAuth(), django_auth],
    summary="The broker's proposals, each with its score's parts and alternatives",
)
def list_matches(request: HttpRequest, query: Query[MatchFilter]) -> dict[str, Any]:
    """One broker run's proposals (the latest by default), best first within each request."""
    if not request.user.has_perm("support.view_match"):
        raise HttpError(403, "Proposals are for the partnership's members and its office")
    if query.state is not None and query.state not in STATES:
        raise HttpError(422, f"state must be one of {', '.join(STATES)}")
    run_id = query.run or getattr(latest_run(), "pk", None)
    rows = Match.objects.filter(broker_run_id=run_id).select_related(
        "broker_run", "request__authority", "request__service_area", "supporter"
    )
    if query.run is not None and not BrokerRun.objects.filter(pk=query.run).exists():
        raise HttpError(404, f"No proposals in broker run {query.run}")
    if query.state:
        rows = rows.filter(state=query.state)
    if query.authority:
        code = query.authority
        rows = rows.filter(request__authority__code=code) | rows.filter(supporter__code=code)
    rows = rows.order_by("request_id", "-score", "id")
    page = list(rows[query.offset : query.offset + query.limit])
    live = set(
        Match.objects.live().filter(pk__in=[m.pk for m in page]).values_list("pk", flat=True)
    )
    return {
        "run": run_id,
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [match_out(m, live) for m in page],
    }
