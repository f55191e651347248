"""An authority's page: its profile, neighbours and indicators with their trends."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ambition.accounts.audit import history_for
from ambition.registry.models import Authority
from ambition.web import charts
from ambition.web.tables import Column, Table, respond

from .. import residents
from ..comparison import ENGLAND_CODE, LONDON_CODE
from ..models import Indicator, Observation, ObservationQuerySet

AUTHORITY_COLUMNS = [
    Column("indicator", "Indicator code"),
    Column("name", "Indicator"),
    Column("service_area", "Service area"),
    Column("period", "Latest period"),
    Column("value", "Value"),
    Column("unit", "Unit"),
    Column("status", "Status"),
    Column("london", "London"),
    Column("england", "England"),
    Column("polarity", "Polarity"),
]
TREND_PERIODS = 10


def _series_by_indicator(
    authority: Authority, seen: ObservationQuerySet
) -> dict[int, list[dict[str, Any]]]:
    rows = (
        seen.for_authority(authority)
        .order_by("period__start", "period__end")
        .values("indicator_id", "period__label", "period__start", "value", "status")
    )
    series: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        series[r["indicator_id"]].append(
            {
                "period": r["period__label"],
                "start": r["period__start"].isoformat(),
                "value": r["value"],
                "status": r["status"],
            }
        )
    return series


def _latest_for(code: str, seen: ObservationQuerySet) -> dict[tuple[int, str], float | None]:
    rows = seen.filter(authority__code=code)
    return {(i, p): v for i, p, v in rows.values_list("indicator_id", "period__label", "value")}


def authority_indicator_rows(
    authority: Authority, seen: ObservationQuerySet
) -> list[dict[str, Any]]:
    """What the page shows, from the observations this viewer may see."""
    series = _series_by_indicator(authority, seen)
    london, england = _latest_for(LONDON_CODE, seen), _latest_for(ENGLAND_CODE, seen)
    indicators = Indicator.objects.filter(id__in=series).select_related("service_area")
    rows = []
    for ind in indicators:
        points = series[ind.id]
        last = points[-1]
        rows.append(
            {
                "indicator": ind.code,
                "name": ind.name,
                "service_area": ind.service_area.name,
                "period": last["period"],
                "value": last["value"],
                "unit": ind.unit,
                "status": last["status"],
                "polarity": ind.polarity,
                "london": london.get((ind.id, last["period"])),
                "england": england.get((ind.id, last["period"])),
                "decimal_places": ind.decimal_places,
                "url": ind.get_absolute_url(),
                "spark": charts.sparkline(points[-TREND_PERIODS:], polarity=ind.polarity),
                "periods": len(points),
            }
        )
    return sorted(rows, key=lambda r: (r["service_area"], r["name"]))


KEY_FIGURES = (
    "gla-population-estimate",
    "population-density-per-hectare",
    "imd-2019-rank",
    "imd-rank-change",
    "employment-rate",
    "gross-annual-pay",
)


def key_figures(profile: list[Any]) -> list[Any]:
    by_key = {f.key: f for f in profile}
    return [by_key[k] for k in KEY_FIGURES if k in by_key]


@require_safe
def authority_detail(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    seen = Observation.private_objects.visible_to(request.user).latest_revision()
    rows = authority_indicator_rows(authority, seen)
    download = respond(
        request,
        lambda: Table(
            f"{authority.code}-indicators",
            AUTHORITY_COLUMNS,
            rows,
            meta={"authority": authority.code, "name": authority.name},
        ),
    )
    if download:
        return download
    areas: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        areas[row["service_area"]].append(row)
    profile = list(authority.profile.all())
    return render(
        request,
        "indicators/authority_detail.html",
        {
            "authority": authority,
            "key_figures": key_figures(profile),
            "profile": profile,
            "control": authority.control.all(),
            "neighbours": authority.neighbours.select_related("neighbour"),
            "memberships": authority.memberships.select_related("partnership"),
            "areas": dict(areas),
            "indicator_count": len(rows),
            "illustrative": residents.illustrative(
                set(seen.for_authority(authority).values_list("batch_id", flat=True).distinct())
            ),
            # Who changed what is the performance office's to read, as on the audit page.
            "history": history_for(authority)
            if request.user.has_perm("accounts.view_auditentry")
            else None,
        },
    )
