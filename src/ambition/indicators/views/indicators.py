"""The indicator catalogue and an indicator's page: ranked, mapped and over time."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ambition.registry.models import Authority, Partnership
from ambition.web import charts
from ambition.web.tables import Column, Table, respond

from .. import intervals, polarity, residents
from ..comparison import ENGLAND_CODE, GROUPS, LONDON_CODE, comparison_group
from ..intervals import Estimate
from ..models import Indicator, Observation, ObservationQuerySet, Period, ServiceArea

CATALOGUE_COLUMNS = [
    Column("code", "Code"),
    Column("name", "Indicator"),
    Column("service_area", "Service area"),
    Column("unit", "Unit"),
    Column("polarity", "Polarity"),
    Column("polarity_basis", "Polarity from"),
    Column("source", "Source"),
    Column("licence", "Licence"),
]


@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    qs = Indicator.objects.select_related("service_area")
    area = request.GET.get("service_area", "")
    if area:
        qs = qs.filter(service_area__code=area)
    rows = [
        {
            "code": i.code,
            "name": i.name,
            "service_area": i.service_area.name,
            "unit": i.unit,
            "polarity": i.get_polarity_display(),
            "polarity_basis": i.polarity_basis,
            "source": i.source,
            "licence": i.licence,
            "url": i.get_absolute_url(),
            "area_code": i.service_area.code,
        }
        for i in qs
    ]
    if download := respond(request, lambda: Table("indicators", CATALOGUE_COLUMNS, rows)):
        return download
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["service_area"]].append(row)
    return render(
        request,
        "indicators/indicator_list.html",
        {
            "grouped": dict(grouped),
            "areas": ServiceArea.objects.all(),
            "selected_area": area,
            "count": len(rows),
        },
    )


RANKING_COLUMNS = [
    Column("rank", "Rank"),
    Column("rank_to", "Rank, at worst within the intervals"),
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("period", "Period"),
    Column("value", "Value"),
    Column("status", "Status"),
    Column("lower", "Lower"),
    Column("upper", "Upper"),
    Column("compared", "Compared with the chosen authority"),
    Column("illustrative", "Illustrative (made-up demo survey)"),
]


def _compared_with(ranking: list[dict[str, Any]], focus: Authority | None, polarity: str) -> None:
    """Each row against the chosen authority, by the one rule (`intervals.difference`)."""
    mine = next((r for r in ranking if focus and r["code"] == focus.code), None)
    for r in ranking:
        r["compared"] = (
            str(intervals.difference(_estimate(r), _estimate(mine), polarity))
            if mine is not None and r is not mine
            else ""
        )


def _estimate(row: dict[str, Any]) -> Estimate:
    return Estimate(row["value"], row["lower"], row["upper"])


def _ranking(
    indicator: Indicator, authorities: Any, period: Period, seen: ObservationQuerySet
) -> list[dict[str, Any]]:
    rows = list(
        seen.for_indicator(indicator)
        .for_period(period)
        .filter(authority__in=authorities)
        .values(
            "pk",
            "authority__code",
            "authority__name",
            "value",
            "status",
            "lower",
            "upper",
            "batch_id",
        )
    )
    # Ranks are a judgement: only an indicator whose source states a polarity gets them.
    ranked = bool(indicator.polarity)
    sign = 1 if indicator.polarity == "lower" else -1
    rows.sort(key=lambda r: (r["value"] is None, sign * (r["value"] or 0), r["authority__name"]))
    # A rank is a range where intervals leave the order open (intervals.rank_range).
    ranks = intervals.rank_range(
        [Estimate(r["value"], r["lower"], r["upper"]) for r in rows], indicator.polarity
    )
    out = []
    for r, span in zip(rows, ranks, strict=True):
        out.append(
            {
                "rank": span[0] if ranked and span else None,
                "rank_to": span[1] if ranked and span and span[1] != span[0] else None,
                "code": r["authority__code"],
                "name": r["authority__name"],
                "period": period.label,
                "value": r["value"],
                "status": r["status"],
                "lower": r["lower"],
                "upper": r["upper"],
                "observation": r["pk"],
                "batch": r["batch_id"],
            }
        )
    return out


def _latest_period(
    indicator: Indicator, authorities: Any, seen: ObservationQuerySet
) -> Period | None:
    observed = seen.for_indicator(indicator).filter(authority__in=authorities, value__isnull=False)
    period_id = (
        observed.order_by("-period__end", "-period__start")
        .values_list("period_id", flat=True)
        .first()
    )
    return Period.objects.get(pk=period_id) if period_id else None


def _time_series(
    indicator: Indicator, codes: list[str], seen: ObservationQuerySet
) -> list[dict[str, Any]]:
    rows = (
        seen.for_indicator(indicator)
        .filter(authority__code__in=[*codes, LONDON_CODE, ENGLAND_CODE])
        .order_by("period__start")
        .values(
            "authority__name",
            "authority__code",
            "period__label",
            "period__start",
            "value",
            "lower",
            "upper",
        )
    )
    return [
        {
            "series": r["authority__name"],
            "code": r["authority__code"],
            "period": r["period__label"],
            "start": r["period__start"].isoformat(),
            "value": r["value"],
            "lower": r["lower"],
            "upper": r["upper"],
        }
        for r in rows
    ]


@require_safe
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("service_area"), code=code)
    focus_code = request.GET.get("focus", "").upper()
    focus = Authority.objects.filter(code=focus_code).first() if focus_code else None
    chosen = [c.strip().upper() for c in request.GET.get("authorities", "").split(",") if c.strip()]
    try:
        partnership: Partnership | None = Partnership.objects.current()
    except Partnership.DoesNotExist:
        partnership = None  # the page offers the other groups
    group = comparison_group(request.GET.get("compare", "london"), focus, partnership, chosen)
    seen = Observation.private_objects.visible_to(request.user).latest_revision()
    period = _latest_period(indicator, group.authorities, seen)
    ranking = _ranking(indicator, group.authorities, period, seen) if period else []
    _compared_with(ranking, focus, indicator.polarity)
    made_up = residents.illustrative_batches({r["batch"] for r in ranking})
    for r in ranking:
        r["illustrative"] = r["batch"] in made_up
    if download := respond(
        request,
        lambda: Table(
            f"{indicator.code}-{group.key}",
            RANKING_COLUMNS,
            ranking,
            meta={
                "indicator": indicator.code,
                "group": group.label,
                "period": period.label if period else None,
            },
        ),
    ):
        return download
    series_codes = chosen if group.key == "chosen" else ([focus.code] if focus else [])
    london_rows = [r for r in ranking if r["code"].startswith("E09")]
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "polarity_statements": polarity.statements(indicator.code),
            "group": group,
            "groups": GROUPS,
            "focus": focus,
            "period": period,
            "ranking": ranking,
            "chosen": ",".join(chosen),
            "authorities": Authority.objects.councils().filter(region="London").order_by("name"),
            "bar_title": "Ranked, best first"
            if indicator.polarity
            else "Ordered by value: the source states no polarity, so no ranks",
            "bar_spec": charts.ranked_bar(
                [{"code": r["code"], "name": r["name"], "value": r["value"]} for r in ranking],
                unit=indicator.unit,
                polarity=indicator.polarity,
                highlight=focus.code if focus else None,
                title=f"{indicator.name}, {period.label if period else ''}: {group.label}",
            ),
            "map_spec": charts.choropleth(
                [{"code": r["code"], "name": r["name"], "value": r["value"]} for r in london_rows],
                topojson_url=reverse("boundaries-topojson"),
                unit=indicator.unit,
                polarity=indicator.polarity,
                title=f"{indicator.name}, {period.label if period else ''}",
            )
            if london_rows
            else None,
            "series_spec": charts.time_series(
                _time_series(indicator, series_codes, seen),
                unit=indicator.unit,
                title=f"{indicator.name} over time",
            ),
            "has_intervals": any(r["lower"] is not None for r in ranking),
            "illustrative": bool(made_up),
        },
    )
