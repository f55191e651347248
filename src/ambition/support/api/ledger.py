"""/api/v1/support/ledger: every member's give and take in one financial year, per kind,
with the partnership's averages: the same figures as the ledger page, and as public."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from ambition.accounts.tokens import TokenAuth
from ambition.indicators.periods import FIRST_YEAR, chosen_year, financial_year, year_label
from ambition.registry.api import Error

from .. import bookkeeping

router = Router(tags=["support"])


class LedgerQuery(Schema):
    year: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=2100,  # the schema's outer bound; the pages' rule (up to next year) is checked below
        description="Financial year by the year it starts (2025: 2025-26); this one by default",
    )


class KindTotals(Schema):
    gave: Decimal
    took: Decimal
    balance: Decimal


class PositionOut(Schema):
    code: str = Field(description="ONS code")
    name: str
    kinds: dict[str, KindTotals] = Field(description="Kind -> gave, took and balance")


class AverageOut(Schema):
    gave: Decimal = Field(description="Mean over the members")
    took: Decimal


class LedgerOut(Schema):
    year: int
    label: str = Field(description="e.g. 2025-26")
    units: dict[str, str] = Field(description="Kind -> days, GBP or items")
    averages: dict[str, AverageOut]
    members: list[PositionOut]


def position_out(p: bookkeeping.Position) -> dict[str, Any]:
    kinds = {k: {"gave": p.gave[k], "took": p.took[k], "balance": p.balance(k)} for k in p.gave}
    return {"code": p.authority.code, "name": p.authority.name, "kinds": kinds}


@router.get(
    "/support/ledger",
    response={200: LedgerOut, 401: Error, 403: Error, 422: Error},
    auth=[TokenAuth(), django_auth],
    summary="What each member gave and took in a financial year, with the averages",
)
def ledger_year(request: HttpRequest, query: Query[LedgerQuery]) -> dict[str, Any]:
    """The partnership's own business: for its members' officers, the board and the office."""
    if not request.user.has_perm("support.view_supportrequest"):
        raise HttpError(403, "The ledger is for the partnership's members and its office")
    today = timezone.localdate()
    year = chosen_year(str(query.year or ""), today)
    if year is None:  # the ledger pages' rule, so the page and the API refuse the same years
        raise HttpError(
            422, f"A year is a financial year from {FIRST_YEAR} to {financial_year(today) + 1}"
        )
    means = bookkeeping.averages(year)
    return {
        "year": year,
        "label": year_label(year),
        "units": dict(bookkeeping.UNITS),
        "averages": {k: {"gave": g, "took": t} for k, (g, t) in means.items()},
        "members": [position_out(p) for p in bookkeeping.positions(year)],
    }


__all__ = ["router"]
