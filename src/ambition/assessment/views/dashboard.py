"""The partnership dashboard: one assessment run (the latest of the default method unless
asked for another) as a map of the members coloured by stars, a table of members with their
stars, direction of travel and weak service areas, the partnership's targets with their
trajectory over the method's runs and the straight-line forecast stored with the run, and the
riskiest early warnings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority
from ambition.web import charts
from ambition.web.tables import Column, Table, respond

from ..diff import star_glyphs, stars_text
from ..methodology import available
from ..models import AssessmentRun, RunRating, RunTarget, RunWarning
from ..trajectories import target_history, trajectory_runs
from .runs import chosen_run, chosen_table

NOT_RATED = "Not rated"
STAR_SCALE = [stars_text(s) for s in range(5)] + [NOT_RATED]
# Red to dark blue: the ends read as poor and good without relying on one hue's shade alone.
STAR_COLOURS = dict(
    zip(
        STAR_SCALE,
        [
            charts.RED,
            charts.ORANGE,
            "#ffdd00",
            charts.LIGHT_BLUE,
            charts.DARK_BLUE,
            charts.MID_GREY,
        ],
        strict=True,
    )
)
WARNINGS_SHOWN = 20

MEMBER_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("stars", "Stars"),
    Column("rule_id", "Rule"),
    Column("direction", "Direction of travel"),
    Column("improving_share", "Share of indicators improving"),
    Column("weak_areas", "Weak service areas"),
    Column("not_rated_because", "Not rated because"),
]
TARGET_COLUMNS = [
    Column("target", "Target"),
    Column("value", "Value"),
    Column("goal", "Goal"),
    Column("met", "Met"),
    Column("counted", "Members counted"),
    Column("holding_back", "Members holding it back"),
    Column("forecast", "Straight-line forecast"),
    Column("forecast_as_of", "Forecast for"),
]
TRAJECTORY_COLUMNS = [
    Column("target", "Target"),
    Column("as_of", "As of"),
    Column("run", "Run"),
    Column("method_version", "Method version"),
    Column("value", "Value"),
    Column("goal", "Goal"),
    Column("forecast", "Forecast"),
]
WARNING_COLUMNS = [
    Column("position", "Position"),
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("indicator", "Indicator code"),
    Column("indicator_name", "Indicator"),
    Column("last_value", "Last value"),
    Column("forecast", "Forecast"),
    Column("lower", "Prediction interval, lower"),
    Column("upper", "Prediction interval, upper"),
    Column("p_bottom_quartile", "Probability of the bottom quartile"),
    Column("p_miss_target", "Probability of missing the target"),
    Column("risk", "Risk"),
]


def scorecard_url(code: str, run: AssessmentRun) -> str:
    return reverse("assessment-scorecard", args=[code]) + f"?run={run.pk}"


# Members -------------------------------------------------------------------------------------


def member_rows(run: AssessmentRun) -> list[dict[str, Any]]:
    areas = dict(ServiceArea.objects.values_list("code", "name"))
    ratings = RunRating.objects.filter(run=run).select_related("authority")
    return [_member_row(r, run, areas) for r in ratings.order_by("authority__name")]


def _member_row(r: RunRating, run: AssessmentRun, areas: Mapping[str, str]) -> dict[str, Any]:
    weak = [{"code": a, "name": areas.get(a, a)} for a in r.weak_areas]
    return {
        "code": r.authority.code,
        "name": r.authority.name,
        "url": scorecard_url(r.authority.code, run),
        "stars": r.stars,
        "rating": stars_text(r.stars) if r.stars is not None else NOT_RATED,
        "glyphs": star_glyphs(r.stars),
        "rule_id": r.rule_id,
        "direction": r.direction,
        "improving_share": r.improving_share,
        "weak": weak,
        "weak_areas": "; ".join(a["name"] for a in weak),
        "not_rated_because": "; ".join(f"{m['input']}: {m['reason']}" for m in r.missing),
    }


def star_map(rows: list[dict[str, Any]], run: AssessmentRun) -> charts.Spec:
    """The London boroughs and the City by stars (the other members have no boundary)."""
    return charts.members_map(
        [r for r in rows if r["code"].startswith("E09")],
        topojson_url=reverse("boundaries-topojson"),
        colour_field="rating",
        colour_title="Star rating",
        colours=STAR_COLOURS,
        scale=STAR_SCALE,
        title=f"Star ratings, run {run.pk} ({run.method}, as of {run.as_of:%d %B %Y})",
    )


# Targets and their trajectory ----------------------------------------------------------------


def target_rows(run: AssessmentRun, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each target with its measured trajectory and the forecast stored with the run."""
    history = target_history(trajectory_runs(run))
    rows = []
    for t in RunTarget.objects.filter(run=run).order_by("position"):
        points = [p for p in history.get(t.position, []) if p["value"] is not None]
        rows.append(_target_row(t, run, names, points + _forecast_point(t, points)))
    return rows


def _forecast_point(t: RunTarget, points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored forecast as the trajectory's last point, drawn apart from the measured."""
    if t.forecast is None or not points:
        return []
    return [
        {
            **points[-1],
            "as_of": t.forecast_as_of,
            "value": t.forecast,
            "run": None,
            "forecast": True,
        }
    ]


def _target_row(
    t: RunTarget,
    run: AssessmentRun,
    names: Mapping[str, str],
    trajectory: list[dict[str, Any]],
) -> dict[str, Any]:
    behind = [
        {"code": c, "name": names.get(c, c), "url": scorecard_url(c, run)} for c in t.holding_back
    ]
    return {
        "position": t.position,
        "chart_id": f"target-{t.position}",
        "target": t.target,
        "value": t.value,
        "goal": t.goal,
        "met": t.met,
        "counted": t.counted,
        "behind": behind,
        "holding_back": "; ".join(b["name"] for b in behind),
        "forecast": t.forecast,
        "forecast_as_of": t.forecast_as_of,
        # None: the run was made before forecasts were stored with it.
        "forecast_dates": None if t.forecast_runs is None else len(t.forecast_runs),
        "trajectory": trajectory,
        "spec": charts.target_trajectory(trajectory, goal=t.goal, title=t.target.capitalize()),
    }


# Early warnings ------------------------------------------------------------------------------


def warning_rows(run: AssessmentRun, limit: int = WARNINGS_SHOWN) -> list[dict[str, Any]]:
    found = RunWarning.objects.filter(run=run, position__lte=limit).select_related(
        "authority", "indicator"
    )
    return [
        {
            "position": w.position,
            "code": w.authority.code,
            "name": w.authority.name,
            "url": scorecard_url(w.authority.code, run) + "#warnings",
            "indicator": w.indicator.code,
            "indicator_name": w.indicator.name,
            "indicator_url": w.indicator.get_absolute_url(),
            "unit": w.indicator.unit,
            "decimal_places": w.indicator.decimal_places,
            "last_value": w.last_value,
            "forecast": w.forecast,
            "lower": w.lower,
            "upper": w.upper,
            "p_bottom_quartile": w.p_bottom_quartile,
            "p_miss_target": w.p_miss_target,
            "risk": w.risk,
        }
        for w in found.order_by("position")
    ]


# The page ------------------------------------------------------------------------------------


def dashboard_tables(
    run: AssessmentRun,
    members: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
) -> dict[str, Any]:
    meta = {"run": run.pk, "method": run.method, "as_of": run.as_of.isoformat()}
    history = [p for t in targets for p in t["trajectory"]]
    return {
        "members": lambda: Table(f"run-{run.pk}-members", MEMBER_COLUMNS, members, meta),
        "targets": lambda: Table(f"run-{run.pk}-targets", TARGET_COLUMNS, targets, meta),
        "trajectory": lambda: Table(
            f"run-{run.pk}-target-trajectory", TRAJECTORY_COLUMNS, history, meta
        ),
        "warnings": lambda: Table(f"run-{run.pk}-early-warnings", WARNING_COLUMNS, warnings, meta),
    }


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    method, run = chosen_run(request)
    context: dict[str, Any] = {"method": method, "methods": available(), "run": run}
    if run is None:
        return render(request, "assessment/dashboard.html", context)
    names = dict(Authority.objects.values_list("code", "name"))
    members, targets = member_rows(run), target_rows(run, names)
    warnings = warning_rows(run)
    tables = dashboard_tables(run, members, targets, warnings)
    if download := respond(request, lambda: chosen_table(request, tables, "members")):
        return download
    context |= {
        "members": members,
        "rated": [m for m in members if m["stars"] is not None],
        "map_spec": star_map(members, run),
        "targets": targets,
        "warnings": warnings,
        "warning_count": RunWarning.objects.filter(run=run).count(),
    }
    return render(request, "assessment/dashboard.html", context)
