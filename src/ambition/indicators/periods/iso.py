"""ISO 8601 dates and intervals: readers for the rules in `parsing`.

An interval that covers exactly a month, a calendar quarter, or whole calendar,
financial or academic years becomes that period; any other keeps its exact dates.
"""

import re
from datetime import date

from .building import (
    FIRST_MONTH,
    Reject,
    add_months,
    checked_date,
    months_from,
    shift,
    years_from,
)
from .model import Period, PeriodKind, YearBasis

_BASIS_STARTING = {month: basis for basis, month in FIRST_MONTH.items()}
_DURATION = re.compile(r"p(?:(\d{1,4})y)?(?:(\d{1,4})m)?(?:(\d{1,4})w)?(?:(\d{1,5})d)?", re.ASCII)


def instant(match: re.Match[str], basis: YearBasis | None) -> Period:
    day = _iso_date(match[0])
    return Period(PeriodKind.INSTANT, day, day, YearBasis.CALENDAR)


def interval_for(match: re.Match[str], basis: YearBasis | None) -> Period:
    start = _iso_date(match["start"])
    return _classify(start, shift(_after(start, match["duration"]), -1))


def interval_between(match: re.Match[str], basis: YearBasis | None) -> Period:
    return _classify(_iso_date(match["start"]), _iso_date(match["end"]))


def _classify(start: date, end: date) -> Period:
    if end < start:
        raise Reject("is not an interval: it ends before it starts")
    months = _whole_months(start, end)
    if months == 1:
        return months_from(PeriodKind.MONTH, start, 1, YearBasis.CALENDAR)
    if months == 3 and start.month % 3 == 1:
        return months_from(PeriodKind.QUARTER, start, 3, YearBasis.CALENDAR)
    basis = _BASIS_STARTING.get(start.month)
    if months % 12 == 0 and months and basis is not None:
        return years_from(start.year, months // 12, basis)
    return Period(PeriodKind.INTERVAL, start, end, YearBasis.CALENDAR)


def _whole_months(start: date, end: date) -> int:
    """How many whole months run from `start` to `end`, or 0 if they are not whole."""
    after = shift(end, 1)
    if start.day != 1 or after.day != 1:
        return 0
    return (after.year - start.year) * 12 + after.month - start.month


def _after(start: date, duration: str) -> date:
    parts = _DURATION.fullmatch(duration)
    if parts is None or not any(parts.groups()):
        raise Reject("has a duration we cannot read: write it like P1Y, P3M, P2W or P10D")
    years, months, weeks, days = (int(part or 0) for part in parts.groups())
    return shift(add_months(start, 12 * years + months), 7 * weeks + days)


def _iso_date(text: str) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    return checked_date(year, month, day)
