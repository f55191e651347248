"""The early-warning backtest for the performance office: every forecast method against the
naive rule over the stored LAIT series, rolling origin, for England or the members, with
a calibration chart and its table. The backtest reads the whole store, so its result is
kept in the cache under the store's version (every import makes a new one), the day
(embargoes lapse at midnight), the indicators' polarities and the method's hash: the
second visit is a cache read."""

from __future__ import annotations

import hashlib
from typing import Any

import altair as alt
import polars as pl
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ambition.indicators.api import store_version
from ambition.web.charts import GREY, PALETTE, Spec
from ambition.web.charts.common import styled
from ambition.web.tables import Column, Table, respond

from ..engine.forecast import CALIBRATION_CASES, CALIBRATION_POINTS, NAIVE, backtest
from ..frames import indicator_frame, observation_frame, today
from ..making import council_codes, member_codes
from ..methodology import DEFAULT_METHOD, Methodology, MethodologyError, available, load

PREFIX = "lait-"
GROUPS = {"england": "every English council", "members": "the partnership's members"}
CACHE_SECONDS = 24 * 3600

SUMMARY_COLUMNS = [
    Column("scope", "Scope"),
    Column("method", "Method"),
    Column("cases", "Cases"),
    Column("flagged", "Flagged"),
    Column("tp", "True positives"),
    Column("fp", "False positives"),
    Column("fn", "False negatives"),
    Column("precision", "Precision"),
    Column("recall", "Recall"),
    Column("f1", "F1"),
    Column("brier", "Brier score"),
]
CALIBRATION_COLUMNS = [
    Column("method", "Method"),
    Column("decile", "Decile"),
    Column("cases", "Cases"),
    Column("predicted", "Mean predicted"),
    Column("observed", "Observed rate"),
    Column("gap_points", "Gap (percentage points)"),
]


def _cache_key(method: Methodology, group: str, indicators: pl.DataFrame) -> str:
    polarities = indicators.sort("indicator").write_csv()
    stamp = f"{store_version()}|{today()}|{method.sha256}|{group}|{polarities}"
    return "warning-backtest:" + hashlib.sha256(stamp.encode()).hexdigest()


def _compute(method: Methodology, group: str, indicators: pl.DataFrame) -> dict[str, Any]:
    """The backtest as plain rows, ready for the cache, the page and the downloads."""
    obs = observation_frame(indicators["indicator"].to_list())
    codes = council_codes(obs) if group == "england" else member_codes()
    obs = obs.filter(pl.col("authority").is_in(codes))
    result = backtest(obs, indicators, method.warning_window, method.warning_cutoff)
    labels = [m.label for m in result.methods]
    return {
        "authorities": obs["authority"].n_unique(),
        "indicators": obs["indicator"].n_unique(),
        "window": result.window,
        "cutoff": result.cutoff,
        "pick": result.pick(),
        "calibrated": {label: result.calibrated(label) for label in labels},
        "summary": result.summary.to_dicts(),
        "calibration": result.calibration.to_dicts(),
    }


def backtest_for(method: Methodology, group: str) -> dict[str, Any]:
    indicators = indicator_frame(stated=method.stated_polarity).filter(
        pl.col("indicator").str.starts_with(PREFIX)
    )
    key = _cache_key(method, group, indicators)
    found: dict[str, Any] | None = cache.get(key)
    if found is None:
        found = _compute(method, group, indicators)
        cache.set(key, found, timeout=CACHE_SECONDS)
    return found


def tenth(decile: int) -> str:
    return f"{decile / 10:.1f} to {(decile + 1) / 10:.1f}"


def calibration_chart(rows: list[dict[str, Any]]) -> Spec:
    """Observed rate against mean predicted probability, one line per method, a point per
    decile sized by its cases; the diagonal is perfect calibration."""
    points = [{**r, "decile": tenth(r["decile"])} for r in rows]
    methods = sorted({r["method"] for r in rows})
    axis = alt.Scale(domain=[0, 1])
    diagonal = (
        alt.Chart(alt.InlineData(values=[{"p": 0.0}, {"p": 1.0}]))
        .mark_line(color=GREY, strokeDash=[4, 4])
        .encode(x=alt.X("p:Q", scale=axis), y=alt.Y("p:Q", scale=axis))
    )
    colour = alt.Color(
        "method:N", scale=alt.Scale(domain=methods, range=PALETTE[: len(methods)]), title="Method"
    )
    base = alt.Chart(alt.InlineData(values=points)).encode(
        x=alt.X(
            "predicted:Q",
            scale=axis,
            title="Mean predicted probability",
            axis=alt.Axis(format=".0%"),
        ),
        y=alt.Y("observed:Q", scale=axis, title="Observed rate", axis=alt.Axis(format=".0%")),
        color=colour,
        tooltip=[
            alt.Tooltip("method:N", title="Method"),
            alt.Tooltip("decile:N", title="Decile"),
            alt.Tooltip("cases:Q", title="Cases", format=","),
            alt.Tooltip("predicted:Q", title="Predicted", format=".1%"),
            alt.Tooltip("observed:Q", title="Observed", format=".1%"),
        ],
    )
    lines = base.mark_line(strokeWidth=1.5)
    dots = base.mark_point(filled=True).encode(size=alt.Size("cases:Q", title="Cases"))
    chart = alt.layer(diagonal, lines, dots).properties(width="container", height=360)
    description = (
        f"Calibration of {len(methods)} early-warning methods: for each tenth of predicted "
        "probability, the share of cases that were in the bottom quartile next period. "
        "Points on the dashed diagonal are perfectly calibrated. The figures are in the "
        "calibration table below the chart."
    )
    return styled(chart, "Calibration: predicted against observed", description)


def _verdict(found: dict[str, Any], method: Methodology) -> dict[str, Any]:
    """What the page says: the pick, the shipped choice, and the issue's goal."""
    overall = {r["method"]: r for r in found["summary"] if r["scope"] == "all"}
    shipped = method.warning_method.label
    mine, naive = overall.get(shipped), overall.get(NAIVE)
    beats = bool(
        mine and naive and mine["brier"] < naive["brier"] and (mine["f1"] or 0) > (naive["f1"] or 0)
    )
    return {
        "pick": found["pick"],
        "shipped": shipped,
        "shipped_is_pick": found["pick"] == shipped,
        "beats_naive": beats,
        "calibrated": found["calibrated"].get(shipped, False),
    }


def _chosen(request: HttpRequest) -> tuple[Methodology, str]:
    group = request.GET.get("group", "england")
    name = request.GET.get("method", DEFAULT_METHOD)
    if group not in GROUPS or name not in available():
        raise Http404("No such group or method")
    try:
        return load(name), group
    except MethodologyError as error:
        raise Http404(str(error)) from error


def download(request: HttpRequest, found: dict[str, Any], method: Methodology, group: str) -> Table:
    meta = {
        "group": group,
        "method": method.name,
        "window": found["window"],
        "cutoff": found["cutoff"],
    }
    wanted = request.GET.get("table", "summary")
    if wanted == "summary":
        return Table(f"warning-backtest-{group}", SUMMARY_COLUMNS, found["summary"], meta=meta)
    if wanted == "calibration":
        name = f"warning-calibration-{group}"
        return Table(name, CALIBRATION_COLUMNS, found["calibration"], meta=meta)
    raise Http404("No such table: summary or calibration")


@login_required
@permission_required("assessment.add_assessmentrun", raise_exception=True)
@require_safe
def warning_backtest(request: HttpRequest) -> HttpResponse:
    method, group = _chosen(request)
    found = backtest_for(method, group)
    if response := respond(request, lambda: download(request, found, method, group)):
        return response
    context = {
        "method": method,
        "methods": available(),
        "group": group,
        "groups": GROUPS,
        "found": found,
        "group_label": GROUPS[group],
        "overall": [
            {**r, "calibrated": found["calibrated"].get(r["method"], False)}
            for r in found["summary"]
            if r["scope"] == "all"
        ],
        "calibration": [{**r, "tenth": tenth(r["decile"])} for r in found["calibration"]],
        "areas": [r for r in found["summary"] if r["scope"] != "all"],
        "verdict": _verdict(found, method),
        "chart": calibration_chart(found["calibration"]) if found["calibration"] else None,
        "min_cases": CALIBRATION_CASES,
        "max_gap": CALIBRATION_POINTS,
    }
    return render(request, "assessment/warning_backtest.html", context)
