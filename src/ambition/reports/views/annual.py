"""The annual report of a financial year: a public page and its PDF from the same template,
made from the stored data alone (published data only)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_safe

from ambition.indicators.periods import FIRST_YEAR, financial_year

from ..annual import build_annual
from ..documents import ANNUAL_TEMPLATE
from .packs import page_or_pdf, wants_pdf


def last_whole_year() -> int:
    """The latest financial year that has ended: the one an annual report is written for."""
    return financial_year(timezone.localdate()) - 1


@require_safe
def annual_latest(request: HttpRequest) -> HttpResponse:
    return redirect("reports-annual", year=last_whole_year())


@require_safe
def annual_report(request: HttpRequest, year: int, as_pdf: bool = False) -> HttpResponse:
    if not FIRST_YEAR <= year <= financial_year(timezone.localdate()):
        raise Http404("An annual report is for a financial year from 2000 to this one")
    report = build_annual(year)
    latest = financial_year(timezone.localdate())
    context = {
        "report": report,
        "years": [y for y in range(latest, latest - 6, -1)],
    }
    pdf = wants_pdf(request, as_pdf)
    if pdf:  # a printed link leads back to this site
        context["site"] = request.build_absolute_uri("/").rstrip("/")
    name = f"annual-report-{report.label}"
    return page_or_pdf(request, ANNUAL_TEMPLATE, context, pdf, name)
