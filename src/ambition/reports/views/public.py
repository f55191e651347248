"""The public site's pages for residents: how one council is doing, in words a resident
reads, and the open-data catalogue. Both work without signing in and show published data
only: ratings from the assessment run the dashboard shows, published observations, the
ledger's totals, and grants with their published amounts."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ambition.assessment.views.runs import chosen_table
from ambition.indicators.periods import year_label
from ambition.registry.models import Authority
from ambition.support.views.ledger import chosen_year, years_known
from ambition.web.tables import Column, Table, respond

from ..catalogue import datasets
from ..pack import is_member
from ..pack.exchange import give_take_of, support_received, year_basis
from ..pack.money import grant_years, grants_received
from ..pack.performance import latest_run, performance_of
from ..residents import residents_views

VIEW_COLUMNS = [
    Column("indicator", "Indicator code"),
    Column("name", "Question"),
    Column("period", "Period"),
    Column("value", "Value"),
    Column("lower", "95% interval, lower"),
    Column("upper", "95% interval, upper"),
    Column("london", "London"),
    Column("comparison", "Compared with London"),
]
LEDGER_COLUMNS = [
    Column("kind", "What"),
    Column("unit", "Unit"),
    Column("gave", "Gave"),
    Column("took", "Took"),
    Column("mean_gave", "Members' average given"),
    Column("mean_took", "Members' average taken"),
]
GRANT_COLUMNS = [
    Column("title", "Grant"),
    Column("programme", "Programme"),
    Column("decided_on", "Decided on"),
    Column("amount", "Amount (GBP)"),
    Column("paid_in_year", "Paid in the year (GBP)"),
    Column("illustrative", "Illustrative figures"),
]
CATALOGUE_COLUMNS = [
    Column("name", "Dataset"),
    Column("publisher", "Publisher"),
    Column("licence", "Licence"),
    Column("source", "Source"),
    Column("updated", "Last updated"),
    Column("page", "Page"),
    Column("downloads", "Downloads"),
]


def council_tables(code: str, year: int, views: Any, lines: Any, grants: Any) -> dict[str, Any]:
    label = year_label(year)
    view_rows = [
        {
            "indicator": v.indicator.code,
            "name": v.indicator.name,
            "period": v.period,
            "value": v.value,
            "lower": v.lower,
            "upper": v.upper,
            "london": v.london,
            "comparison": v.comparison,
        }
        for v in views
    ]
    ledger_rows = [
        {
            "kind": line.label,
            "unit": line.unit,
            "gave": line.gave,
            "took": line.took,
            "mean_gave": line.mean_gave,
            "mean_took": line.mean_took,
        }
        for line in lines
    ]
    grant_rows = [
        {**g.__dict__, "paid_in_year": g.paid_in_year, "amount": g.amount} for g in grants
    ]
    return {
        "views": lambda: Table(f"{code}-residents-views", VIEW_COLUMNS, view_rows),
        "ledger": lambda: Table(f"{code}-give-and-take-{label}", LEDGER_COLUMNS, ledger_rows),
        "grants": lambda: Table(f"{code}-grants-{label}", GRANT_COLUMNS, grant_rows),
    }


@require_safe
def council(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    year = chosen_year(request)
    if not is_member(authority):
        raise Http404(f"{authority.name} is not a member of the partnership")
    views = residents_views(authority)
    give_take = give_take_of(authority, year_basis(year), chart=False)
    grants = grants_received(authority, year)
    tables = council_tables(authority.code, year, views, give_take.lines, grants)
    if download := respond(request, lambda: chosen_table(request, tables, "views")):
        return download
    context = {
        "authority": authority,
        "year": year,
        "year_label": year_label(year),
        "performance": performance_of(authority, latest_run()),
        "views": views,
        "any_illustrative": any(v.illustrative for v in views),
        "give_take": give_take,
        "received": support_received(authority, year),
        "grants": grants,
        "years": [
            (y, year_label(y))
            for y in sorted(set(years_known(authority)) | grant_years(authority), reverse=True)
        ],
        "other_years": [
            (y, year_label(y)) for y in years_known(authority, current=False) if y != year
        ],
    }
    return render(request, "reports/public/council.html", context)


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    found = datasets()
    rows = [{**d.__dict__, "downloads": "; ".join(u for _, u in d.downloads)} for d in found]
    if download := respond(request, lambda: Table("data-catalogue", CATALOGUE_COLUMNS, rows)):
        return download
    return render(request, "reports/public/catalogue.html", {"datasets": found})
