"""The search page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ambition.web.tables import Column, Table, respond

from ..search import search

VALUE_COLUMNS = [
    Column("authority", "ONS code"),
    Column("authority_name", "Authority"),
    Column("indicator", "Indicator"),
    Column("period", "Period"),
    Column("value", "Value"),
    Column("status", "Status"),
]


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = search(query, request.user)
    rows = [
        {
            "authority": o.authority.code,
            "authority_name": o.authority.name,
            "indicator": o.indicator.code,
            "period": o.period.label,
            "value": o.value,
            "status": o.status,
        }
        for o in results.values
    ]
    if download := respond(request, lambda: Table("search", VALUE_COLUMNS, rows)):
        return download
    return render(request, "indicators/search.html", {"results": results, "query": query})
