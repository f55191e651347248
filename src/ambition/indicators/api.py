"""JSON API for the indicator catalogue and the observations."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict

from ambition.registry.api import LARGEST_ID, Error, Page

from .models import ImportBatch, Indicator, Observation, restricted_scope
from .periods import PeriodError, YearBasis, parse_period
from .revisions import Correction, RevisionError, revise

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
    residents_view: bool = Field(
        description="Measured by asking residents (a survey): values are estimates with intervals"
    )
    survey: str = Field(description="The survey that measures it, or empty")
    method_note: str = Field(description="How it is measured, and what that means for comparing")
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

    id: int = Field(description="This revision's id: /api/v1/observations/{id} has its history")
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
        "residents_view": i.residents_view,
        "survey": i.survey,
        "method_note": i.method_note,
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
    "pk",
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
            "id": pk,
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
        for pk, a, i, p, s, e, v, st, lo, up, r in rows
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


class RevisionOut(BaseModel):
    id: int
    revision: int
    value: float | None
    status: str
    lower: float | None
    upper: float | None
    restricted_until: datetime.date | None
    recorded_at: datetime.datetime
    source: str = Field(description="The file, or the correction, that made this revision")
    reason: str


class ObservationHistory(BaseModel):
    authority: str
    indicator: str
    period: str
    latest: ObservationOut
    revisions: list[RevisionOut] = Field(description="Newest first; those the caller may see")


class CorrectionIn(BaseModel):
    # Python's JSON reader turns Infinity, NaN and 1e309 into floats that no value may be:
    # refused here as a 422 naming the field, before any rule or the database sees them.
    model_config = ConfigDict(allow_inf_nan=False)

    value: float | None = Field(description="Null only with a status of suppressed or missing")
    status: str = ""
    lower: float | None = None
    upper: float | None = None
    restricted_until: datetime.date | None = Field(
        None, description="Left out: the restriction stays as it is; null: published now"
    )
    reason: str = Field(description="Why the value is corrected; kept with the revision")


def _visible(request: HttpRequest, pk: int) -> list[Observation]:
    revisions = list(Observation.private_objects.revisions_seen_by(request.user, pk))
    if not revisions:
        raise HttpError(404, "Not Found")
    return revisions


def _history(revisions: list[Observation]) -> dict[str, Any]:
    latest = revisions[0]
    row = (latest.pk, latest.authority.code, latest.indicator.code, latest.period.label)
    return {
        "authority": latest.authority.code,
        "indicator": latest.indicator.code,
        "period": latest.period.label,
        "latest": {
            "id": row[0],
            "authority": row[1],
            "indicator": row[2],
            "period": row[3],
            "period_start": latest.period.start.isoformat(),
            "period_end": latest.period.end.isoformat(),
            "value": latest.value,
            "status": latest.status,
            "lower": latest.lower,
            "upper": latest.upper,
            "revision": latest.revision,
        },
        "revisions": [
            {"id": o.pk, **o.history_entry(), "recorded_at": o.batch.started_at} for o in revisions
        ],
    }


@router.get(
    "/observations/{id}",
    response={200: ObservationHistory, 401: Error, 404: Error, 422: Error},
    summary="One observation and every revision of it the caller may see",
)
def get_observation(request: HttpRequest, id: int) -> HttpResponse:
    if not 0 < id < LARGEST_ID:
        raise HttpError(404, "Not Found")
    return _history_response(_visible(request, id))


def _history_response(revisions: list[Observation], status: int = 200) -> HttpResponse:
    """Written by pydantic, which writes a non-finite number an old import may have left as
    null; ninja's renderer would write Infinity or NaN, which are not JSON."""
    body = ObservationHistory.model_validate(_history(revisions)).model_dump_json()
    return HttpResponse(body, status=status, content_type="application/json")


@router.post(
    "/observations/{id}/revisions",
    response={201: ObservationHistory, 400: Error, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Correct one observation: a new revision, with its reason",
)
def correct_observation(request: HttpRequest, id: int, body: CorrectionIn) -> HttpResponse:
    """Only for an authority the caller may write for (a council officer: their own); the
    earlier revision is kept."""
    if not 0 < id < LARGEST_ID:
        raise HttpError(404, "Not Found")
    # One who may not see the observation is told it is not there, as its page and history
    # tell them, not that they may not change it: a 403 would reveal that it exists.
    latest = _visible(request, id)[0]
    keep = "restricted_until" not in body.model_fields_set
    change = Correction(
        value=body.value,
        status=body.status,
        lower=body.lower,
        upper=body.upper,
        restricted_until=latest.restricted_until if keep else body.restricted_until,
        reason=body.reason,
    )
    try:
        made = revise(latest, change, request.user, origin=ImportBatch.Origin.API)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    except RevisionError as error:
        raise HttpError(422, str(error)) from error
    return _history_response(_visible(request, made.pk), status=201)
