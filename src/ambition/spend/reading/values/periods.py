"""Period labels, for files (or rows) that give a span of time instead of a day: kept as a
period, from its first day to its last, and never narrowed to an invented day.

Beyond the labels every app reads (`ambition.indicators.periods`: `April 2013`, `2013-04`,
`Q1 2013/14`, `2013/14` ...), spending files write spans of months (`July 2010-September
2010`, `Jul-Sep 2010`) and the GLA's four-weekly accounting periods (`P01 2013/14`,
`Period 1 2013/14 (1 April 2013 - 27 April 2013)`). Those periods do not fall on fixed
days (P10 2017/18 ran to 10 January 2018, yet P11 began on the 7th), so a period number
alone is kept as the financial year that surely holds it; its dates, where written, are
read as they are written."""

from __future__ import annotations

import re
from calendar import month_name, monthrange
from datetime import date

from ambition.indicators.periods import Period, PeriodError, parse_period

from .dates import MONTHS, parse_date
from .refusal import ValueRefused

_YEARS = r"(?P<fy>\d{4} ?[/-] ?(?:\d{2}|\d{4}))"
_NUMBER = r"(?:p|period|per)\.? ?(?P<n>\d{1,2})"
_DAYS = r"(?: ?\((?P<first>[^()-]+?) ?- ?(?P<last>[^()]+?)\)?)?"
_ACCOUNTING = [
    re.compile(rf"{_NUMBER}:? ?{_YEARS}{_DAYS}"),
    re.compile(rf"{_YEARS} ?{_NUMBER}{_DAYS}"),
]
_MONTH_YEAR = r"(?P<{0}>[a-z]+)\.?(?: (?P<{0}y>\d{{4}}))?"
_MONTH_SPAN = re.compile(
    _MONTH_YEAR.format("a") + r"(?: ?- ?| to )" + _MONTH_YEAR.format("b").replace(")?", ")")
)
_NAME_MONTH = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_ ]?(?P<m>0[1-9]|1[0-2])(?!\d)")
_YEAR_OR_MONTH = re.compile(r"(?P<a>\d{4})-(?P<b>0[1-9]|1[0-2])")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


def parse_spend_period(text: str) -> Period:
    """The period a label names."""
    key = " ".join(text.translate(_DASHES).lower().split())
    if not key:
        raise ValueRefused("there is no period")
    for pattern in _ACCOUNTING:
        if match := pattern.fullmatch(key):
            return _accounting(text, match)
    if match := _MONTH_SPAN.fullmatch(key):
        return _month_span(text, match)
    _refuse_ambiguous(text, key)
    try:
        return parse_period(key)
    except PeriodError as error:
        raise ValueRefused(str(error).replace(repr(key), repr(text.strip()), 1)) from None


def _refuse_ambiguous(text: str, key: str) -> None:
    """ "2011-12" is December 2011 to ISO 8601 and the year 2011/12 to a council's finance
    team: a spending file may mean either, so a person says which."""
    match = _YEAR_OR_MONTH.fullmatch(key)
    if match and int(match["b"]) == (int(match["a"]) + 1) % 100:
        raise ValueRefused(
            f"{text.strip()!r} is ambiguous: write the month as "
            f"{month_name[int(match['b'])]} {match['a']}, or the year as "
            f"{match['a']}/{match['b']}"
        )


def period_in_name(name: str) -> Period | None:
    """The month a file's name gives (`2011-01-payments.csv`), if it gives exactly one."""
    found = {(int(m["y"]), int(m["m"])) for m in _NAME_MONTH.finditer(name)}
    if len(found) != 1:
        return None
    year, month = found.pop()
    # Written as a month's name: "2011-12" alone would read as the financial year 2011/12.
    return parse_period(f"{month_name[month]} {year}")


def _accounting(text: str, match: re.Match[str]) -> Period:
    number = int(match["n"])
    if not 1 <= number <= 13:
        raise ValueRefused(f"{text.strip()!r} is not a period: accounting periods run 1 to 13")
    year = _financial_year(text, match["fy"])
    if match["first"] is None:
        return year
    first, last = parse_date(match["first"]), parse_date(match["last"])
    if last < first:
        raise ValueRefused(f"{text.strip()!r} ends before it starts")
    return _interval(first, last)


def _financial_year(text: str, written: str) -> Period:
    try:
        return parse_period(written.replace(" ", ""))
    except PeriodError:
        raise ValueRefused(f"{text.strip()!r} is not a period: {written!r} is not a year") from None


def _month_span(text: str, match: re.Match[str]) -> Period:
    first_month, last_month = MONTHS.get(match["a"]), MONTHS.get(match["b"])
    if first_month is None or last_month is None:
        raise ValueRefused(f"{text.strip()!r} is not a span of months")
    last_year = int(match["by"])
    first_year = int(match["ay"]) if match["ay"] else last_year - (first_month > last_month)
    first = date(first_year, first_month, 1)
    last = date(last_year, last_month, monthrange(last_year, last_month)[1])
    if last < first:
        raise ValueRefused(f"{text.strip()!r} ends before it starts")
    return _interval(first, last)


def _interval(first: date, last: date) -> Period:
    # The shared parser turns an interval that is exactly a month, quarter or year into
    # that period, so "July 2010-September 2010" and "2010 Q3" are one period.
    return parse_period(f"{first.isoformat()}/{last.isoformat()}")
