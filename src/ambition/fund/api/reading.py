"""/api/v1/fund/budgets, /fund/applications and /fund/awards: the same rows as the pages.
Budgets and applications are the partnership's; awards and their impact are public, as
the 360Giving data is."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from ambition.accounts.gates import gate
from ambition.registry.api import Error, Page
from ambition.registry.models import Authority

from ..budgeting import pence
from ..impacts import award_impacts
from ..models import Application, ApplicationState, Award, Budget
from ..views.budgets import budget_row

router = Router(tags=["fund"])
PARTNERSHIP = "The fund's budgets and applications are for the partnership and its office"


class BudgetOut(Schema):
    id: int
    name: str
    year: int = Field(description="Financial year by the year it starts")
    programme: str
    source: str
    amount: Decimal = Field(description="GBP")
    committed: Decimal
    remaining: Decimal
    illustrative: bool


class TargetOut(Schema):
    indicator: str = Field(description="Indicator code")
    change: Decimal = Field(description="In the indicator's unit, signed as it should move")
    by_date: datetime.date | None
    by_period: str | None


class MilestoneOut(Schema):
    id: int
    title: str
    due: datetime.date
    amount: Decimal
    illustrative: bool


class ApplicationOut(Schema):
    id: int
    lead: str = Field(description="ONS code of the lead council")
    partners: list[str] = Field(description="ONS codes of partner councils")
    budget: int
    title: str
    purpose: str
    service_area: str | None
    amount: Decimal | None = Field(description="GBP requested; null: not published")
    state: ApplicationState
    submitted_at: datetime.datetime | None
    illustrative: bool
    targets: list[TargetOut]
    milestones: list[MilestoneOut]


class ApplicationFilter(Page):
    state: ApplicationState | None = None
    authority: str | None = Field(None, max_length=20, description="ONS code: led or partner")


class ApplicationList(Schema):
    count: int
    limit: int
    offset: int
    results: list[ApplicationOut]


class AwardOut(Schema):
    id: int
    application: int
    lead: str = Field(description="ONS code of the lead council")
    title: str
    programme: str
    budget: int
    decided_on: datetime.date
    amount: Decimal | None = Field(description="GBP now awarded; null: not published")
    awarded: Decimal | None = Field(description="GBP first awarded; null: not published")
    paid: Decimal
    returned: Decimal


class AwardList(Schema):
    count: int
    limit: int
    offset: int
    results: list[AwardOut]


class ImpactOut(Schema):
    indicator: str
    change: Decimal = Field(description="The target's change")
    status: str = Field(description="estimated, too early or not enough data")
    polarity: int | None
    treated_before: float | None
    treated_after: float | None
    comparators_before: float | None
    comparators_after: float | None
    comparators: int
    difference: float | None
    estimate: float | None = Field(description="Signed so that positive is better")
    lower: float | None
    upper: float | None
    level: float
    direction: str | None = Field(description="better, worse, no clear difference, unknown")


@router.get(
    "/fund/budgets",
    response={200: list[BudgetOut], 401: Error, 403: Error},
    auth=gate("fund.view_budget", PARTNERSHIP),
    summary="Every budget, with what it has committed and what remains",
)
def budgets(request: HttpRequest) -> list[dict[str, Any]]:
    return [budget_row(b) for b in Budget.objects.all()]


def application_out(a: Application) -> dict[str, Any]:
    return {
        **{k: getattr(a, k) for k in ("id", "title", "purpose", "state", "illustrative")},
        "submitted_at": a.submitted_at,
        "lead": a.lead.code,
        "partners": [p.authority.code for p in a.partners.all()],
        "budget": a.budget_id,
        "service_area": a.service_area.code if a.service_area else None,
        "amount": a.amount if a.amount_published else None,
        "targets": [
            {
                "indicator": t.indicator.code,
                "change": t.change,
                "by_date": t.by_date,
                "by_period": t.by_period.label if t.by_period else None,
            }
            for t in a.targets.all()
        ],
        "milestones": [
            {k: getattr(m, k) for k in ("id", "title", "due", "amount", "illustrative")}
            for m in a.milestones.all()
        ],
    }


def filtered(query: ApplicationFilter) -> QuerySet[Application]:
    rows = Application.objects.select_related("lead", "service_area")
    if query.state:
        rows = rows.filter(state=query.state)
    if query.authority:
        found = Authority.objects.filter(code=query.authority.upper()).first()
        involved = Application.objects.involving(found.pk) if found else Application.objects.none()
        rows = rows.filter(pk__in=involved.values("pk"))
    return rows


@router.get(
    "/fund/applications",
    response={200: ApplicationList, 401: Error, 403: Error, 422: Error},
    auth=gate("fund.view_application", PARTNERSHIP),
    summary="Applications for grants, newest first, with their targets and milestones",
)
def application_list(request: HttpRequest, query: Query[ApplicationFilter]) -> dict[str, Any]:
    rows = filtered(query)
    page = rows.prefetch_related(
        "partners__authority", "targets__indicator", "targets__by_period", "milestones"
    )
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [application_out(a) for a in page[query.offset : query.offset + query.limit]],
    }


def award_out(a: Award) -> dict[str, Any]:
    published = a.amount_published
    return {
        "id": a.pk,
        "application": a.application_id,
        "lead": a.application.lead.code,
        "title": a.application.title,
        "programme": a.budget.programme,
        "budget": a.budget_id,
        "decided_on": a.decided_on,
        "amount": a.amount if published else None,
        "awarded": a.awarded if published else None,
        "paid": pence(a.paid_to_date),
        "returned": pence(a.returned_to_date),
    }


@router.get(
    "/fund/awards",
    response={200: AwardList, 401: Error, 422: Error},
    summary="Every award (public): amounts, what has been paid and returned",
)
def award_list(request: HttpRequest, query: Query[Page]) -> dict[str, Any]:
    rows = Award.objects.select_related("application__lead", "budget")
    page = list(rows[query.offset : query.offset + query.limit])
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [award_out(a) for a in page],
    }


@router.get(
    "/fund/awards/{award_id}/impact",
    response={200: list[ImpactOut], 401: Error, 404: Error, 422: Error},
    summary="An award's impact on each target indicator, against comparable councils",
)
def award_impact(request: HttpRequest, award_id: int) -> list[dict[str, Any]]:
    award = get_object_or_404(Award, pk=award_id)
    return [
        {"indicator": f.indicator.code, "change": f.change, **f.impact.__dict__}
        for f in award_impacts(award)
    ]
