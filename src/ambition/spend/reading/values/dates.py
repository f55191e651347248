"""Dates as spending files write them, read the UK way (day first): ISO `2013-04-02` (with
or without a time, or with slashes), `02/04/2013`, `2/4/13`, `02-04-2013`, `02.04.2013`,
`02-Apr-13`, `01-JUN-2012`, `2 April 2013`, `2nd April 2013`, `April 2, 2013`, `20130402`, and, in a
workbook only, Excel's serial day numbers (41366 is 2 April 2013). A date that does not
exist, or falls outside 1990-2100, is refused with the reason."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .refusal import ValueRefused

EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
EXCEL_EPOCH = date(1899, 12, 30)  # serial day 1 is 1 January 1900, after Excel's leap bug
MONTHS = {
    name: number
    for number, full in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"],
        start=1,
    )
    for name in (full, full[:3], full[:4])
}  # fmt: skip
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[ap]m)?z?)?"
_ISO = re.compile(
    rf"(?P<y>\d{{4}})(?P<s>[/-])(?P<m>\d{{1,2}})(?P=s)(?P<d>\d{{1,2}}){_TIME}", re.ASCII
)
_NUMERIC = re.compile(
    rf"(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}}){_TIME}", re.ASCII
)
_NAMED = re.compile(
    rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ /-]?(?P<m>[a-z]+)\.?[ /,-]*(?P<y>\d{{4}}|\d{{2}}){_TIME}"
)
_MONTH_FIRST = re.compile(r"(?P<m>[a-z]+)\.? (?P<d>\d{1,2})(?:st|nd|rd|th)?,? (?P<y>\d{4})")
_COMPACT = re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII)
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)
_LEADING_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_date(text: str, serials: bool = False) -> date:
    """The day `text` names; `serials` allows Excel's day numbers (a workbook's cells)."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # nearly every date is ISO: read at once
            return _in_range(text, date.fromisoformat(text))
        except ValueError:
            pass  # then read below, to say why
    key = " ".join(text.lower().split())
    if not key:
        raise ValueRefused("there is no date")
    if match := _ISO.fullmatch(key) or _COMPACT.fullmatch(key):
        return _day(text, int(match["y"]), int(match["m"]), int(match["d"]))
    if match := _NUMERIC.fullmatch(key) or _NAMED.fullmatch(key) or _MONTH_FIRST.fullmatch(key):
        return _day(text, _year(match["y"]), _month(text, match["m"]), int(match["d"]))
    if serials and _SERIAL.fullmatch(key):
        return _in_range(text, EXCEL_EPOCH + timedelta(days=int(float(key))))
    raise ValueRefused(f"{text.strip()!r} is not a date{_hint(key)}")


def _year(written: str) -> int:
    # Two digits: spending files begin in the 2000s, so 70-99 are the 1900s, the rest 2000s.
    year = int(written)
    if len(written) == 2:
        return year + (1900 if year >= 70 else 2000)
    return year


def _month(text: str, written: str) -> int:
    if written.isdigit():
        return int(written)
    if written in MONTHS:
        return MONTHS[written]
    raise ValueRefused(f"{text.strip()!r} is not a date: {written!r} is not a month")


def _day(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueRefused(
            f"{text.strip()!r} is not a date: dates are read day first, and {month} is not a month"
        )
    try:
        written = date(year, month, day)
    except ValueError:
        raise ValueRefused(f"{text.strip()!r} is not a date: that day does not exist") from None
    return _in_range(text, written)


def _in_range(text: str, day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueRefused(
            f"{text.strip()!r} is {day.isoformat()}, outside {EARLIEST.year}-{LATEST.year}: "
            "is it a slip?"
        )
    return day


def _hint(key: str) -> str:
    found = _LEADING_DATE.match(key)
    if found and found.end() < len(key):
        return f": it starts with a date, then {key[found.end() :]!r}: is a separator missing?"
    return ""
