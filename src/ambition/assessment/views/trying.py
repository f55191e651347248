"""The try page, /assessment/methods/<name>/try/: anyone may choose judgements and service-area
scores and see the stars the methodology's star table gives them, the rule that fired and why.

A GET form, so it works without JavaScript and every what-if has an address that can be shared:
`?judgement=corporate_assessment:3&score=housing:2&score=level-2:3` (a block or level name sets
each of its members; an area named on its own wins). `?format=json` gives the API's JSON. The
scorecard's "try it" form is the same form, prefilled with the authority's run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..engine.stars import SCORES, StarInputError, StarTable
from ..methodology import Methodology
from ..trying import (
    held_back_rows,
    input_names,
    named,
    next_star_options,
    parsed_pairs,
    rating_by,
)
from .methods import method_or_404


def try_form(
    method: Methodology, values: Mapping[str, int | None], names: Mapping[str, str]
) -> dict[str, Any]:
    """The form's fields, prefilled with `values`: the judgements in one fieldset, then each
    level's service areas in a fieldset of its own."""
    table = method.stars
    fieldsets = []
    if table.judgements:
        fieldsets.append(_fieldset("Judgements", list(table.judgements), table, values, names))
    for level in table.levels.values():
        areas = [a for m in level.members for a in table.areas_of(m)]
        if areas:
            fieldsets.append(_fieldset(level.label, areas, table, values, names))
    return {
        "action": reverse("assessment-method-try", args=[method.name]),
        "method": method,
        "fieldsets": fieldsets,
        "levels": list(table.levels),
        "scores": list(SCORES),
    }


def _fieldset(
    legend: str,
    keys: list[str],
    table: StarTable,
    values: Mapping[str, int | None],
    names: Mapping[str, str],
) -> dict[str, Any]:
    fields = [
        {
            "input": key,
            "name": named(key, names),
            "judgement": key in table.judgements,
            "score": values.get(key),
        }
        for key in keys
    ]
    return {"legend": legend, "fields": fields}


def why_of(result: Mapping[str, Any], table: StarTable) -> dict[str, Any]:
    """A what-if's why in the scorecard's shape, for the same words."""
    names = result["names"]
    judged = set(table.judgements)
    options, more = next_star_options(result["to_next_star"], names, judged)
    return {
        "held_back": held_back_rows(result["held_back"], names, table),
        "options": options,
        "more_options": more,
        "missing": [{**m, "name": named(m["input"], names)} for m in result["missing"]],
        "left_out": [named(a, names) for a in result["left_out"]],
    }


@require_safe
def method_try(request: HttpRequest, name: str) -> HttpResponse:
    method = method_or_404(name)
    try:
        judgements = parsed_pairs(request.GET.getlist("judgement"))
        result = rating_by(method, judgements, parsed_pairs(request.GET.getlist("score")))
    except StarInputError as error:
        form = try_form(method, {}, input_names(method.stars))
        context = {"method": method, "error": str(error), "try_form": form}
        return render(request, "assessment/try.html", context, status=400)
    if request.GET.get("format") == "json":
        return JsonResponse(result)
    values = {row["input"]: row["score"] for row in result["inputs"]}
    asked = "judgement" in request.GET or "score" in request.GET
    context = {
        "method": method,
        "result": result if asked else None,
        "why": why_of(result, method.stars),
        "try_form": try_form(method, values, result["names"]),
    }
    return render(request, "assessment/try.html", context)
