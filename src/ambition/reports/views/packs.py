"""The review pack pages: one member's pack (board members, the office and administrators
read every member's; a council officer their own), and every member on one page. Each is
also a PDF of the same template, and each table downloads as CSV or JSON."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ambition.indicators.periods import year_label
from ambition.registry.models import Authority
from ambition.support.views.ledger import chosen_year
from ambition.web.tables import requested_format, respond

from ..pack import basis_for, build_pack, build_partnership, default_year, is_member
from ..pdf import render_pdf
from .downloads import pack_table, partnership_table

VIEW_PACK = "reports.view_reviewpack"
VIEW_PARTNERSHIP = "reports.view_partnershippack"
YEARS_OFFERED = 6
PACK_TEMPLATE = "reports/review_pack.html"
PARTNERSHIP_TEMPLATE = "reports/partnership_pack.html"


def year_choices(year: int) -> list[tuple[int, str]]:
    latest = default_year()
    years = sorted({year, *range(latest - YEARS_OFFERED + 1, latest + 1)}, reverse=True)
    return [(y, year_label(y)) for y in years]


def wants_pdf(request: HttpRequest, as_pdf: bool) -> bool:
    return as_pdf or request.GET.get("format", "").lower() == "pdf"


def pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def page_or_pdf(
    request: HttpRequest, template: str, context: dict[str, Any], pdf: bool, name: str
) -> HttpResponse:
    if pdf:
        return pdf_response(render_pdf(template, context, request), name)
    return render(request, template, {**context, "layout": "web/base.html", "printing": False})


@login_required
@permission_required(VIEW_PACK, raise_exception=True)
@require_safe
def review_pack(request: HttpRequest, code: str, as_pdf: bool = False) -> HttpResponse:
    authority = get_object_or_404(Authority, code=code.upper())
    if not request.user.has_perm(VIEW_PACK, authority):
        raise PermissionDenied("A council officer reads their own authority's pack only")
    year = chosen_year(request)
    if not is_member(authority, year):
        raise Http404(f"{authority.name} was not a member of the partnership that year")
    downloading = requested_format(request) is not None
    pack = build_pack(authority, basis_for(year), chart=not downloading)
    if download := respond(request, lambda: pack_table(request, pack)):
        return download
    context = {"pack": pack, "year": year, "years": year_choices(year)}
    name = f"{authority.code}-review-pack-{pack.year_label}"
    return page_or_pdf(request, PACK_TEMPLATE, context, wants_pdf(request, as_pdf), name)


@login_required
@permission_required(VIEW_PARTNERSHIP, raise_exception=True)
@require_safe
def partnership_pack(request: HttpRequest, as_pdf: bool = False) -> HttpResponse:
    year = chosen_year(request)
    downloading = requested_format(request) is not None
    pack = build_partnership(basis_for(year), chart=not downloading)
    if download := respond(request, lambda: partnership_table(request, pack)):
        return download
    context = {"pack": pack, "year": year, "years": year_choices(year)}
    name = f"review-packs-{pack.year_label}"
    return page_or_pdf(request, PARTNERSHIP_TEMPLATE, context, wants_pdf(request, as_pdf), name)
