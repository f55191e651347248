"""/api/v1/authorities/{code}/nearest-neighbours: an authority's computed nearest
neighbours, nearest first, with their distances and the variables they were computed on."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from ambition.registry.api import Error
from ambition.registry.models import Authority

from ..groups import MAX_K, NoNeighbours, neighbours_of
from ..profiles import Variable, load_method

router = Router(tags=["comparators"])


class NeighbourQuery(Schema):
    k: int | None = Field(
        None, ge=1, le=MAX_K, description="How many, 1 to 50 (the methodology's default: 15)"
    )
    set: str | None = Field(
        None,
        description="Variable set, e.g. general or childrens-services (default: general)",
        max_length=60,
    )
    among: Literal["england", "members"] = Field(
        "england",
        description="england: every current English council of its tier; "
        "members: the partnership's members",
    )


class VariableOut(Schema):
    key: str
    label: str
    source: str = Field(description="profile:<figure key> or indicator:<indicator code>")
    weight: float
    transform: str


class NeighbourOut(Schema):
    rank: int
    code: str
    name: str
    kind: str
    kind_name: str
    region: str
    distance: float = Field(description="Weighted Euclidean distance of standardised values")
    variables_used: int = Field(description="Variables both authorities have figures for")
    url: str


class NearestNeighbours(Schema):
    code: str
    name: str
    variable_set: str
    variable_set_name: str
    tier: str
    among: str
    pool_size: int = Field(description="Authorities compared, the focus included")
    k: int
    methodology_version: str
    methodology_sha256: str
    variables: list[VariableOut]
    results: list[NeighbourOut]


def variable_out(v: Variable) -> dict[str, Any]:
    return {
        "key": v.key,
        "label": v.label,
        "source": v.source,
        "weight": v.weight,
        "transform": v.transform,
    }


@router.get(
    "/authorities/{code}/nearest-neighbours",
    response={200: NearestNeighbours, 401: Error, 404: Error, 422: Error},
    summary="An authority's nearest neighbours",
)
def nearest_neighbours(
    request: HttpRequest, code: str, query: Query[NeighbourQuery]
) -> dict[str, Any]:
    """Computed from the methodology's profile variables among the authorities of the same
    tier (or the partnership's members), nearest first. 404 when the authority is unknown
    or is not compared (aggregates, former councils, bodies of no tier)."""
    authority = get_object_or_404(Authority, code=code.upper())
    method = load_method()
    if query.set is not None and query.set not in method.sets:
        raise HttpError(422, f"set: no variable set {query.set!r}; sets: {sorted(method.sets)}")
    variable_set = method.variable_set(query.set)
    k = query.k or method.k
    try:
        found = neighbours_of(authority, method, variable_set, query.among, k)
    except NoNeighbours as reason:
        raise HttpError(404, str(reason)) from reason
    return {
        "code": authority.code,
        "name": authority.name,
        "variable_set": variable_set.key,
        "variable_set_name": variable_set.name,
        "tier": found.tier.key,
        "among": found.among,
        "pool_size": found.pool_size,
        "k": k,
        "methodology_version": method.version,
        "methodology_sha256": method.sha256,
        "variables": [variable_out(v) for v in variable_set.variables],
        "results": found.rows,
    }
