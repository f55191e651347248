"""What one grant says in 360Giving open data, in our words and types.

A `GrantRecord` holds what the standard needs and our awards hold: the award's reference
(its primary key or slug, which the writers prefix as `360G-<prefix>-<reference>`), title,
description, amounts in pounds as `Decimal`, the award date, the planned dates, the recipient
and funding organisations, the programme, the beneficiary location by GSS code, and when the
award last changed. `ambition.fund.giving.identifiers` explains how organisations are named.
A record refuses what the standard (or a penny) could not carry, so every writer can trust it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Letters, digits, hyphen and underscore: what the standard recommends inside an identifier
# (no slashes or spaces), so a reference is used as it is and two never collide.
IDENTIFIER_PART = re.compile(r"[A-Za-z0-9_-]+")
PENNY = Decimal("0.01")


class InvalidGrant(ValueError):
    """A grant that 360Giving data could not carry as it stands."""


@dataclass(frozen=True)
class Organisation:
    identifier: str  # an org-id.guide identifier, or `360G-<prefix>-...` where none exists
    name: str

    def __post_init__(self) -> None:
        _require_text("organisation identifier", self.identifier)
        _require_text("organisation name", self.name)


@dataclass(frozen=True)
class Programme:
    code: str
    title: str

    def __post_init__(self) -> None:
        _require_text("programme code", self.code)


@dataclass(frozen=True)
class Place:
    """A beneficiary location: an area by its GSS code, and the standard's code type for it
    (`LONB` for a London borough), blank where the standard's list has none."""

    geo_code: str
    name: str
    geo_code_type: str = ""

    def __post_init__(self) -> None:
        _require_text("geographic code", self.geo_code)
        _require_text("place name", self.name)


@dataclass(frozen=True)
class GrantRecord:
    reference: str
    title: str
    description: str
    amount_awarded: Decimal
    award_date: datetime.date
    recipient: Organisation
    funder: Organisation
    programme: Programme | None = None
    beneficiary: Place | None = None
    planned_start: datetime.date | None = None
    planned_end: datetime.date | None = None
    amount_disbursed: Decimal | None = None
    date_modified: datetime.datetime | None = None
    currency: str = "GBP"

    def __post_init__(self) -> None:
        if not IDENTIFIER_PART.fullmatch(self.reference):
            raise InvalidGrant(f"Reference {self.reference!r}: use letters, digits, - and _")
        _require_text("title", self.title)
        _require_text("description", self.description)
        if self.currency != "GBP":
            raise InvalidGrant(f"{self.reference}: the fund pays in GBP, not {self.currency}")
        _require_pounds("amount awarded", self.amount_awarded)
        if self.amount_disbursed is not None:
            _require_pounds("amount disbursed", self.amount_disbursed)
        self._check_dates()

    def _check_dates(self) -> None:
        start, end = self.planned_start, self.planned_end
        if start is not None and end is not None and end < start:
            raise InvalidGrant(f"{self.reference}: planned end {end} is before start {start}")
        modified = self.date_modified
        # The standard's date-time is RFC 3339, which always states its offset from UTC.
        offset = None if modified is None else modified.utcoffset()
        if modified is not None and offset is None:
            raise InvalidGrant(f"{self.reference}: date modified {modified} has no time zone")
        if offset is not None and offset % datetime.timedelta(minutes=1):
            raise InvalidGrant(f"{self.reference}: RFC 3339 offsets are whole minutes")


def _require_text(what: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidGrant(f"The {what} is empty")


def _require_pounds(what: str, value: Decimal) -> None:
    """Pounds and pence: a finite, non-negative Decimal with at most two decimal places."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidGrant(f"The {what} must be a finite Decimal, not {value!r}")
    if value < 0:
        raise InvalidGrant(f"The {what} is negative: {value}")
    try:
        pence = value.quantize(PENNY)
    except InvalidOperation:  # more digits than any Decimal context carries: no real sum
        raise InvalidGrant(f"The {what} {value} is too large") from None
    if pence != value:
        raise InvalidGrant(f"The {what} {value} is finer than a penny")
