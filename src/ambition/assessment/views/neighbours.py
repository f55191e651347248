"""An authority's comparators: its computed nearest neighbours (among every English council
of its tier, and among the partnership's members) and the published lists it appears in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ambition.registry.models import Authority
from ambition.web.parameters import whole_number
from ambition.web.tables import Column, Table, respond

from ..groups import (
    AMONG,
    DFE_KEY,
    MAX_K,
    OFLOG_KEY,
    NoNeighbours,
    neighbours_of,
    published_of,
)
from ..models import ComparatorSet
from ..profiles import NeighbourMethod, VariableSet, load_method

PEER_COLUMNS = [
    Column("rank", "Rank"),
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("kind_name", "Type"),
    Column("region", "Region"),
]
COMPUTED_COLUMNS = [
    *PEER_COLUMNS,
    Column("distance", "Distance"),
    Column("variables_used", "Variables compared"),
]
PUBLISHED_COLUMNS = [*PEER_COLUMNS, Column("closeness", "Closeness (as published)")]


@dataclass
class Section:
    """One table of the page: its rows, or why there are none."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    missing: str = ""


def computed_section(
    authority: Authority, method: NeighbourMethod, chosen: VariableSet, among: str, k: int
) -> Section:
    title = "Among English councils of its tier" if among == "england" else "Among members"
    section = Section(among, title, COMPUTED_COLUMNS)
    try:
        found = neighbours_of(authority, method, chosen, among, k)
    except NoNeighbours as reason:
        section.missing = f"No computed neighbours: {reason}."
        return section
    section.rows = found.rows
    others = found.pool_size - 1
    if among == "england":
        section.title = f"Among England's {found.tier.name}"
        section.note = f"The {len(found.rows)} nearest of the {others} other {found.tier.name}."
    else:
        section.note = f"The {len(found.rows)} nearest of the {others} other members of its tier."
    return section


def published_section(authority: Authority, key: str) -> Section:
    published = ComparatorSet.objects.filter(key=key).first()
    title = published.name if published else key
    section = Section(key.split("-")[0], title, PUBLISHED_COLUMNS)
    if published is None:
        section.missing = "This list is not loaded."
        return section
    section.rows = published_of(authority, key)
    section.note = published.notes
    if not section.rows:
        section.missing = f"{published.name} has no list for {authority.name}."
    return section


def chosen_set(request: HttpRequest, method: NeighbourMethod) -> VariableSet:
    key = request.GET.get("set") or method.default_set
    if key not in method.sets:
        raise Http404("No such variable set")
    return method.sets[key]


def chosen_k(request: HttpRequest, method: NeighbourMethod) -> int:
    # A number beyond the bound is read as the bound; anything else as the method's own k.
    k = whole_number(request.GET.get("k"), 0, 10**9)
    return method.k if k is None else min(max(k, 1), MAX_K)


@require_safe
def authority_neighbours(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    method = load_method()
    chosen, k = chosen_set(request, method), chosen_k(request, method)
    sections = [
        computed_section(authority, method, chosen, "england", k),
        computed_section(authority, method, chosen, "members", k),
        published_section(authority, DFE_KEY),
        published_section(authority, OFLOG_KEY),
    ]
    if download := respond(request, lambda: download_table(request, authority, sections, chosen)):
        return download
    tier = method.tier_of(authority.kind)
    return render(
        request,
        "assessment/neighbours.html",
        {
            "authority": authority,
            "method": method,
            "chosen": chosen,
            "k": k,
            "max_k": MAX_K,
            "tier": tier,
            "sets": [s for s in method.sets.values() if tier is None or s.applies_to(tier)],
            "sections": sections,
            "among": AMONG,
        },
    )


def download_table(
    request: HttpRequest, authority: Authority, sections: list[Section], chosen: VariableSet
) -> Table:
    """The table `?table=` names (england, members, dfe, oflog); the first by default."""
    wanted = request.GET.get("table", sections[0].key)
    section = next((s for s in sections if s.key == wanted), None)
    if section is None:
        raise Http404("No such table")
    return Table(
        f"{authority.code}-neighbours-{section.key}",
        section.columns,
        section.rows,
        meta={"authority": authority.code, "table": section.title, "variable_set": chosen.key},
    )
