"""Pages that show indicators: an authority's page, the catalogue, an indicator's page,
and the import page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ambition.registry.models import Authority, Partnership
from ambition.web import charts
from ambition.web.tables import Column, Table, respond

from .comparison import ENGLAND_CODE, GROUPS, LONDON_CODE, comparison_group
from .forms import ImportForm
from .jobs import read_progress, start_import
from .models import ImportBatch, ImportJob, Indicator, Observation, Period, ServiceArea

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


def _series_by_indicator(authority: Authority) -> dict[int, list[dict[str, Any]]]:
    rows = (
        Observation.objects.latest_revision()
        .for_authority(authority)
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


def _latest_for(code: str) -> dict[tuple[int, str], float | None]:
    rows = Observation.objects.latest_revision().filter(authority__code=code)
    return {(i, p): v for i, p, v in rows.values_list("indicator_id", "period__label", "value")}


def authority_indicator_rows(authority: Authority) -> list[dict[str, Any]]:
    series = _series_by_indicator(authority)
    london, england = _latest_for(LONDON_CODE), _latest_for(ENGLAND_CODE)
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


def authority_detail(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    rows = authority_indicator_rows(authority)
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
        },
    )


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
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("period", "Period"),
    Column("value", "Value"),
    Column("status", "Status"),
    Column("lower", "Lower"),
    Column("upper", "Upper"),
]


def _ranking(indicator: Indicator, authorities: Any, period: Period) -> list[dict[str, Any]]:
    rows = list(
        Observation.objects.latest_revision()
        .for_indicator(indicator)
        .for_period(period)
        .filter(authority__in=authorities)
        .values("authority__code", "authority__name", "value", "status", "lower", "upper")
    )
    # Ranks are a judgement: only an indicator whose source states a polarity gets them.
    ranked = bool(indicator.polarity)
    sign = 1 if indicator.polarity == "lower" else -1
    rows.sort(key=lambda r: (r["value"] is None, sign * (r["value"] or 0), r["authority__name"]))
    out, rank, previous = [], 0, None
    for position, r in enumerate(rows, start=1):
        if r["value"] != previous:  # equal values share a rank
            rank, previous = position, r["value"]
        out.append(
            {
                "rank": rank if ranked and r["value"] is not None else None,
                "code": r["authority__code"],
                "name": r["authority__name"],
                "period": period.label,
                "value": r["value"],
                "status": r["status"],
                "lower": r["lower"],
                "upper": r["upper"],
            }
        )
    return out


def _latest_period(indicator: Indicator, authorities: Any) -> Period | None:
    observed = (
        Observation.objects.latest_revision()
        .for_indicator(indicator)
        .filter(authority__in=authorities, value__isnull=False)
    )
    period_id = (
        observed.order_by("-period__end", "-period__start")
        .values_list("period_id", flat=True)
        .first()
    )
    return Period.objects.get(pk=period_id) if period_id else None


def _time_series(indicator: Indicator, codes: list[str]) -> list[dict[str, Any]]:
    rows = (
        Observation.objects.latest_revision()
        .for_indicator(indicator)
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


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("service_area"), code=code)
    focus_code = request.GET.get("focus", "").upper()
    focus = Authority.objects.filter(code=focus_code).first() if focus_code else None
    chosen = [c.strip().upper() for c in request.GET.get("authorities", "").split(",") if c.strip()]
    partnership = Partnership.objects.filter(slug=settings.PARTNERSHIP_SLUG).first()
    group = comparison_group(request.GET.get("compare", "london"), focus, partnership, chosen)
    period = _latest_period(indicator, group.authorities)
    ranking = _ranking(indicator, group.authorities, period) if period else []
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
                _time_series(indicator, series_codes),
                unit=indicator.unit,
                title=f"{indicator.name} over time",
            ),
            "has_intervals": any(r["lower"] is not None for r in ranking),
        },
    )


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(
            form.cleaned_data["file"],
            user=request.user,
            indicator=form.cleaned_data["indicator"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect(job)
    return render(
        request,
        "indicators/import.html",
        {
            "form": form,
            "jobs": ImportJob.objects.select_related("user")[:10],
            "batches": ImportBatch.objects.select_related("user")[:20],
        },
    )


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page; htmx asks again for its status part until the job has finished."""
    job = get_object_or_404(ImportJob.objects.select_related("user", "batch"), pk=pk)
    partial = request.headers.get("HX-Request") == "true"
    template = f"indicators/{'includes/import_job_status' if partial else 'import_job'}.html"
    progress = read_progress(job.pk)
    return render(
        request,
        template,
        {
            "job": job,
            "report": job.report,
            "progress": progress,
            "percent": round(100 * progress.get("fraction", 0.0)),
            "finished": job.state in (ImportJob.State.DONE, ImportJob.State.FAILED),
        },
    )


@login_required
@permission_required("indicators.add_observation", raise_exception=True)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("user"), pk=pk)
    written = list(
        Observation.objects.filter(batch=batch)
        .with_codes()
        .order_by("indicator__code", "authority__code", "period__start")[:200]
    )
    return render(
        request,
        "indicators/batch_detail.html",
        {
            "batch": batch,
            "revisions": [(o, _previous(o)) for o in written],
        },
    )


def _previous(observation: Observation) -> Observation | None:
    """The revision this one replaced: what the value was before the import."""
    if observation.revision == 1:
        return None
    return (
        Observation.objects.filter(
            authority_id=observation.authority_id,
            indicator_id=observation.indicator_id,
            period_id=observation.period_id,
            revision=observation.revision - 1,
        )
        .select_related("batch")
        .first()
    )
