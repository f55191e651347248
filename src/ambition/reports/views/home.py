"""The public site's front page: how London is doing (the partnership's targets, how they
moved over the runs, and the map of star ratings from the run the dashboard shows), then the
members. It shows assessment results, so it lives here and not in `registry`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ambition.assessment.views.runs import chosen_table
from ambition.registry.views import MEMBER_COLUMNS, current_partnership, member_rows
from ambition.web.tables import Column, Table, respond

from ..pack.performance import latest_run
from ..runs import figures_of

HOME_COLUMNS = [
    *MEMBER_COLUMNS,
    Column("stars", "Stars"),
    Column("direction", "Direction of travel"),
]
TRAJECTORY_COLUMNS = [
    Column("target", "Target"),
    Column("as_of", "As of"),
    Column("run", "Run"),
    Column("value", "Value"),
    Column("goal", "Goal"),
    Column("forecast", "Forecast"),
]


def with_ratings(rows: list[dict[str, Any]], ratings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The members' rows with their stars and direction of travel from the run's ratings."""
    rated = {r["code"]: r for r in ratings}
    blank = {"stars": None, "rating": "", "glyphs": "", "direction": "", "url": ""}
    return [{**r, **_rating(rated.get(r["code"], blank))} for r in rows]


def _rating(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "stars": r["stars"],
        "rating": r["rating"],
        "glyphs": r["glyphs"],
        "direction": r["direction"],
        "scorecard_url": r["url"],
    }


def home_tables(
    name: str, members: list[dict[str, Any]], targets: list[dict[str, Any]]
) -> dict[str, Any]:
    points = [p for t in targets for p in t["trajectory"]]
    return {
        "members": lambda: Table(f"{name}-members", HOME_COLUMNS, members),
        "targets": lambda: Table(f"{name}-target-trajectory", TRAJECTORY_COLUMNS, points),
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    partnership = current_partnership()
    run = latest_run()
    figures = figures_of(run) if run else None
    members = with_ratings(member_rows(partnership), figures.ratings if figures else [])
    targets = figures.targets if figures else []
    tables = home_tables(partnership.slug, members, targets)
    if download := respond(request, lambda: chosen_table(request, tables, "members")):
        return download
    control_years = sorted({r["control_year"] for r in members if r["control_year"]})
    context = {
        "partnership": partnership,
        "run": run,
        "targets": targets,
        "map_spec": figures.map_spec if figures else None,
        "members": members,
        "rated": [m for m in members if m["stars"] is not None],
        "control_years": control_years,
    }
    return render(request, "reports/public/home.html", context)
