"""/api/v1/efficiency/laa: the local area agreements one may see, each with its partners
and its targets' progress and expected rewards (the page's figures), and making one with
its partners and targets (a council's own systems): an officer for their own council, the
office for any. Bad input is a 422 naming the field, and then nothing is written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from ambition.accounts.gates import gate
from ambition.indicators.models import Indicator
from ambition.indicators.periods import FIRST_YEAR
from ambition.registry.api import Error, Page, Text, authority_named

from .. import agreements
from ..agreements import AgreementError, AgreementProgress, TargetProgress
from ..models import ADD_LAA, VIEW_LAA, LocalAreaAgreement, PartnerKind
from ..models.agreements import LAST_YEAR
from ..views.agreements import trimmed

router = Router(tags=["efficiency"])
PARTNERSHIP = "Local area agreements are for the partnership's members and its office"


class AgreementFilter(Page):
    authority: str | None = Field(None, max_length=20, description="ONS code")


class AgreementPartnerIn(Text):
    kind: PartnerKind
    name: str = Field(min_length=1, max_length=200)


class AgreementTargetIn(Text):
    indicator: str = Field(min_length=1, max_length=80, description="Indicator code")
    baseline: Decimal = Field(max_digits=20, decimal_places=6)
    baseline_period: str = Field(min_length=1, max_length=40, description="2007/08, 2007")
    stretch: Decimal = Field(max_digits=20, decimal_places=6, description="Better than baseline")
    target_year: int = Field(
        ge=FIRST_YEAR, le=LAST_YEAR, description="Financial year, within the agreement's"
    )
    reward_max: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="GBP")


class AgreementIn(Text):
    authority: str = Field(max_length=20, description="ONS code")
    start_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="First financial year")
    end_year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="Last financial year")
    title: str = Field(min_length=1, max_length=200)
    signed_on: datetime.date | None = None
    reward_rule: str = Field(max_length=60, description="A key of data/laa/reward-rules.toml")
    partners: list[AgreementPartnerIn] = Field([], max_length=20)
    targets: list[AgreementTargetIn] = Field([], max_length=40)


class AgreementPartnerOut(Schema):
    kind: str = Field(description="police, health, fire, voluntary-sector or other")
    name: str


class AgreementTargetOut(Schema):
    id: int
    indicator: str = Field(description="Indicator code")
    baseline: Decimal
    baseline_period: str
    stretch: Decimal
    target_year: int
    reward_max: Decimal = Field(description="GBP, paid in full at the stretch")
    status: str = Field(description="achieved, on track, at risk, missed or not enough data")
    latest_value: float | None = Field(description="The latest value by the target year's end")
    latest_period: str | None
    forecast: float | None = Field(description="For the target year's end, while undecided")
    lower: float | None
    upper: float | None
    level: float = Field(description="The forecast interval's level")
    p_miss: float | None = Field(description="The chance that the target is missed")
    share: Decimal | None = Field(description="Share of the stretch the latest value achieves")
    expected_reward: Decimal = Field(description="GBP, by the agreement's reward rule")


class AgreementOut(Schema):
    id: int
    authority: str = Field(description="ONS code")
    start_year: int
    end_year: int
    title: str
    signed_on: datetime.date | None
    reward_rule: str
    illustrative: bool
    partners: list[AgreementPartnerOut]
    targets: list[AgreementTargetOut]
    reward_max: Decimal = Field(description="GBP, every stretch met")
    expected_reward: Decimal = Field(description="GBP, from the latest values")


class AgreementList(Schema):
    count: int
    limit: int
    offset: int
    results: list[AgreementOut]


def target_out(row: TargetProgress) -> dict[str, Any]:
    t = row.target
    return {
        **{k: getattr(t, k) for k in ("baseline_period", "target_year")},
        "baseline": trimmed(t.baseline),
        "stretch": trimmed(t.stretch),
        "id": t.pk,
        "indicator": t.indicator.code,
        "reward_max": t.reward_max,
        **{k: getattr(row, k) for k in ("status", "latest_value", "latest_period", "forecast")},
        **{k: getattr(row, k) for k in ("lower", "upper", "level", "p_miss", "share")},
        "expected_reward": row.expected_reward,
    }


def agreement_out(p: AgreementProgress) -> dict[str, Any]:
    a = p.agreement
    return {
        **{k: getattr(a, k) for k in ("start_year", "end_year", "title", "signed_on")},
        **{k: getattr(a, k) for k in ("reward_rule", "illustrative")},
        "id": a.pk,
        "authority": a.authority.code,
        "partners": [{"kind": partner.kind, "name": partner.name} for partner in a.partners.all()],
        "targets": [target_out(row) for row in p.targets],
        "reward_max": p.reward_max,
        "expected_reward": p.expected_reward,
    }


def judged(agreement: LocalAreaAgreement) -> dict[str, Any]:
    one = LocalAreaAgreement.objects.filter(pk=agreement.pk)
    return agreement_out(agreements.judge(agreements.with_targets(one))[0])


@router.get(
    "/efficiency/laa",
    response={200: AgreementList, 401: Error, 403: Error, 422: Error},
    auth=gate(VIEW_LAA, PARTNERSHIP),
    summary="Local area agreements: every one for the office and board, an officer's own",
)
def list_agreements(request: HttpRequest, query: Query[AgreementFilter]) -> dict[str, Any]:
    rows = LocalAreaAgreement.objects.visible_to(request.user)
    if query.authority:
        rows = rows.filter(authority__code=query.authority.upper())
    page = agreements.with_targets(rows[query.offset : query.offset + query.limit])
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [agreement_out(p) for p in agreements.judge(page)],
    }


@router.get(
    "/efficiency/laa/{agreement_id}",
    response={200: AgreementOut, 401: Error, 403: Error, 404: Error, 422: Error},
    auth=gate(VIEW_LAA, PARTNERSHIP),
    summary="One local area agreement, its partners and its targets' progress and rewards",
)
def get_agreement(request: HttpRequest, agreement_id: int) -> dict[str, Any]:
    found = get_object_or_404(LocalAreaAgreement, pk=agreement_id)
    if not request.user.has_perm(VIEW_LAA, found):
        raise HttpError(403, "You may see only your own council's agreements")
    return judged(found)


def indicator(code: str, n: int) -> Indicator:
    found = Indicator.objects.filter(code=code).first()
    if found is None:
        raise HttpError(422, f"targets[{n}].indicator: no indicator has the code {code!r}")
    return found


@router.post(
    "/efficiency/laa",
    response={201: AgreementOut, 400: Error, 401: Error, 403: Error, 422: Error},
    auth=gate(ADD_LAA, "Agreements are made by councils' officers and the office"),
    summary="Make a local area agreement with its partners and targets, all or nothing",
)
def post_agreement(request: HttpRequest, body: AgreementIn) -> Status[dict[str, Any]]:
    authority = authority_named(body.authority)
    if not request.user.has_perm(ADD_LAA, authority):
        raise HttpError(403, "You may make agreements only for your own council")
    fields = body.model_dump(exclude={"authority", "partners", "targets"})
    partners = [p.model_dump() for p in body.partners]
    targets = [
        {**t.model_dump(), "indicator": indicator(t.indicator, n)}
        for n, t in enumerate(body.targets)
    ]
    try:
        made = agreements.make_agreement(authority, fields, partners, targets, request.user)
    except AgreementError as error:
        raise HttpError(422, str(error)) from error
    return Status(201, judged(made))
