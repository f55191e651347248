"""JSON API for the indicator catalogue and the observations."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel

from ambition.registry.api import Error, Page

from .models import ImportBatch, Indicator, Observation, restricted_scope
from .periods import PeriodError, YearBasis, parse_period

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    service_area: str
    unit: str
    polarity: str = Field(description="higher, lower, or empty when the source states none")
    polarity_basis: str
    year_basis: str
    definition: str
    source: str
    source_url: str
    licence: str
    decimal_places: int
    url: str


class IndicatorList(Schema):
    count: int
    limit: int
    offset: int
    results: list[IndicatorOut]


class IndicatorFilter(Page):
    service_area: str | None = Field(None, description="Service area code")


class ObservationOut(BaseModel):
    """A plain pydantic model: a page holds up to 1,000, and ninja's Schema reads each
    field through an ORM-aware getter that these dicts do not need."""

    authority: str = Field(description="ONS code of the authority")
    indicator: str = Field(description="Indicator code")
    period: str = Field(description="Period label, as the importer accepts it back")
    period_start: str
    period_end: str
    value: float | None = Field(description="Null when missing or suppressed, never zero")
    status: str
    lower: float | None
    upper: float | None
    revision: int


class ObservationList(BaseModel):
    count: int
    limit: int
    offset: int
    results: list[ObservationOut]


class ObservationFilter(Page):
    indicator: str | None = Field(None, description="Indicator code")
    authority: str | None = Field(None, description="ONS code; several separated by commas")
    service_area: str | None = Field(None, description="Service area code")
    kind: str | None = Field(
        None, description="Authorities of this kind (LBO, MD, UA, CTY...): compare with its peers"
    )
    region: str | None = Field(None, description="Authorities in this region, e.g. London")
    period_from: str | None = Field(None, description="Periods starting on or after this one")
    period_to: str | None = Field(None, description="Periods ending on or before this one")


def indicator_out(i: Indicator) -> dict[str, Any]:
    return {
        "code": i.code,
        "name": i.name,
        "service_area": i.service_area.code,
        "unit": i.unit,
        "polarity": i.polarity,
        "polarity_basis": i.polarity_basis,
        "year_basis": i.year_basis,
        "definition": i.definition,
        "source": i.source,
        "source_url": i.source_url,
        "licence": i.licence,
        "decimal_places": i.decimal_places,
        "url": i.get_absolute_url(),
    }


@router.get(
    "/indicators",
    response={200: IndicatorList, 401: Error, 422: Error},
    summary="The indicator catalogue",
)
def list_indicators(request: HttpRequest, query: Query[IndicatorFilter]) -> dict[str, Any]:
    qs = Indicator.objects.select_related("service_area").order_by("code")
    if query.service_area:
        qs = qs.filter(service_area__code=query.service_area)
    rows = qs[query.offset : query.offset + query.limit]
    return {
        "count": qs.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [indicator_out(i) for i in rows],
    }


@router.get(
    "/indicators/{code}",
    response={200: IndicatorOut, 401: Error, 404: Error},
    summary="One indicator",
)
def get_indicator(request: HttpRequest, code: str) -> dict[str, Any]:
    return indicator_out(
        get_object_or_404(Indicator.objects.select_related("service_area"), code=code)
    )


def _period_bound(text: str, basis: YearBasis) -> Any:
    try:
        return parse_period(text, basis)
    except PeriodError as error:
        raise HttpError(422, f"period: {error}") from error


def filter_observations(query: ObservationFilter, viewer: Any) -> QuerySet[Observation]:
    qs = Observation.private_objects.visible_to(viewer).latest_revision()
    basis = YearBasis.FINANCIAL
    if query.indicator:
        indicator = get_object_or_404(Indicator, code=query.indicator)
        qs, basis = qs.for_indicator(indicator), YearBasis(indicator.year_basis)
    if query.authority:
        qs = qs.filter(authority__code__in=[c.strip().upper() for c in query.authority.split(",")])
    if query.service_area:
        qs = qs.filter(indicator__service_area__code=query.service_area)
    if query.kind:
        qs = qs.filter(authority__kind=query.kind.upper())
    if query.region:
        qs = qs.filter(authority__region__iexact=query.region)
    if query.period_from:
        qs = qs.filter(period__start__gte=_period_bound(query.period_from, basis).start)
    if query.period_to:
        qs = qs.filter(period__end__lte=_period_bound(query.period_to, basis).end)
    return qs


OBSERVATION_FIELDS = (
    "authority__code",
    "indicator__code",
    "period__label",
    "period__start",
    "period__end",
    "value",
    "status",
    "lower",
    "upper",
    "revision",
)


def store_version() -> str:
    """Changes whenever observations do: every import that writes makes a new batch. The
    time is part of it because a rolled-back batch's id can be given out again."""
    latest = ImportBatch.objects.order_by("-id").values_list("id", "started_at").first()
    return f"{latest[0]}@{latest[1].isoformat()}" if latest else "empty"


def _observation_page(query: ObservationFilter, viewer: Any) -> bytes:
    qs = filter_observations(query, viewer).order_by(
        "indicator_id", "authority_id", "period__start", "period_id"
    )
    rows = qs.values_list(*OBSERVATION_FIELDS)[query.offset : query.offset + query.limit]
    results = [
        {
            "authority": a,
            "indicator": i,
            "period": p,
            "period_start": s.isoformat(),
            "period_end": e.isoformat(),
            "value": v,
            "status": st,
            "lower": lo,
            "upper": up,
            "revision": r,
        }
        for a, i, p, s, e, v, st, lo, up, r in rows
    ]
    page = ObservationList(
        count=qs.count(), limit=query.limit, offset=query.offset, results=results
    )
    # Validated and written by pydantic in one pass; the schema still documents the route.
    return page.model_dump_json().encode()


@router.get(
    "/observations",
    response={200: ObservationList, 401: Error, 404: Error, 422: Error},
    summary="Observations, latest revisions",
)
def list_observations(request: HttpRequest, query: Query[ObservationFilter]) -> HttpResponse:
    """Pages are cached until the next import changes the store, apart for each set of
    restricted data a viewer may see, and for each day (restrictions lapse at midnight)."""
    scope = restricted_scope(request.user)
    seen = "all" if scope is None else ",".join(map(str, sorted(scope)))
    stamp = f"{store_version()}|{timezone.localdate()}|{seen}|{query.model_dump_json()}"
    key = "observations:" + hashlib.sha256(stamp.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = _observation_page(query, request.user)
        cache.set(key, body, timeout=3600)
    return HttpResponse(body, content_type="application/json")
