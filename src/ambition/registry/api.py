"""JSON API for the registry: /api/v1/authorities."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator

# Re-exported: the API routes import it from here, beside Page.
from ambition.web.parameters import LARGEST_ID as LARGEST_ID

from .listing import AuthorityFilter
from .models import Authority

router = Router(tags=["authorities"])


class Error(Schema):
    """Why a request was refused: a message, or for a bad query the list of problems."""

    detail: Any


class Text(Schema):
    """A schema whose text PostgreSQL can hold: a NUL character, which it cannot hold even
    to compare, is refused as a 422 naming the field, not a database error later
    (schemathesis found it). Every query and body schema of the API builds on it."""

    @field_validator("*", mode="before")
    @classmethod
    def no_nul_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value


class Page(Text):
    limit: int = Field(
        100, ge=1, le=settings.API_MAX_PAGE, description="Rows a page (at most 1,000)"
    )
    # Bounded so that no offset overflows a database integer.
    offset: int = Field(0, ge=0, le=1_000_000_000)


class AuthorityQuery(AuthorityFilter, Page):
    """The list page's filters, read the same way, and a page of the answer."""


class AuthorityOut(Schema):
    code: str
    name: str
    official_name: str
    kind: str
    kind_name: str
    region: str
    snac: str
    dfe_number: int | None
    inner_outer: str
    sub_region: str
    current: bool
    url: str


class AuthorityList(Schema):
    count: int
    limit: int
    offset: int
    results: list[AuthorityOut]


class BoundaryNeighbourOut(Schema):
    code: str
    name: str
    shared_metres: float


class ControlOut(Schema):
    year: int
    control: str
    source: str


class ProfileOut(Schema):
    key: str
    label: str
    period: str
    value: float | None
    text: str
    unit: str
    source: str


class AuthorityDetail(AuthorityOut):
    partnerships: list[str]
    boundary_neighbours: list[BoundaryNeighbourOut]
    political_control: list[ControlOut]
    profile: list[ProfileOut]


def authority_named(code: str, field: str = "authority") -> Authority:
    """The authority a request body names by its ONS code (any case), or a 422 that names
    the body's field: the one reading of a written `authority` across the API."""
    found = Authority.objects.filter(code=code.upper()).first()
    if found is None:
        raise HttpError(422, f"{field}: no authority has the ONS code {code!r}")
    return found


def authority_out(a: Authority) -> dict[str, object]:
    return {
        "code": a.code,
        "name": a.name,
        "official_name": a.official_name,
        "kind": a.kind,
        "kind_name": a.get_kind_display(),
        "region": a.region,
        "snac": a.snac,
        "dfe_number": a.dfe_number,
        "inner_outer": a.inner_outer,
        "sub_region": a.sub_region,
        "current": a.end_date is None,
        "url": a.get_absolute_url(),
    }


@router.get(
    "/authorities",
    response={200: AuthorityList, 401: Error, 404: Error, 422: Error},
    summary="List authorities",
)
def list_authorities(request: HttpRequest, query: Query[AuthorityQuery]) -> dict[str, object]:
    qs = query.authorities().order_by("code")
    rows = qs[query.offset : query.offset + query.limit]
    return {
        "count": qs.count(),
        "limit": query.limit,
        "offset": query.offset,
        "results": [authority_out(a) for a in rows],
    }


@router.get(
    "/authorities/{code}",
    response={200: AuthorityDetail, 401: Error, 404: Error},
    summary="One authority",
)
def get_authority(request: HttpRequest, code: str) -> dict[str, object]:
    a = get_object_or_404(Authority, code=code.upper())
    return {
        **authority_out(a),
        "partnerships": [m.partnership.slug for m in a.memberships.select_related("partnership")],
        "boundary_neighbours": [
            {"code": n.neighbour.code, "name": n.neighbour.name, "shared_metres": n.shared_metres}
            for n in a.neighbours.select_related("neighbour")
        ],
        "political_control": list(a.control.values("year", "control", "source")),
        "profile": list(
            a.profile.values("key", "label", "period", "value", "text", "unit", "source")
        ),
    }
