"""An authority's scorecard for one assessment run: its stars and why (the rule, what held it
back, what would earn one more star, which parts were judgement and whose), its service-area
scores, each indicator's position among the comparators with the evidence for its direction,
and its early warnings. Every figure is the run's, so the page can be checked against the run."""

from __future__ import annotations

import inspect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ambition.indicators import ranges
from ambition.indicators.intervals import clearly_in_bottom_quarter
from ambition.indicators.models import Observation
from ambition.registry.models import Authority
from ambition.web import charts
from ambition.web.tables import Column, Table, respond

from ..diff import star_glyphs, stars_text
from ..engine.forecast import forecast_next
from ..engine.run import QUARTILE_MOVE
from ..methodology import Methodology, MethodologyError, load, used_polarity
from ..models import AssessmentRun, RunIndicator, RunRating
from ..scorecards import AREA_OUTPUTS, INDICATOR_OUTPUTS, WARNING_OUTPUTS, Scorecard, scorecard_of
from ..trying import held_back_rows, input_names, named, next_star_options
from .runs import chosen_run, chosen_table
from .trying import try_form

# The engine's runs take the forecast's default interval: the page says which it is.
PREDICTION_LEVEL = inspect.signature(forecast_next).parameters["level"].default
SPARK_PERIODS = 10

# The downloads' words for the run's columns; the columns themselves, and their order, are
# the result tables' own (`outputs`), so a new one is downloadable once the run writes it.
INDICATOR_LABELS = {
    "area": "Service area",
    "indicator": "Indicator code",
    "name": "Indicator",
    "unit": "Unit",
    "polarity": "Polarity",
    "period": "Period",
    "value": "Value",
    "target": "The methodology's target",
    "gap": "Gap to the target (0 or more meets it)",
    "rank": "Rank (1 = best)",
    "n": "Councils compared",
    "percentile": "Percentile (100 = best)",
    "quartile": "Quartile (4 = best)",
    "robust_z": "Robust z-score",
    "trend": "Trend",
    "trend_n": "Periods in the trend",
    "slope": "Slope per year",
    "p_value": "p-value",
    "evidence": "Evidence",
    "position_change": "Change in percentile",
    "improving": "Counted as improving",
    "worsening": "Counted as worsening",
    "persistent_bottom": "Bottom quartile two periods running",
    "rank_worst": "Rank at worst within the 95% intervals",
}
AREA_LABELS = {
    "code": "Service area code",
    "name": "Service area",
    "score": "Score",
    "indicators": "Indicators with a position",
    "coverage": "Coverage",
    "mean_quartile": "Weighted mean quartile",
    "weak": "Weak",
    "weak_reason": "Why weak",
}
WARNING_LABELS = {
    "position": "Position in the run's list",
    "indicator": "Indicator code",
    "name": "Indicator",
    "last_value": "Last value",
    "forecast": "Forecast",
    "lower": "Prediction interval, lower",
    "upper": "Prediction interval, upper",
    "method": "Forecast method",
    "bottom_quartile": "Bottom quartile threshold",
    "p_bottom_quartile": "Probability of the bottom quartile",
    "p_miss_target": "Probability of missing the target",
    "risk": "Risk",
}


def columns(keys: tuple[str, ...], labels: Mapping[str, str]) -> list[Column]:
    """A download's columns in the given order, each in words (its key, until it has some)."""
    return [Column(k, labels.get(k) or k.replace("_", " ").capitalize()) for k in keys]


INDICATOR_COLUMNS = columns(
    ("area", "indicator", "name", *INDICATOR_OUTPUTS, "rank_worst", "unit", "polarity"),
    INDICATOR_LABELS,
)
AREA_COLUMNS = columns(("code", "name", *AREA_OUTPUTS), AREA_LABELS)
WARNING_COLUMNS = columns(("indicator", "name", *WARNING_OUTPUTS), WARNING_LABELS)

# The run's star table -------------------------------------------------------------------------


def run_method(run: AssessmentRun) -> Methodology | None:
    """The run's methodology as its files are now (the run keeps the text of the rule it
    fired); None when the files are gone."""
    try:
        return load(run.method)
    except MethodologyError:
        return None


def judgement_rows(run: AssessmentRun, rating: RunRating) -> list[dict[str, Any]]:
    """Each judgement part of the rating with who entered it and why, from the run's record."""
    used = {j["key"]: j for j in run.judgements_used if j["authority"] == rating.authority.code}
    return [
        {**part, **{k: v for k, v in used.get(part["key"], {}).items() if k != "score"}}
        for part in rating.judgement_parts
    ]


def why(
    run: AssessmentRun, rating: RunRating, method: Methodology | None, names: Mapping[str, str]
) -> dict[str, Any]:
    table = method.stars if method else None
    judged = set(table.judgements) if table else {p["key"] for p in rating.judgement_parts}
    options, more = next_star_options(rating.to_next_star, names, judged)
    judgements = judgement_rows(run, rating)
    rule = next((r for r in table.rules if r.id == rating.rule_id), None) if table else None
    return {
        "rule": rule,
        "table_changed": method is None or method.sha256 != run.method_sha256,
        "held_back": held_back_rows(rating.held_back, names, table),
        "options": options,
        "more_options": more,
        "judgements": judgements,
        "entered": any(j.get("entered_at") for j in judgements),
        "missing": [{**m, "name": named(m["input"], names)} for m in rating.missing],
        "left_out": [named(a, names) for a in rating.left_out],
    }


def scorecard_try_form(
    method: Methodology | None, card: Scorecard, names: Mapping[str, str]
) -> dict[str, Any] | None:
    """The "try it" form, prefilled with the authority's area scores in the run and its
    judgements where the method has them; none when the method's file is gone."""
    if method is None:
        return None
    values = {a.code: a.score for a in card.areas}
    values |= {p["key"]: p["score"] for p in card.rating.judgement_parts}
    return try_form(method, values, names)


# Service areas and indicators ----------------------------------------------------------------


def area_rows(card: Scorecard) -> list[dict[str, Any]]:
    return [asdict(a) for a in card.areas]


def series_of(run: AssessmentRun, authority: Authority) -> dict[int, list[dict[str, Any]]]:
    """Each indicator's published values up to the run's as-of date, as the run read them."""
    rows = (
        Observation.public_objects.latest_revision()
        .filter(authority=authority, period__end__lte=run.as_of)
        .order_by("period__start", "period__end")
        .values_list("indicator_id", "period__label", "period__start", "value")
    )
    series: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for indicator, period, start, value in rows:
        series[indicator].append({"period": period, "start": start.isoformat(), "value": value})
    return series


def indicator_rows(card: Scorecard) -> list[dict[str, Any]]:
    series = series_of(card.run, card.authority)
    spans = interval_spans(card)
    return [
        {
            **_indicator_row(r, series.get(r.indicator_id, []), card.run.method_text),
            **_within_intervals(r, spans.get(r.indicator_id)),
        }
        for r in card.indicators
    ]


def interval_spans(card: Scorecard) -> dict[int, tuple[tuple[int, int], int]]:
    """Where the authority's value has an interval: the ranks it could hold among the
    authorities the run assessed, and how many there are (`indicators.ranges`)."""
    with_interval = set(
        Observation.public_objects.latest_revision()
        .filter(authority=card.authority, lower__isnull=False, upper__isnull=False)
        .values_list("indicator_id", "period__label")
    )
    spans = {}
    for r in card.indicators:
        if (r.indicator_id, r.period) not in with_interval or r.rank is None:
            continue
        assessed = RunIndicator.objects.filter(run=card.run, indicator_id=r.indicator_id)
        ids = list(assessed.values_list("authority_id", flat=True))
        polarity = used_polarity(card.run.method_text, r.indicator.code, r.indicator.polarity)
        found = ranges.rank_spans(r.indicator_id, r.period, ids, polarity)
        if card.authority.pk in found:
            spans[r.indicator_id] = (found[card.authority.pk], len(found))
    return spans


def _within_intervals(r: RunIndicator, span: tuple[tuple[int, int], int] | None) -> dict[str, Any]:
    """A bottom-quartile warning is coloured only where the intervals leave no doubt."""
    if span is None:
        return {"rank_worst": None, "bottom_clear": r.persistent_bottom}
    (best, worst), n = span
    return {
        "rank_best": best,
        "rank_worst": worst,
        "rank_of": n,
        "bottom_clear": r.persistent_bottom and clearly_in_bottom_quarter((best, worst), n),
    }


def up_to(points: list[dict[str, Any]], period: str) -> list[dict[str, Any]]:
    """The series to the run's current period of the indicator (a later period may exist
    that too few councils report yet to be judged on)."""
    ends = [i for i, p in enumerate(points) if p["period"] == period]
    return points[: ends[-1] + 1] if ends else points


def signed(change: float) -> str:
    whole = round(change)
    return f"{whole:+d}" if whole else "0"


def direction_basis(r: RunIndicator) -> str:
    """Why an indicator counts as improving or worsening: its trend, its move among the
    comparators, or both (a move can count while the trend is not significant)."""
    if not (r.improving or r.worsening):
        return ""
    sign, word = (1, "up") if r.improving else (-1, "down")
    reasons = (
        ["significant trend"] if r.trend == ("improving" if r.improving else "worsening") else []
    )
    if r.position_change is not None and r.position_change * sign >= QUARTILE_MOVE:
        reasons.append(f"moved {word} a quartile or more among the comparators")
    return " and ".join(reasons)


def _indicator_row(
    r: RunIndicator, points: list[dict[str, Any]], method_text: str
) -> dict[str, Any]:
    ind = r.indicator
    shown = up_to(points, r.period)[-SPARK_PERIODS:]
    # The polarity the run used: its source's, or the one the run's method stated.
    polarity = used_polarity(method_text, ind.code, ind.polarity)
    return {
        "area": ind.service_area.name,
        "area_code": ind.service_area.code,
        "indicator": ind.code,
        "name": ind.name,
        "url": ind.get_absolute_url(),
        "unit": ind.unit,
        "decimal_places": ind.decimal_places,
        "polarity": polarity,
        "polarity_stated": polarity != ind.polarity,
        **{field: getattr(r, field) for field in INDICATOR_OUTPUTS},
        "basis": direction_basis(r),
        "moved": None if r.position_change is None else signed(r.position_change),
        "spark": charts.sparkline(shown, polarity=polarity, unit=ind.unit)
        if len(shown) > 1
        else None,
    }


def warning_rows(card: Scorecard) -> list[dict[str, Any]]:
    return [asdict(w) for w in card.warnings]


def grouped(areas: list[dict[str, Any]], indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in indicators:
        by_area[row["area_code"]].append(row)
    return [{**a, "rows": by_area.get(a["code"], [])} for a in areas]


def direction_rows(indicators: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {
        "improving": [r for r in indicators if r["improving"]],
        "worsening": [r for r in indicators if r["worsening"]],
    }


# The page ------------------------------------------------------------------------------------


@require_safe
def scorecard(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    method, run = chosen_run(request)
    if run is None:
        return render(
            request,
            "assessment/scorecard.html",
            {"authority": authority, "method": method, "run": None},
        )
    card = scorecard_of(run, authority)
    if card is None:
        raise Http404(f"Run {run.pk} did not assess {authority.name}")
    rating = card.rating
    method_now = run_method(run)
    names = input_names(method_now.stars if method_now else None)
    areas, indicators, warnings = area_rows(card), indicator_rows(card), warning_rows(card)
    meta = {"authority": authority.code, "run": run.pk, "method": run.method}
    tables = {
        "indicators": lambda: Table(
            f"{authority.code}-run-{run.pk}-indicators", INDICATOR_COLUMNS, indicators, meta
        ),
        "areas": lambda: Table(f"{authority.code}-run-{run.pk}-areas", AREA_COLUMNS, areas, meta),
        "warnings": lambda: Table(
            f"{authority.code}-run-{run.pk}-warnings", WARNING_COLUMNS, warnings, meta
        ),
    }
    if download := respond(request, lambda: chosen_table(request, tables, "indicators")):
        return download
    return render(
        request,
        "assessment/scorecard.html",
        {
            "authority": authority,
            "method": method,
            "run": run,
            "rating": rating,
            "stars_text": stars_text(rating.stars),
            "star_glyphs": star_glyphs(rating.stars),
            "prediction_level": round(PREDICTION_LEVEL * 100),
            "why": why(run, rating, method_now, names),
            "try_form": scorecard_try_form(method_now, card, names),
            "areas": grouped(areas, indicators),
            "scored": [a for a in areas if a["score"] is not None],
            "direction": direction_rows(indicators),
            "indicator_count": len(indicators),
            "warnings": warnings,
            "neighbours_url": reverse("authority-neighbours", args=[authority.code]),
            # Asking for support is a higher app's page: its permission is asked by name
            # and its address looked up in the template, so nothing here imports it.
            "may_ask": request.user.has_perm("support.add_supportrequest", authority),
        },
    )
