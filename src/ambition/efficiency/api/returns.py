"""/api/v1/efficiency/returns: read the savings returns one may see, and submit one (a
council's own systems), with the page's permission checks: an officer returns only for
their own council. Bad input is a 422 naming the field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator, model_validator

from ambition.accounts.gates import gate
from ambition.indicators.periods import FIRST_YEAR, financial_year
from ambition.registry.api import Error, Page, Text, authority_named

from .. import submission
from ..models import (
    VIEW_RETURNS,
    Recurrence,
    SavingsLine,
    SavingsReturn,
    Workstream,
    category_choices,
)

router = Router(tags=["efficiency"])
ADD = "efficiency.add_savingsreturn"


class ReturnFilter(Page):
    authority: str | None = Field(None, max_length=20, description="ONS code")
    year: int | None = Field(None, ge=FIRST_YEAR, le=2100)


class LineIn(Text):
    workstream: Workstream
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="GBP")
    cash_releasing: bool = True
    recurrence: Recurrence
    started: datetime.date
    ends: datetime.date | None = None
    description: str = Field(min_length=1, max_length=5000)
    evidence: str = Field(min_length=1, max_length=5000)
    evidence_url: str = Field("", max_length=500)
    category: str = Field(
        "",
        max_length=40,
        description="For a procurement saving: the code of the procurement category it was "
        "made in (the spend rules' codes); the council's spend there is checked against it",
    )

    @field_validator("category")
    @classmethod
    def known_category(cls, value: str) -> str:
        if value and value not in dict(category_choices()):
            raise ValueError(f"no procurement category {value!r}")
        return value

    @model_validator(mode="after")
    def ends_after_start(self) -> LineIn:
        if self.ends is not None and self.ends < self.started:
            raise ValueError("ends: must be on or after started")
        if self.category and self.workstream != Workstream.PROCUREMENT:
            raise ValueError("category: only for a procurement saving")
        return self


class ReturnIn(Text):
    authority: str = Field(max_length=20, description="ONS code")
    year: int = Field(ge=FIRST_YEAR, le=2100, description="Financial year by the year it starts")
    lines: list[LineIn] = Field(min_length=1, max_length=20)


class FlagOut(Schema):
    id: int
    line: int | None
    kind: str = Field(
        description="too-large, no-budget, duplicate, one-off, spend-not-borne-out or no-spend-data"
    )
    reason: str
    state: str = Field(description="open, accepted or upheld")


class SpendYearOut(Schema):
    year: int = Field(description="Financial year by the year it starts")
    amount: Decimal = Field(description="GBP")
    transactions: int
    full: bool = Field(description="The spend data covers the whole year")


class LineOut(Schema):
    id: int
    workstream: str
    amount: Decimal
    cash_releasing: bool
    recurrence: str
    started: datetime.date
    ends: datetime.date | None
    description: str
    evidence: str
    evidence_url: str
    category: str = Field(description="A procurement line's category code, or empty")
    spend: list[SpendYearOut] = Field(
        description="The council's spend in the category by financial year, as checked"
    )
    spend_verdict: str | None = Field(
        description="borne-out, spend-not-borne-out or no-spend-data; null when not checked"
    )


class ReturnOut(Schema):
    id: int
    authority: str = Field(description="ONS code")
    year: int
    state: str = Field(description="submitted, flagged, accepted or withdrawn")
    illustrative: bool
    submitted_at: datetime.datetime
    lines: list[LineOut]
    flags: list[FlagOut]


class ReturnList(Schema):
    count: int
    limit: int
    offset: int
    results: list[ReturnOut]


def return_out(r: SavingsReturn) -> dict[str, Any]:
    return {
        "id": r.pk,
        "authority": r.authority.code,
        "year": r.year,
        "state": r.state,
        "illustrative": r.illustrative,
        "submitted_at": r.submitted_at,
        "lines": [line_out(line) for line in r.lines.all()],
        "flags": [
            {"id": f.pk, "line": f.line_id, "kind": f.kind, "reason": f.reason, "state": f.state}
            for f in r.flags.all()
        ],
    }


LINE_FIELDS = (
    "id",
    "workstream",
    "amount",
    "cash_releasing",
    "recurrence",
    "started",
    "ends",
    "description",
    "evidence",
    "evidence_url",
    "category",
)


def line_out(line: SavingsLine) -> dict[str, Any]:
    compared = submission.spend_comparison(line)
    return {
        **{f: getattr(line, f) for f in LINE_FIELDS},
        "spend": line.category_spend,
        "spend_verdict": None if compared is None else compared.kind,
    }


@router.get(
    "/efficiency/returns",
    response={200: ReturnList, 401: Error, 403: Error, 422: Error},
    auth=gate(VIEW_RETURNS, "Savings returns are for the partnership's members and its office"),
    summary="Savings returns: every one for the office and board, an officer's own council's",
)
def list_returns(request: HttpRequest, query: Query[ReturnFilter]) -> dict[str, Any]:
    rows = SavingsReturn.objects.visible_to(request.user).select_related("authority")
    if query.authority:
        rows = rows.filter(authority__code=query.authority.upper())
    if query.year is not None:
        rows = rows.filter(year=query.year)
    page = rows.prefetch_related("lines", "flags")[query.offset : query.offset + query.limit]
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [return_out(r) for r in page],
    }


@router.post(
    "/efficiency/returns",
    response={201: ReturnOut, 400: Error, 401: Error, 403: Error, 422: Error},
    auth=gate(ADD, "Savings returns are made by councils' officers and the office"),
    summary="Submit a savings return; the checks' flags come back with it",
)
def post_return(request: HttpRequest, body: ReturnIn) -> Status[dict[str, Any]]:
    authority = authority_named(body.authority)
    if not request.user.has_perm(ADD, authority):
        raise HttpError(403, "You may return savings only for your own council")
    latest = financial_year(timezone.localdate())
    if body.year > latest:
        raise HttpError(422, f"year: a financial year from {FIRST_YEAR} to {latest}")
    lines = [line.model_dump() for line in body.lines]
    made = submission.submit(authority, body.year, lines, request.user)
    return Status(201, return_out(made))
