"""The methodologies, each page generated from its TOML file (and its star table), so that a
council being judged can check every number: which indicators count where and with what
weight, how positions become scores, every star rule in order with its source, the
direction-of-travel thresholds and the targets, and the files' text and hashes."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ambition.indicators.models import Indicator, ServiceArea
from ambition.web.tables import Column, Table, respond

from ..engine.run import weights_frame
from ..engine.stars import Condition, Rule, StarTable
from ..frames import indicator_frame
from ..methodology import Methodology, MethodologyError, available, load
from ..models import AssessmentRun
from .runs import chosen_table

GROUPS = {
    "members": "the partnership's members (the London boroughs and the City)",
    "england": "every English council that reports the indicator",
}


@dataclass(frozen=True)
class MethodFile:
    name: str
    text: str
    sha256: str


def star_file(method: Methodology) -> MethodFile:
    """The star table the methodology names, with its own hash (the method's hash covers
    both files)."""
    name = str(tomllib.loads(method.text).get("stars", ""))
    path = method.path.parent / name
    data = path.read_bytes() if name and path.is_file() else b""
    return MethodFile(name, data.decode("utf-8"), hashlib.sha256(data).hexdigest())


def method_or_404(name: str) -> Methodology:
    if name not in available():
        raise Http404("No such methodology")
    try:
        return load(name)
    except MethodologyError as error:
        raise Http404(str(error)) from error


# The method list -----------------------------------------------------------------------------


@require_safe
def method_list(request: HttpRequest) -> HttpResponse:
    runs = {
        r["method"]: r for r in AssessmentRun.objects.values("method").annotate(runs=Count("id"))
    }
    rows = [method_row(name, runs.get(name, {})) for name in available()]
    if download := respond(request, lambda: Table("methodologies", METHOD_COLUMNS, rows)):
        return download
    return render(request, "assessment/method_list.html", {"methods": rows})


METHOD_COLUMNS = [
    Column("name", "Name"),
    Column("title", "Title"),
    Column("version", "Version"),
    Column("sha256", "SHA-256"),
    Column("group", "Comparator group"),
    Column("runs", "Runs"),
    Column("summary", "Summary"),
]


def method_row(name: str, runs: Mapping[str, Any]) -> dict[str, Any]:
    try:
        method = load(name)
    except MethodologyError as error:
        return {"name": name, "title": name, "error": str(error), "runs": runs.get("runs", 0)}
    return {
        "name": name,
        "title": method.title,
        "version": method.version,
        "sha256": method.sha256,
        "group": method.group,
        "summary": method.summary,
        "runs": runs.get("runs", 0),
    }


# One method ----------------------------------------------------------------------------------

INDICATOR_COLUMNS = [
    Column("area", "Service area code"),
    Column("area_name", "Service area"),
    Column("level", "Star table level"),
    Column("indicator", "Indicator code"),
    Column("name", "Indicator"),
    Column("polarity", "Polarity"),
    Column("polarity_from", "Polarity from (source or method)"),
    Column("unit", "Unit"),
    Column("weight", "Weight"),
    Column("target", "Target"),
]
RULE_COLUMNS = [
    Column("order", "Order"),
    Column("id", "Rule"),
    Column("stars", "Stars"),
    Column("text", "Rule text"),
    Column("judgements", "Judgements"),
    Column("conditions", "Conditions"),
    Column("source", "Source"),
    Column("inferred", "Inferred"),
    Column("reasoning", "Reasoning"),
]
POLARITY_COLUMNS = [
    Column("indicator", "Indicator code"),
    Column("name", "Indicator"),
    Column("area", "Service area code"),
    Column("better", "Better (empty: contested, unscored)"),
    Column("reason", "Reason"),
    Column("citation", "Citation"),
    Column("url", "Citation URL"),
]
DIRECTION_COLUMNS = [
    Column("order", "Order"),
    Column("label", "Direction of travel"),
    Column("min_improving", "At least this share improving"),
    Column("max_worsening", "At most this share worsening"),
    Column("counts_as_improving", "Counts as improving"),
]
BAND_COLUMNS = [
    Column("score", "Score"),
    Column("from", "Mean quartile at least"),
    Column("below", "And below"),
]


def levels_of_areas(table: StarTable) -> dict[str, str]:
    """Each service area's level in the star table (through its block, if in one)."""
    found = {}
    for level in table.levels.values():
        for member in level.members:
            for area in table.areas_of(member):
                found[area] = level.label
    return found


def indicator_rows(method: Methodology) -> list[dict[str, Any]]:
    """The weights the engine uses: "every indicator with a polarity" resolved to the
    catalogue's list, as the engine resolves it."""
    weights = weights_frame(method.rules(), indicator_frame(stated=method.stated_polarity))
    catalogue = {i.code: i for i in Indicator.objects.all()}
    areas = dict(ServiceArea.objects.values_list("code", "name"))
    levels = levels_of_areas(method.stars)
    stated = method.stated_polarity
    rows = []
    for code, area, weight in weights.iter_rows():
        indicator = catalogue.get(code)
        rows.append(
            {
                "area": area,
                "area_name": areas.get(area, area),
                "level": levels.get(area, "not in the star table"),
                "indicator": code,
                "name": indicator.name if indicator else "not in the catalogue",
                "polarity": (indicator.polarity if indicator else "") or stated.get(code, ""),
                "polarity_from": "source" if indicator and indicator.polarity else "method",
                "unit": indicator.unit if indicator else "",
                "weight": weight,
                "target": method.indicator_targets.get(code),
                "known": indicator is not None,
            }
        )
    return rows


def polarity_rows(method: Methodology) -> list[dict[str, Any]]:
    """The method's polarity statements, by service area then indicator."""
    known = Indicator.objects.select_related("service_area")
    catalogue = {i.code: i for i in known.filter(code__in=[s.indicator for s in method.polarity])}
    areas = dict(ServiceArea.objects.values_list("code", "name"))
    rows = []
    for s in method.polarity:
        indicator = catalogue.get(s.indicator)
        area = indicator.service_area.code if indicator else ""
        rows.append(
            {
                "indicator": s.indicator,
                "name": indicator.name if indicator else "not in the catalogue",
                "area": area,
                "area_name": areas.get(area, "not in the catalogue"),
                "better": s.better,
                "reason": s.reason,
                "citation": s.citation,
                "url": s.url,
                "known": indicator is not None,
            }
        )
    return sorted(rows, key=lambda r: (r["area_name"], r["name"]))


def area_sections(method: Methodology, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    areas = dict(ServiceArea.objects.values_list("code", "name"))
    levels = levels_of_areas(method.stars)
    return [
        {
            "code": spec.code,
            "name": areas.get(spec.code, spec.code),
            "named": bool(spec.weights),
            "level": levels.get(spec.code, ""),
            "indicators": [r for r in rows if r["area"] == spec.code],
        }
        for spec in method.areas
    ]


def condition_text(condition: Condition, table: StarTable) -> str:
    level = table.levels[condition.level].label
    if condition.share is not None:
        share = f"{float(condition.share):.0%}"
        return f"{level}: at least {share} of those scored at {condition.threshold} or more"
    if not condition.at_most:
        return f"{level}: none below {condition.threshold}"
    return f"{level}: at most {condition.at_most} below {condition.threshold}"


def judgement_text(rule: Rule, table: StarTable) -> str:
    parts = []
    for key, allowed in rule.judgements.items():
        label = table.judgements[key].label
        values = sorted(allowed)
        parts.append(f"{label} {values[0]}" if len(values) == 1 else f"{label} one of {values}")
    return "; ".join(parts)


def rule_rows(table: StarTable) -> list[dict[str, Any]]:
    return [
        {
            "order": order,
            "id": rule.id,
            "stars": rule.stars,
            "text": rule.text,
            "judgements": judgement_text(rule, table),
            "conditions": "; ".join(condition_text(c, table) for c in rule.conditions)
            or "no condition on the scores: catches every other case",
            "source": rule.source,
            "inferred": rule.inferred,
            "reasoning": rule.reasoning,
        }
        for order, rule in enumerate(table.rules, start=1)
    ]


def direction_rows(method: Methodology) -> list[dict[str, Any]]:
    return [
        {
            "order": order,
            "label": rule.label,
            "min_improving": rule.min_improving,
            "max_worsening": rule.max_worsening,
            "counts_as_improving": rule.label in method.improving_labels,
        }
        for order, rule in enumerate(method.direction, start=1)
    ]


def band_rows(method: Methodology) -> list[dict[str, Any]]:
    high, middle, low = method.score_bands
    return [
        {"score": 4, "from": high, "below": None},
        {"score": 3, "from": middle, "below": high},
        {"score": 2, "from": low, "below": middle},
        {"score": 1, "from": 1.0, "below": low},
    ]


def outcome_rows(table: StarTable) -> list[dict[str, Any]]:
    """The published ratings the table must reproduce, their inputs in words."""
    areas = dict(ServiceArea.objects.values_list("code", "name"))
    rows = []
    for outcome in table.outcomes:
        judged = [f"{table.judgements[k].label} {v}" for k, v in outcome.judgements.items()]
        scored = [f"{_member_label(table, areas, k)} {v}" for k, v in outcome.scores.items()]
        rows.append(
            {
                "name": outcome.name,
                "stars": outcome.stars,
                "inputs": "; ".join([*judged, *scored]),
                "note": outcome.note,
                "citation": outcome.citation,
            }
        )
    return rows


def _member_label(table: StarTable, areas: Mapping[str, str], name: str) -> str:
    if name in table.blocks:
        return table.blocks[name].label
    if name in table.levels:
        return table.levels[name].label
    return areas.get(name, name)


def level_rows(table: StarTable) -> list[dict[str, Any]]:
    areas = dict(ServiceArea.objects.values_list("code", "name"))

    def named(member: str) -> str:
        if member in table.blocks:
            block = table.blocks[member]
            inside = ", ".join(areas.get(a, a) for a in block.areas)
            return f"{block.label} (the weakest of {inside})"
        if member in table.judgements:
            return f"{table.judgements[member].label} (judgement)"
        return areas.get(member, member)

    return [
        {
            "name": level.name,
            "label": level.label,
            "members": [named(m) for m in level.members],
            "min_scored": level.min_scored,
        }
        for level in table.levels.values()
    ]


@require_safe
def method_detail(request: HttpRequest, name: str) -> HttpResponse:
    method = method_or_404(name)
    indicators = indicator_rows(method)
    rules = rule_rows(method.stars)
    tables = {
        "indicators": lambda: Table(f"{name}-indicators", INDICATOR_COLUMNS, indicators),
        "rules": lambda: Table(f"{name}-star-rules", RULE_COLUMNS, rules),
        "direction": lambda: Table(f"{name}-direction", DIRECTION_COLUMNS, direction_rows(method)),
        "bands": lambda: Table(f"{name}-score-bands", BAND_COLUMNS, band_rows(method)),
        "polarity": lambda: Table(f"{name}-polarity", POLARITY_COLUMNS, polarity_rows(method)),
    }
    if download := respond(request, lambda: chosen_table(request, tables, "indicators")):
        return download
    return render(request, "assessment/method.html", method_context(method, indicators, rules))


def method_context(
    method: Methodology, indicators: list[dict[str, Any]], rules: list[dict[str, Any]]
) -> dict[str, Any]:
    runs = AssessmentRun.objects.of(method.name)
    catalogue = {i.code: i.name for i in Indicator.objects.all()}
    return {
        "method": method,
        "group_text": GROUPS.get(method.group, method.group),
        "stars_file": star_file(method),
        "file_name": Path(method.path).name,
        "areas": area_sections(method, indicators),
        "indicator_count": len(indicators),
        "polarity_rows": polarity_rows(method),
        "stated_count": len(method.stated_polarity),
        "contested_count": sum(s.contested for s in method.polarity),
        "unknown": [r for r in indicators if not r["known"]],
        "bands": band_rows(method),
        "levels": level_rows(method.stars),
        "outcomes": outcome_rows(method.stars),
        "judgements": list(method.stars.judgements.values()),
        "rules": rules,
        "inferred": sum(r["inferred"] for r in rules),
        "direction": direction_rows(method),
        "targets": [
            {"code": code, "name": catalogue.get(code, code), "target": target}
            for code, target in sorted(method.indicator_targets.items())
        ],
        "runs": runs.count(),
        "latest": runs.latest_run(),
    }
