"""/api/v1/efficiency/progress: the members against their savings targets in a financial
year, the same figures as the overview page. For the partnership's officers, board and
office."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from ambition.accounts.gates import gate
from ambition.indicators.periods import FIRST_YEAR, chosen_year, financial_year, year_label
from ambition.registry.api import Error

from .. import progress
from ..models import VIEW_RETURNS

router = Router(tags=["efficiency"])


class YearQuery(Schema):
    year: int | None = Field(
        None, ge=FIRST_YEAR, le=2100, description="Financial year by the year it starts"
    )


class WorkstreamOut(Schema):
    workstream: str
    claimed: Decimal
    accepted: Decimal


class SummaryOut(Schema):
    code: str = Field(description="ONS code")
    name: str
    year: int
    budget: Decimal | None = Field(description="Latest net revenue budget (GBP); null: not known")
    illustrative: bool = Field(description="The budget is an invented demo figure")
    target: Decimal | None
    claimed: Decimal
    accepted: Decimal = Field(description="Counted for NI 179: accepted, cash-releasing, ongoing")
    flagged: Decimal = Field(description="Claims with an open flag")
    met: bool | None
    by_workstream: list[WorkstreamOut]


class ProgressOut(Schema):
    year: int
    label: str
    target: Decimal = Field(description="The sum of the members' known targets")
    claimed: Decimal
    accepted: Decimal
    flagged: Decimal
    without_budget: list[str] = Field(description="ONS codes of members with no budget")
    illustrative: bool
    members: list[SummaryOut]


def summary_out(s: progress.Summary) -> dict[str, Any]:
    streams = [
        {"workstream": w.workstream, "claimed": w.claimed, "accepted": w.accepted}
        for w in s.by_workstream
    ]
    return {**s.__dict__, "met": s.met, "by_workstream": streams}


@router.get(
    "/efficiency/progress",
    response={200: ProgressOut, 401: Error, 403: Error, 422: Error},
    auth=gate(VIEW_RETURNS, "Savings are for the partnership's members and its office"),
    summary="Each member's savings against its target in a financial year, and the total",
)
def get_progress(request: HttpRequest, query: Query[YearQuery]) -> dict[str, Any]:
    today = timezone.localdate()
    year = chosen_year(str(query.year or ""), today)
    if year is None:
        raise HttpError(
            422, f"year: a financial year from {FIRST_YEAR} to {financial_year(today) + 1}"
        )
    p = progress.partnership_progress(year)
    return {
        **{k: getattr(p, k) for k in ("year", "target", "claimed", "accepted", "flagged")},
        "label": year_label(year),
        "without_budget": list(p.without_budget),
        "illustrative": p.illustrative,
        "members": [summary_out(s) for s in p.members],
    }
