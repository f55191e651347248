"""The writes a council's own systems make: an application (a draft with its targets and
milestones, submitted if asked) and a milestone's evidence. The pages' permission checks:
an officer applies and evidences only for their own council. Bad input is a 422 naming the
field; an engine refusal is a 422 too; either way nothing is written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from ambition.accounts.gates import gate
from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.api import Error, Text
from ambition.registry.models import Authority

from .. import applications, awards
from ..applications import ApplicationError
from ..awards import GrantError
from ..models import Application, Award, Budget, Milestone

# The reading routes' router: a path read and written is one route with two methods.
from .reading import ApplicationOut, application_out, router

APPLY, EVIDENCE = "fund.add_application", "fund.add_evidence"


class TargetIn(Text):
    indicator: str = Field(min_length=1, max_length=80, description="Indicator code")
    change: Decimal = Field(max_digits=14, decimal_places=4, description="Not 0")
    by_date: datetime.date


class MilestoneIn(Text):
    title: str = Field(min_length=1, max_length=200)
    due: datetime.date
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2, description="GBP")


class ApplicationIn(Text):
    lead: str = Field(max_length=20, description="ONS code of the lead council")
    partners: list[str] = Field([], max_length=40, description="ONS codes of partner councils")
    budget: int = Field(ge=1, le=2_000_000_000)
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=5000)
    service_area: str | None = Field(None, max_length=50, description="Code; null: corporate")
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2, description="GBP requested")
    targets: list[TargetIn] = Field([], max_length=20)
    milestones: list[MilestoneIn] = Field([], max_length=40)
    submit: bool = Field(False, description="Submit it now (every partner must have confirmed)")


class EvidenceIn(Text):
    summary: str = Field(min_length=1, max_length=5000)
    link: str = Field("", max_length=200, description="An http(s) address, or empty")

    @field_validator("link")
    @classmethod
    def web_address(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("an http:// or https:// address")
        return value


class EvidenceOut(Schema):
    id: int
    milestone: int
    state: str
    summary: str
    link: str
    submitted_at: datetime.datetime


def named(model: Any, field: str, value: Any, where: str, **lookup: Any) -> Any:
    """The row `value` names, or a 422 naming the field."""
    found = model.objects.filter(**lookup).first()
    if found is None:
        raise HttpError(422, f"{where}: nothing has the {field} {value!r}")
    return found


def authority(code: str, where: str) -> Authority:
    return named(Authority, "ONS code", code, where, code=code.upper())  # type: ignore[no-any-return]


@router.post(
    "/fund/applications",
    response={201: ApplicationOut, 400: Error, 401: Error, 403: Error, 422: Error},
    auth=gate(APPLY, "Applications are made by councils' officers and the office"),
    summary="Make an application (a draft with its targets and milestones; submitted if asked)",
)
def post_application(request: HttpRequest, body: ApplicationIn) -> Status[dict[str, Any]]:
    lead = authority(body.lead, "lead")
    if not request.user.has_perm(APPLY, lead):
        raise HttpError(403, "You may apply only for your own council")
    partners = [authority(code, "partners") for code in body.partners]
    budget = named(Budget, "id", body.budget, "budget", pk=body.budget)
    area = None
    if body.service_area:
        area = named(ServiceArea, "code", body.service_area, "service_area", code=body.service_area)
    try:
        made = drafted(request.user, body, lead, partners, budget, area)
    except ApplicationError as error:
        raise HttpError(422, str(error)) from error
    return Status(201, application_out(made))


@transaction.atomic
def drafted(
    user: Any,
    body: ApplicationIn,
    lead: Authority,
    partners: list[Authority],
    budget: Budget,
    area: Any,
) -> Application:
    made = applications.create(
        lead, budget, body.title, body.purpose, area, body.amount, user=user, partners=partners
    )
    for t in body.targets:
        if t.change == 0:
            raise ApplicationError("targets: a change of 0 moves nothing")
        indicator = named(Indicator, "code", t.indicator, "targets.indicator", code=t.indicator)
        applications.add_target(made, indicator, t.change, by_date=t.by_date)
    for m in body.milestones:
        applications.add_milestone(made, m.title, m.due, m.amount)
    if body.submit:
        applications.submit(made, user)
    return Application.objects.get(pk=made.pk)


@router.post(
    "/fund/awards/{award_id}/milestones/{milestone_id}/evidence",
    response={201: EvidenceOut, 400: Error, 401: Error, 403: Error, 404: Error, 422: Error},
    auth=gate(EVIDENCE, "Evidence is submitted by councils' officers and the office"),
    summary="Submit the evidence that a milestone of an award is met",
)
def post_evidence(
    request: HttpRequest, award_id: int, milestone_id: int, body: EvidenceIn
) -> Status[dict[str, Any]]:
    award = get_object_or_404(Award.objects.select_related("application"), pk=award_id)
    if not request.user.has_perm(EVIDENCE, award):
        raise HttpError(403, "You may evidence only your own council's awards")
    milestone = get_object_or_404(Milestone, pk=milestone_id, application_id=award.application_id)
    try:
        made = awards.submit_evidence(milestone, body.summary, request.user, body.link)
    except GrantError as error:
        raise HttpError(422, str(error)) from error
    out = {k: getattr(made, k) for k in ("id", "state", "summary", "link", "submitted_at")}
    return Status(201, {**out, "milestone": milestone.pk})
