"""Period labels to periods: `parse_period` tries each form of label in `_RULES`."""

import re
from collections.abc import Callable
from datetime import date

from .building import (
    NOT_A_MONTH_OR_SPAN,
    NOT_A_SPAN,
    NOT_A_YEAR_PAIR,
    OUT_OF_RANGE,
    Reject,
    add_months,
    checked_date,
    fiscal,
    fiscal_start,
    later_year,
    months_from,
    one_month,
    quarter_number,
    reads_as_month,
    years_from,
)
from .calendar import FINANCIAL_YEAR_START_MONTH
from .iso import instant, interval_between, interval_for
from .model import Period, PeriodError, PeriodKind, YearBasis


def parse_period(text: str, basis: YearBasis | None = None) -> Period:
    """The period that `text` names, read with the indicator's year `basis`.

    The basis settles whether "2019/20" is a financial or an academic year (None
    means financial); a "FY" or "AY" prefix overrides it. A trailing qualifier in
    brackets, such as "2018 (Rev)", is ignored: see `split_qualifier`.
    """
    try:
        return _parse(_normalise(split_qualifier(text)[0]), basis)
    except Reject as reason:
        raise PeriodError(f"{text.strip()!r} {reason}") from None


def split_qualifier(text: str) -> tuple[str, str | None]:
    """Split "2025 (prov)" into ("2025", "prov"); a label without one gives (label, None)."""
    stripped = text.strip()
    match = _QUALIFIER.fullmatch(stripped)
    if match is None:
        return stripped, None
    return match["period"], match["qualifier"] or None


_UNRECOGNISED = (
    "is not a period we recognise: write it like 2019, 2019/20, 2014-16, 2013/14-15/16, "
    "2019 Q1, 2019/20 Q1, 2019-03, Mar 2019, 2021-03-31 or 2019-04-01/P1Y"
)
_EARLIEST, _LATEST = date(1900, 1, 1), date(2100, 12, 31)
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NUMBERS = {
    name: number for number, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])
} | {"sept": 9}
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_QUALIFIER = re.compile(r"(?P<period>.*?)\s*\(\s*(?P<qualifier>[^()]*?)\s*\)", re.DOTALL)
_PREFIX = re.compile(r"(?P<prefix>fy|ay) ?(?P<rest>.+)")


def _normalise(text: str) -> str:
    return " ".join(text.translate(_DASHES).lower().split())


def _parse(body: str, basis: YearBasis | None) -> Period:
    if not body:
        raise Reject("is not a period: the label is empty")
    prefixed = _PREFIX.fullmatch(body)
    if prefixed is None:
        return _match(body, basis)
    forced = YearBasis.FINANCIAL if prefixed["prefix"] == "fy" else YearBasis.ACADEMIC
    period = _match(prefixed["rest"], forced)
    if period.basis is not forced:
        prefix = prefixed["prefix"].upper()
        raise Reject(f"does not name {forced.value} years: write one like {prefix} 2019/20")
    return period


def _match(body: str, basis: YearBasis | None) -> Period:
    for pattern, read in _RULES:
        if match := pattern.fullmatch(body):
            period = read(match, basis)
            if period.start < _EARLIEST or period.end > _LATEST:
                raise Reject(OUT_OF_RANGE)
            return period
    raise Reject(_UNRECOGNISED)


# Readers: one per form of label, each given the match of its pattern in _RULES.


def _calendar_year(match: re.Match[str], basis: YearBasis | None) -> Period:
    return years_from(int(match["year"]), 1, YearBasis.CALENDAR)


def _year_pair(match: re.Match[str], basis: YearBasis | None) -> Period:
    first, dash, second = int(match["first"]), match["sep"] == "-", match["second"]
    if dash and len(second) == 2 and reads_as_month(first, int(second), basis):
        return one_month(first, int(second))
    last = later_year(second, first)
    if last == first + 1 and (not dash or basis is not YearBasis.CALENDAR):
        return years_from(first, 1, fiscal(basis))
    if not dash:
        raise Reject(NOT_A_YEAR_PAIR)
    if last <= first:
        raise Reject(NOT_A_SPAN if len(second) == 4 else NOT_A_MONTH_OR_SPAN)
    return years_from(first, last - first + 1, YearBasis.CALENDAR)


def _fiscal_span(match: re.Match[str], basis: YearBasis | None) -> Period:
    first = fiscal_start(match["a"], match["b"], 0)
    last = fiscal_start(match["c"], match["d"], first)
    if last <= first:
        raise Reject(NOT_A_SPAN)
    return years_from(first, last - first + 1, fiscal(basis))


def _quarter(match: re.Match[str], basis: YearBasis | None) -> Period:
    start = checked_date(int(match["year"]), 3 * quarter_number(match["q"]) - 2, 1)
    return months_from(PeriodKind.QUARTER, start, 3, YearBasis.CALENDAR)


def _financial_quarter(match: re.Match[str], basis: YearBasis | None) -> Period:
    first_month = FINANCIAL_YEAR_START_MONTH
    year_start = checked_date(fiscal_start(match["a"], match["b"], 0), first_month, 1)
    start = add_months(year_start, 3 * quarter_number(match["q"]) - 3)
    return months_from(PeriodKind.FINANCIAL_QUARTER, start, 3, YearBasis.FINANCIAL)


def _named_month(match: re.Match[str], basis: YearBasis | None) -> Period:
    number = _MONTH_NUMBERS.get(match["month"])
    if number is None:
        raise Reject(f"is not a month: {match['month']!r} is not the name of one")
    return one_month(int(match["year"]), number)


def _numbered_month(match: re.Match[str], basis: YearBasis | None) -> Period:
    return one_month(int(match["year"]), int(match["month"]))


def _bare_number(match: re.Match[str], basis: YearBasis | None) -> Period:
    raise Reject("is not a year: years are written with four digits")


_Reader = Callable[[re.Match[str], YearBasis | None], Period]
_PAIR = r"(?P<a>\d{4}) ?[/-] ?(?P<b>\d{2}|\d{4})"
_Q = r"q(?P<q>\d{1,2})"
_ISO = r"\d{4}-\d{2}-\d{2}"
_RULES: list[tuple[re.Pattern[str], _Reader]] = [
    (re.compile(pattern, re.ASCII), reader)
    for pattern, reader in [
        (r"(?P<year>\d{4})", _calendar_year),
        (r"(?P<first>\d{4}) ?(?P<sep>[/-]) ?(?P<second>\d{2}|\d{4})", _year_pair),
        (_PAIR + r" ?(?:-|to) ?(?P<c>\d{2}|\d{4}) ?[/-] ?(?P<d>\d{2}|\d{4})", _fiscal_span),
        (r"(?P<year>\d{4})[ -]?" + _Q, _quarter),
        (_Q + r"[ -]?(?P<year>\d{4})", _quarter),
        (_PAIR + r"[ -]?" + _Q, _financial_quarter),
        (_Q + r"[ -]?" + _PAIR, _financial_quarter),
        (r"(?P<month>[a-z]+)\.?[ -]?(?P<year>\d{4})", _named_month),
        (r"(?P<year>\d{4})[ -]?(?P<month>[a-z]+)", _named_month),
        (r"(?P<month>\d{1,2}) ?[/-] ?(?P<year>\d{4})", _numbered_month),
        (_ISO, instant),
        (rf"(?P<start>{_ISO}) ?/ ?(?P<duration>p[0-9a-z]*)", interval_for),
        (rf"(?P<start>{_ISO}) ?/ ?(?P<end>{_ISO})", interval_between),
        (r"\d+", _bare_number),
    ]
]
