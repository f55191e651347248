"""The overview (the members against their targets, and by workstream and year) and an
authority's page (its budgets, targets, returns and flags). For the partnership's
officers, board and office; an officer sees another council's totals on the overview but
only their own council's returns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ambition.indicators.periods import chosen_year, year_label
from ambition.registry.models import Authority
from ambition.web.tables import Table, respond

from .. import charts, progress
from ..models import VIEW_RETURNS, Flag, NetBudget, SavingsReturn
from ..targets import max_claim_share, target_share
from . import tables


def year_asked(request: HttpRequest) -> int:
    year = chosen_year(request.GET.get("year"), timezone.localdate())
    if year is None:
        raise Http404("No such financial year")
    return year


def shares() -> dict[str, object]:
    return {"target_share": target_share() * 100, "max_share": max_claim_share() * 100}


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_RETURNS):
        raise PermissionDenied
    year = year_asked(request)
    partnership = progress.partnership_progress(year)
    rows = [tables.summary_row(s) for s in partnership.members]
    years = sorted(set(progress.years_with_figures()) | {year})
    by_stream = progress.by_workstream_and_year(years)
    streams = [tables.workstream_row(r) for r in by_stream]
    wanted = request.GET.get("table", "authorities")
    if download := respond(
        request,
        lambda: (
            Table("efficiency-workstreams", tables.WORKSTREAM_COLUMNS, streams)
            if wanted == "workstreams"
            else Table(f"efficiency-{year}", tables.SUMMARY_COLUMNS, rows)
        ),
    ):
        return download
    context = {
        "year": year,
        "label": year_label(year),
        "years": years,
        "partnership": partnership,
        "rows": rows,
        "streams": streams,
        "target_chart": charts.against_target(partnership.members, year),
        "workstream_chart": charts.by_workstream(by_stream),
        "may_review": request.user.has_perm("efficiency.change_savingsreturn"),
        "may_return": request.user.has_perm("efficiency.add_savingsreturn"),
        "may_import": request.user.has_perm("efficiency.add_netbudget"),
        **shares(),
    }
    return render(request, "efficiency/overview.html", context)


def authority_tables(authority: Authority) -> dict[str, Table]:
    years = progress.years_with_figures()
    summaries = [tables.summary_row(progress.authority_summary(authority, y)) for y in years]
    budgets = NetBudget.objects.filter(authority=authority).select_related("authority")
    returns = SavingsReturn.objects.filter(authority=authority).select_related("authority")
    flags = Flag.objects.filter(savings_return__authority=authority).select_related(
        "savings_return__authority", "line__savings_return"
    )
    code = authority.code
    return {
        "progress": Table(f"efficiency-{code}", tables.SUMMARY_COLUMNS, summaries),
        "budgets": Table(
            f"efficiency-{code}-budgets",
            tables.BUDGET_COLUMNS,
            [tables.budget_row(b) for b in budgets],
        ),
        "returns": Table(
            f"efficiency-{code}-returns",
            tables.RETURN_COLUMNS,
            [tables.return_row(r) for r in returns],
        ),
        "flags": Table(
            f"efficiency-{code}-flags", tables.FLAG_COLUMNS, [tables.flag_row(f) for f in flags]
        ),
    }


@login_required
@require_safe
def authority_page(request: HttpRequest, code: str) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    if not request.user.has_perm(VIEW_RETURNS, authority):
        raise PermissionDenied
    year = year_asked(request)
    found = authority_tables(authority)
    wanted = found.get(request.GET.get("table", "progress"), found["progress"])
    if download := respond(request, lambda: wanted):
        return download
    summary = progress.authority_summary(authority, year)
    context = {
        "authority": authority,
        "year": year,
        "label": year_label(year),
        "summary": summary,
        "tables": {name: list(t.rows) for name, t in found.items()},
        "illustrative": any(r["illustrative"] for t in found.values() for r in t.rows),
        "may_return": request.user.has_perm("efficiency.add_savingsreturn", authority),
        **shares(),
    }
    return render(request, "efficiency/authority.html", context)
