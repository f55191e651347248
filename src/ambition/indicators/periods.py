"""Read the period labels that our data sources write, into one canonical form.

A period is a run of whole days with a kind (a calendar year, a financial quarter,
a span of years ...) and, for years, a basis. Every label we accept names exactly
one Period, and every Period's `label` parses back to it, so the canonical label
can be stored, shown and compared as text.

The sources disagree, so some labels are ambiguous. They are settled like this:

- "2019/20", "2019-20" and "2019/2020" are a financial year, or an academic year
  when the indicator's basis is academic. A slash always means such a year; a dash
  means two calendar years only when the indicator's basis is calendar.
- "2014-16", whose second year does not follow the first, is a span of calendar
  years (DfE LAIT writes three-year averages so).
- "2019-03" is March 2019, as ISO 8601 writes it. "2008-09" reads as financial year
  2008/09, except under the calendar basis, where it is September 2008. A span of
  calendar years whose two-digit end could be a month is labelled with four digits
  ("2005-2007"), as is one that crosses a century ("1998-2001").
- An ISO 8601 interval that covers exactly a month, a calendar quarter, or whole
  calendar, financial or academic years becomes that period, so "2019-04-01/P1Y"
  is financial year 2019/20; any other interval keeps its exact dates.
- Periods must fall between 1 January 1900 and 31 December 2100.
"""

import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodError(ValueError):
    """A label that names no period; the message tells its writer why."""


class PeriodKind(StrEnum):
    YEAR = "year"
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    QUARTER = "quarter"
    FINANCIAL_QUARTER = "financial_quarter"
    MONTH = "month"
    SPAN = "span"
    INTERVAL = "interval"
    INSTANT = "instant"


class YearBasis(StrEnum):
    CALENDAR = "calendar"
    FINANCIAL = "financial"
    ACADEMIC = "academic"


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive: the period's last day
    basis: YearBasis = YearBasis.CALENDAR  # for a span, the basis of its years

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        return _LABELS[self.kind](self)


def parse_period(text: str, basis: YearBasis | None = None) -> Period:
    """The period that `text` names, read with the indicator's year `basis`.

    The basis settles whether "2019/20" is a financial or an academic year (None
    means financial); a "FY" or "AY" prefix overrides it. A trailing qualifier in
    brackets, such as "2018 (Rev)", is ignored: see `split_qualifier`.
    """
    try:
        return _parse(_normalise(split_qualifier(text)[0]), basis)
    except _Reject as reason:
        raise PeriodError(f"{text.strip()!r} {reason}") from None


def split_qualifier(text: str) -> tuple[str, str | None]:
    """Split "2025 (prov)" into ("2025", "prov"); a label without one gives (label, None)."""
    stripped = text.strip()
    match = _QUALIFIER.fullmatch(stripped)
    if match is None:
        return stripped, None
    return match["period"], match["qualifier"] or None


class _Reject(Exception):
    """Why a label was refused; parse_period names the label in front of it."""


_OUT_OF_RANGE = "is out of range: periods must fall between 1900 and 2100"
_NOT_A_YEAR_PAIR = "is not a financial or academic year: the second year must follow the first"
_NOT_A_SPAN = "is not a span of years: the last year must come after the first"
_NOT_A_MONTH_OR_SPAN = (
    "is neither a month (01 to 12) nor a span of years: the last year must come after the first"
)
_UNRECOGNISED = (
    "is not a period we recognise: write it like 2019, 2019/20, 2014-16, 2013/14-15/16, "
    "2019 Q1, 2019/20 Q1, 2019-03, Mar 2019, 2021-03-31 or 2019-04-01/P1Y"
)
_EARLIEST, _LATEST = date(1900, 1, 1), date(2100, 12, 31)
_FIRST_MONTH = {YearBasis.CALENDAR: 1, YearBasis.FINANCIAL: 4, YearBasis.ACADEMIC: 9}
_BASIS_STARTING = {month: basis for basis, month in _FIRST_MONTH.items()}
_YEAR_KIND = {
    YearBasis.CALENDAR: PeriodKind.YEAR,
    YearBasis.FINANCIAL: PeriodKind.FINANCIAL_YEAR,
    YearBasis.ACADEMIC: PeriodKind.ACADEMIC_YEAR,
}
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
_DURATION = re.compile(r"p(?:(\d{1,4})y)?(?:(\d{1,4})m)?(?:(\d{1,4})w)?(?:(\d{1,5})d)?", re.ASCII)


def _normalise(text: str) -> str:
    return " ".join(text.translate(_DASHES).lower().split())


def _parse(body: str, basis: YearBasis | None) -> Period:
    if not body:
        raise _Reject("is not a period: the label is empty")
    prefixed = _PREFIX.fullmatch(body)
    if prefixed is None:
        return _match(body, basis)
    forced = YearBasis.FINANCIAL if prefixed["prefix"] == "fy" else YearBasis.ACADEMIC
    period = _match(prefixed["rest"], forced)
    if period.basis is not forced:
        prefix = prefixed["prefix"].upper()
        raise _Reject(f"does not name {forced.value} years: write one like {prefix} 2019/20")
    return period


def _match(body: str, basis: YearBasis | None) -> Period:
    for pattern, read in _RULES:
        if match := pattern.fullmatch(body):
            period = read(match, basis)
            if period.start < _EARLIEST or period.end > _LATEST:
                raise _Reject(_OUT_OF_RANGE)
            return period
    raise _Reject(_UNRECOGNISED)


# Readers: one per form of label, each given the match of its pattern in _RULES.


def _calendar_year(match: re.Match[str], basis: YearBasis | None) -> Period:
    return _years(int(match["year"]), 1, YearBasis.CALENDAR)


def _year_pair(match: re.Match[str], basis: YearBasis | None) -> Period:
    first, dash, second = int(match["first"]), match["sep"] == "-", match["second"]
    if dash and len(second) == 2 and _reads_as_month(first, int(second), basis):
        return _month(first, int(second))
    last = _later_year(second, first)
    if last == first + 1 and (not dash or basis is not YearBasis.CALENDAR):
        return _years(first, 1, _fiscal(basis))
    if not dash:
        raise _Reject(_NOT_A_YEAR_PAIR)
    if last <= first:
        raise _Reject(_NOT_A_SPAN if len(second) == 4 else _NOT_A_MONTH_OR_SPAN)
    return _years(first, last - first + 1, YearBasis.CALENDAR)


def _fiscal_span(match: re.Match[str], basis: YearBasis | None) -> Period:
    first = _fiscal_start(match["a"], match["b"], 0)
    last = _fiscal_start(match["c"], match["d"], first)
    if last <= first:
        raise _Reject(_NOT_A_SPAN)
    return _years(first, last - first + 1, _fiscal(basis))


def _quarter(match: re.Match[str], basis: YearBasis | None) -> Period:
    start = _date(int(match["year"]), 3 * _quarter_number(match["q"]) - 2, 1)
    return _months(PeriodKind.QUARTER, start, 3, YearBasis.CALENDAR)


def _financial_quarter(match: re.Match[str], basis: YearBasis | None) -> Period:
    year_start = _date(_fiscal_start(match["a"], match["b"], 0), 4, 1)
    start = _add_months(year_start, 3 * _quarter_number(match["q"]) - 3)
    return _months(PeriodKind.FINANCIAL_QUARTER, start, 3, YearBasis.FINANCIAL)


def _named_month(match: re.Match[str], basis: YearBasis | None) -> Period:
    number = _MONTH_NUMBERS.get(match["month"])
    if number is None:
        raise _Reject(f"is not a month: {match['month']!r} is not the name of one")
    return _month(int(match["year"]), number)


def _numbered_month(match: re.Match[str], basis: YearBasis | None) -> Period:
    return _month(int(match["year"]), int(match["month"]))


def _instant(match: re.Match[str], basis: YearBasis | None) -> Period:
    day = _iso_date(match[0])
    return Period(PeriodKind.INSTANT, day, day, YearBasis.CALENDAR)


def _interval_for(match: re.Match[str], basis: YearBasis | None) -> Period:
    start = _iso_date(match["start"])
    return _classify(start, _shift(_after(start, match["duration"]), -1))


def _interval_between(match: re.Match[str], basis: YearBasis | None) -> Period:
    return _classify(_iso_date(match["start"]), _iso_date(match["end"]))


def _bare_number(match: re.Match[str], basis: YearBasis | None) -> Period:
    raise _Reject("is not a year: years are written with four digits")


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
        (_ISO, _instant),
        (rf"(?P<start>{_ISO}) ?/ ?(?P<duration>p[0-9a-z]*)", _interval_for),
        (rf"(?P<start>{_ISO}) ?/ ?(?P<end>{_ISO})", _interval_between),
        (r"\d+", _bare_number),
    ]
]


# Building periods. Every date passes through _date, _add_months or _shift, so a
# far-fetched label is refused with a reason rather than an OverflowError.


def _years(first: int, count: int, basis: YearBasis) -> Period:
    start = _date(first, _FIRST_MONTH[basis], 1)
    kind = _YEAR_KIND[basis] if count == 1 else PeriodKind.SPAN
    return _months(kind, start, 12 * count, basis)


def _month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise _Reject("is not a month: months run from 1 to 12")
    return _months(PeriodKind.MONTH, _date(year, number, 1), 1, YearBasis.CALENDAR)


def _months(kind: PeriodKind, start: date, count: int, basis: YearBasis) -> Period:
    return Period(kind, start, _shift(_add_months(start, count), -1), basis)


def _classify(start: date, end: date) -> Period:
    if end < start:
        raise _Reject("is not an interval: it ends before it starts")
    months = _whole_months(start, end)
    if months == 1:
        return _months(PeriodKind.MONTH, start, 1, YearBasis.CALENDAR)
    if months == 3 and start.month % 3 == 1:
        return _months(PeriodKind.QUARTER, start, 3, YearBasis.CALENDAR)
    basis = _BASIS_STARTING.get(start.month)
    if months % 12 == 0 and months and basis is not None:
        return _years(start.year, months // 12, basis)
    return Period(PeriodKind.INTERVAL, start, end, YearBasis.CALENDAR)


def _whole_months(start: date, end: date) -> int:
    """How many whole months run from `start` to `end`, or 0 if they are not whole."""
    after = _shift(end, 1)
    if start.day != 1 or after.day != 1:
        return 0
    return (after.year - start.year) * 12 + after.month - start.month


def _after(start: date, duration: str) -> date:
    parts = _DURATION.fullmatch(duration)
    if parts is None or not any(parts.groups()):
        raise _Reject("has a duration we cannot read: write it like P1Y, P3M, P2W or P10D")
    years, months, weeks, days = (int(part or 0) for part in parts.groups())
    return _shift(_add_months(start, 12 * years + months), 7 * weeks + days)


def _date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Reject("is not a valid date" if 1 <= year <= 9999 else _OUT_OF_RANGE) from None


def _add_months(day: date, months: int) -> date:
    # Clamp to the month's last day, so 31 January plus a month is 29 February.
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not 1 <= year <= 9999:
        raise _Reject(_OUT_OF_RANGE)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise _Reject(_OUT_OF_RANGE) from None


def _iso_date(text: str) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    return _date(year, month, day)


def _later_year(text: str, first: int) -> int:
    """The year that `text` names after `first`: two digits stay in first's century,
    unless they cross into the next within a decade ("1999/00", "1998-02")."""
    if len(text) == 4:
        return int(text)
    year = first - first % 100 + int(text)
    return year + 100 if year <= first and year + 100 - first <= 10 else year


def _fiscal_start(first: str, second: str, after: int) -> int:
    """The first year of the financial or academic year written `first`/`second`."""
    year = int(first) if len(first) == 4 else _later_year(first, after)
    if _later_year(second, year) != year + 1:
        raise _Reject(_NOT_A_YEAR_PAIR)
    return year


def _reads_as_month(first: int, second: int, basis: YearBasis | None) -> bool:
    # ISO 8601 "YYYY-MM" wins unless the digits also name the following year.
    follows = second == (first + 1) % 100
    return 1 <= second <= 12 and (not follows or basis is YearBasis.CALENDAR)


def _fiscal(basis: YearBasis | None) -> YearBasis:
    return YearBasis.ACADEMIC if basis is YearBasis.ACADEMIC else YearBasis.FINANCIAL


def _quarter_number(text: str) -> int:
    if not 1 <= int(text) <= 4:
        raise _Reject("is not a quarter: quarters run from Q1 to Q4")
    return int(text)


# Canonical labels.


def _pair_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _later_label(first: int, last: int) -> str:
    # Two digits would read as a month ("2005-07") or, across a century, a year before.
    if first // 100 != last // 100 or 1 <= last % 100 <= 12:
        return str(last)
    return f"{last % 100:02d}"


def _span_label(period: Period) -> str:
    first = period.start.year
    if period.basis is YearBasis.CALENDAR:
        return f"{first}-{_later_label(first, period.end.year)}"
    last = period.end.year - 1
    # As for calendar spans, the last year keeps its century only when it changes.
    later = _pair_label(last)[0 if first // 100 != last // 100 else 2 :]
    return f"{_pair_label(first)}-{later}"


def _financial_quarter_label(period: Period) -> str:
    start = period.start
    year = start.year if start.month >= 4 else start.year - 1
    return f"{_pair_label(year)} Q{(start.month - 4) % 12 // 3 + 1}"


_LABELS: dict[PeriodKind, Callable[[Period], str]] = {
    PeriodKind.YEAR: lambda p: str(p.start.year),
    PeriodKind.FINANCIAL_YEAR: lambda p: _pair_label(p.start.year),
    PeriodKind.ACADEMIC_YEAR: lambda p: _pair_label(p.start.year),
    PeriodKind.QUARTER: lambda p: f"{p.start.year} Q{(p.start.month - 1) // 3 + 1}",
    PeriodKind.FINANCIAL_QUARTER: _financial_quarter_label,
    PeriodKind.MONTH: lambda p: f"{p.start.year}-{p.start.month:02d}",
    PeriodKind.SPAN: _span_label,
    PeriodKind.INTERVAL: lambda p: f"{p.start.isoformat()}/{p.end.isoformat()}",
    PeriodKind.INSTANT: lambda p: p.start.isoformat(),
}
