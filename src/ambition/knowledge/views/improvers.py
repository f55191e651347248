"""The page "who improved on this, and what did they do", for an indicator or a service area,
and the same answer as a section that the indicator and scorecard pages load with htmx."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from ambition.accounts.models import RoleGrant
from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority
from ambition.web import charts
from ambition.web.tables import Column, Table, respond

from ..improvers import Improved, improved_in, improved_on

COLUMNS = [
    Column("tier", "Group"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("run", "Assessment run"),
    Column("value", "Latest value"),
    Column("period", "Period"),
    Column("slope", "Trend per year"),
    Column("gain", "Better by, per year"),
    Column("p_value", "p-value"),
    Column("significant", "Significant"),
    Column("evidence", "Evidence"),
    Column("improving", "Indicators improving"),
    Column("worsening", "Indicators worsening"),
    Column("judged", "Indicators judged"),
    Column("case_studies", "Case studies"),
    Column("grants", "Grants"),
]


def viewer_of(request: HttpRequest) -> Authority | None:
    """The council whose nearest neighbours come first: the one asked for, else the one the
    person acts for."""
    code = request.GET.get("authority", "").strip().upper()
    if code:
        return get_object_or_404(Authority, code=code)
    return RoleGrant.objects.home_authority(request.user)


def rows(answer: Improved) -> list[dict[str, Any]]:
    return [
        {
            "tier": tier.title,
            "code": i.authority.code,
            "authority": i.authority.name,
            "run": tier.run.pk if tier.run else None,
            "value": i.value,
            "period": i.period,
            "slope": i.slope,
            "gain": i.gain,
            "p_value": i.p_value,
            "significant": i.significant,
            "evidence": i.evidence,
            "improving": i.improving,
            "worsening": i.worsening,
            "judged": i.judged,
            "case_studies": "; ".join(c.title for c in i.case_studies),
            "grants": "; ".join(g.application.title for g in i.grants),
        }
        for tier in answer.tiers
        for i in tier.improvers
    ]


@require_safe
def improvers(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if code := request.GET.get("indicator", "").strip():
        indicator = get_object_or_404(Indicator.objects.select_related("service_area"), code=code)
        answer = improved_on(indicator, viewer, request.user)
        subject = charts.mid_sentence(indicator.name)
    elif code := request.GET.get("area", "").strip():
        area = get_object_or_404(ServiceArea, code=code)
        answer = improved_in(area, viewer, request.user)
        subject = charts.mid_sentence(area.name)
    else:
        return HttpResponseBadRequest("Name an indicator (?indicator=) or a service area (?area=).")
    slug = answer.indicator.code if answer.indicator else answer.area.code
    if download := respond(request, lambda: Table(f"improved-on-{slug}", COLUMNS, rows(answer))):
        return download
    context = {"answer": answer, "subject": subject}
    if request.headers.get("HX-Request"):
        response = render(
            request, "knowledge/improvers_section.html", {**context, "heading_level": 3}
        )
    else:
        authorities = Authority.objects.councils().filter(end_date__isnull=True).order_by("name")
        response = render(
            request, "knowledge/improvers.html", {**context, "authorities": authorities}
        )
    # The same address answers a whole page or, to htmx, a section: caches must keep both.
    patch_vary_headers(response, ["HX-Request"])
    return response
