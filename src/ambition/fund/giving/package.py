"""The 360Giving JSON package: one document holding every grant, and its exact JSON text."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .identifiers import grant_id, grant_prefix
from .records import GrantRecord, InvalidGrant, Organisation, Place

# The schema shipped in data/standards/360giving is release 1.4.3; a package names the
# standard's major.minor version.
STANDARD_VERSION = "1.4"


@dataclass(frozen=True)
class Publisher:
    name: str
    identifier: str
    website: str = ""


def package(
    records: Iterable[GrantRecord],
    publisher: Publisher,
    prefix: str | None = None,
    issued: datetime.date | None = None,
) -> dict[str, Any]:
    """The package, its amounts still `Decimal`: `to_json` writes them as exact numbers."""
    chosen = prefix or grant_prefix()
    grants = [grant(record, chosen) for record in records]
    _require_unique([g["id"] for g in grants])
    document: dict[str, Any] = {"version": STANDARD_VERSION, "publisher": _publisher(publisher)}
    if issued is not None:
        document["issued"] = issued.isoformat()
    document["grants"] = grants
    return document


def grant(record: GrantRecord, prefix: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": grant_id(prefix, record.reference),
        "title": record.title,
        "description": record.description,
        "currency": record.currency,
        "amountAwarded": record.amount_awarded,
        "awardDate": record.award_date.isoformat(),
        "recipientOrganization": [_organisation(record.recipient)],
        "fundingOrganization": [_organisation(record.funder)],
    }
    fields.update(_optional(record))
    return fields


def _optional(record: GrantRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if record.amount_disbursed is not None:
        fields["amountDisbursed"] = record.amount_disbursed
    planned = _planned(record)
    if planned:
        fields["plannedDates"] = [planned]
    if record.programme is not None:
        programme = {"code": record.programme.code, "title": record.programme.title}
        fields["grantProgramme"] = [_without_blanks(programme)]
    if record.beneficiary is not None:
        fields["beneficiaryLocation"] = [_location(record.beneficiary)]
    if record.date_modified is not None:
        fields["dateModified"] = record.date_modified.isoformat()
    return fields


def _planned(record: GrantRecord) -> dict[str, str]:
    dates = {"startDate": record.planned_start, "endDate": record.planned_end}
    return {key: day.isoformat() for key, day in dates.items() if day is not None}


def _location(place: Place) -> dict[str, str]:
    fields = {"geoCode": place.geo_code, "geoCodeType": place.geo_code_type}
    # Every area a GSS code names is in the United Kingdom, whose ISO 3166-1 code is GB.
    return _without_blanks({"name": place.name, "countryCode": "GB", **fields})


def _organisation(organisation: Organisation) -> dict[str, str]:
    return {"id": organisation.identifier, "name": organisation.name}


def _publisher(publisher: Publisher) -> dict[str, str]:
    fields = {"identifier": publisher.identifier, "name": publisher.name}
    return _without_blanks({**fields, "website": publisher.website})


def _without_blanks(fields: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in fields.items() if value}


def _require_unique(identifiers: list[str]) -> None:
    seen: set[str] = set()
    for identifier in identifiers:
        if identifier in seen:
            raise InvalidGrant(f"Two grants have the identifier {identifier}")
        seen.add(identifier)


def to_json(document: Any, indent: int = 2) -> str:
    """JSON text in which a `Decimal` is written as the number it is, digit for digit:
    the json module would need a float, and 0.1 + 0.2 is not a sum to publish."""
    return _write(document, indent, 0) + "\n"


def _write(value: Any, indent: int, depth: int) -> str:
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dict):
        parts = [
            f"{json.dumps(str(key), ensure_ascii=False)}: {_write(item, indent, depth + 1)}"
            for key, item in value.items()
        ]
        return _bracket("{", parts, "}", indent, depth)
    if isinstance(value, list):
        parts = [_write(item, indent, depth + 1) for item in value]
        return _bracket("[", parts, "]", indent, depth)
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _bracket(opening: str, parts: list[str], closing: str, indent: int, depth: int) -> str:
    if not parts:
        return opening + closing
    inner, outer = "\n" + " " * indent * (depth + 1), "\n" + " " * indent * depth
    return opening + inner + ("," + inner).join(parts) + outer + closing


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"JSON has no number {value}")
    return format(value, "f")  # positional digits: never 1E+2, which a reader may not expect
