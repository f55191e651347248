"""/api/v1/knowledge/...: case studies (published ones for everyone; drafts for the lead
council's officers and the office, as on the pages) and professional networks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from ambition.registry.api import Error, Page
from ambition.registry.models import Authority

from .models import CaseStudy, Network

router = Router(tags=["knowledge"])


class CaseStudyQuery(Page):
    service_area: str | None = Field(None, max_length=50, description="Service area code")
    authority: str | None = Field(None, max_length=20, description="ONS code, lead or involved")
    level: int | None = Field(None, ge=1, le=5, description="Strength of evidence, 1-5")


class CaseStudyOut(Schema):
    id: int
    title: str
    lead: str = Field(description="ONS code of the council that shared it")
    authorities: list[str] = Field(description="ONS codes of the other authorities involved")
    service_area: str = Field(description="Service area code")
    summary: str
    what_they_did: str
    cost: Decimal | None = Field(description="GBP; null if not known")
    outcomes_claimed: str
    indicators: list[str] = Field(description="Codes of the indicators it should have moved")
    evidence_level: int | None = Field(description="Nesta's standards of evidence, 1-5")
    status: str
    published_on: datetime.date | None
    peer_reviews: list[int]
    secondments: list[int]
    grants: list[int] = Field(description="Award ids")
    illustrative: bool = Field(description="Invented for the demo")


class CaseStudyList(Schema):
    count: int
    limit: int
    offset: int
    results: list[CaseStudyOut]


class NetworkOut(Schema):
    slug: str
    name: str
    purpose: str
    service_area: str | None
    members: list[str] = Field(description="ONS codes of member authorities")
    events: int
    outputs: int
    illustrative: bool


def case_study_out(c: CaseStudy) -> dict[str, Any]:
    return {
        **{f: getattr(c, f) for f in ("id", "title", "summary", "what_they_did", "cost")},
        **{f: getattr(c, f) for f in ("outcomes_claimed", "evidence_level", "status")},
        "published_on": c.published_on,
        "illustrative": c.illustrative,
        "lead": c.lead.code,
        "service_area": c.service_area.code,
        "authorities": sorted(a.code for a in c.authorities.all()),
        "indicators": sorted(i.code for i in c.indicators.all()),
        "peer_reviews": sorted(r.pk for r in c.peer_reviews.all()),
        "secondments": sorted(s.pk for s in c.secondments.all()),
        "grants": sorted(g.pk for g in c.grants.all()),
    }


def _visible(request: HttpRequest) -> Any:
    return (
        CaseStudy.private_objects.visible_to(request.user)
        .select_related("lead", "service_area")
        .prefetch_related("authorities", "indicators", "peer_reviews", "secondments", "grants")
    )


@router.get(
    "/knowledge/case-studies",
    response={200: CaseStudyList, 401: Error, 422: Error},
    summary="Case studies you may read, with the office's strength of evidence",
)
def case_study_list(request: HttpRequest, query: Query[CaseStudyQuery]) -> dict[str, Any]:
    rows = _visible(request)
    if query.service_area:
        rows = rows.filter(service_area__code=query.service_area)
    if query.authority:
        named = Authority.objects.filter(code=query.authority).first()
        rows = rows.about(named) if named else rows.none()
    if query.level:
        rows = rows.filter(evidence_level=query.level)
    page = list(rows[query.offset : query.offset + query.limit])
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [case_study_out(c) for c in page],
    }


@router.get(
    "/knowledge/case-studies/{case_study_id}",
    response={200: CaseStudyOut, 401: Error, 404: Error, 422: Error},
    summary="One case study",
)
def case_study_detail(request: HttpRequest, case_study_id: int) -> dict[str, Any]:
    return case_study_out(get_object_or_404(_visible(request), pk=case_study_id))


@router.get(
    "/knowledge/networks",
    response={200: list[NetworkOut], 401: Error},
    summary="Professional networks, their member authorities and counts of events and outputs",
)
def network_list(request: HttpRequest) -> list[dict[str, Any]]:
    found = Network.objects.select_related("service_area").prefetch_related(
        "members__authority", "events", "outputs"
    )
    return [
        {
            "slug": n.slug,
            "name": n.name,
            "purpose": n.purpose,
            "service_area": n.service_area.code if n.service_area else None,
            "members": [m.authority.code for m in n.members.all()],
            "events": len(n.events.all()),
            "outputs": len(n.outputs.all()),
            "illustrative": n.illustrative,
        }
        for n in found
    ]
