"""Pages of the registry: the list of authorities and the sources of the shipped data; the
members' table, which the public site's home page shows (ambition.reports)."""

from __future__ import annotations

from typing import Any

import markdown
from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe
from pydantic import ValidationError

from ambition.web.tables import Column, Table, respond

from .listing import AuthorityFilter
from .models import AGGREGATE_KINDS, Authority, AuthorityKind, Partnership

MEMBER_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("kind", "Type"),
    Column("inner_outer", "Inner or outer London"),
    Column("sub_region", "Sub-region"),
    Column("population", "Population"),
    Column("population_period", "Population estimate year"),
    Column("control", "Political control"),
    Column("control_year", "Control as at"),
]
POPULATION_KEY = "gla-population-estimate"


def member_rows(partnership: Partnership) -> list[dict[str, Any]]:
    members = (
        Authority.objects.members(partnership=partnership)
        .prefetch_related("profile", "control")
        .order_by("name")
    )
    rows = []
    for a in members:
        population = next((f for f in a.profile.all() if f.key == POPULATION_KEY), None)
        control = next(iter(a.control.all()), None)
        rows.append(
            {
                "code": a.code,
                "name": a.name,
                "kind": a.get_kind_display(),
                "inner_outer": a.inner_outer,
                "sub_region": a.sub_region,
                "population": population.value if population else None,
                "population_period": population.period if population else "",
                "control": control.control if control else "",
                "control_year": control.year if control else None,
                "url": a.get_absolute_url(),
            }
        )
    return rows


def current_partnership() -> Partnership:
    """The partnership the site serves; a 404 (not an error page) before it is loaded."""
    try:
        return Partnership.objects.current()
    except Partnership.DoesNotExist as missing:
        raise Http404(str(missing)) from None


AUTHORITY_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("kind", "Type"),
    Column("region", "Region"),
    Column("snac", "Old SNAC code"),
    Column("current", "Current"),
]


@require_safe
def authority_list(request: HttpRequest) -> HttpResponse:
    try:
        chosen = AuthorityFilter.model_validate(
            {k: v for k in AuthorityFilter.model_fields if (v := request.GET.get(k))}
        )
    except ValidationError:
        return HttpResponseBadRequest(
            "The filters are not valid: current and aggregates are yes or no."
        )
    qs = chosen.authorities()

    def table() -> Table:
        return Table(
            "authorities",
            AUTHORITY_COLUMNS,
            [
                {
                    "code": a.code,
                    "name": a.name,
                    "kind": a.get_kind_display(),
                    "region": a.region,
                    "snac": a.snac,
                    "current": a.end_date is None,
                }
                for a in qs
            ],
        )

    if download := respond(request, table):
        return download
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    regions = (
        Authority.objects.councils()
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")
    )
    return render(
        request,
        "registry/authority_list.html",
        {
            "page_obj": page,
            "kinds": [k for k in AuthorityKind if k not in AGGREGATE_KINDS],
            "regions": regions,
            "selected": chosen.model_dump(),
            "count": qs.count(),
        },
    )


@require_safe
def boundaries_topojson(request: HttpRequest) -> FileResponse:
    path = settings.DATA_DIR / "registry" / "london_boroughs.topo.json"
    if not path.exists():
        raise Http404("no boundaries shipped")
    response = FileResponse(path.open("rb"), content_type="application/json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def about_data(request: HttpRequest) -> HttpResponse:
    readme = settings.DATA_DIR / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "No data notes are shipped."
    return render(
        request,
        "registry/about_data.html",
        {
            "readme_html": markdown.markdown(text, extensions=["tables"]),
        },
    )
