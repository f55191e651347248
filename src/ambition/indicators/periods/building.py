"""Building periods from years and months, for the parsers in `parsing` and `iso`.

Every date passes through `checked_date`, `add_months` or `shift`, so a far-fetched
label is refused with a reason rather than an OverflowError.
"""

from datetime import date, timedelta

from . import calendar
from .model import Period, PeriodKind, YearBasis


class Reject(Exception):
    """Why a label was refused; parse_period names the label in front of it."""


OUT_OF_RANGE = "is out of range: periods must fall between 1900 and 2100"
NOT_A_YEAR_PAIR = "is not a financial or academic year: the second year must follow the first"
NOT_A_SPAN = "is not a span of years: the last year must come after the first"
NOT_A_MONTH_OR_SPAN = (
    "is neither a month (01 to 12) nor a span of years: the last year must come after the first"
)
FIRST_MONTH = {
    YearBasis.CALENDAR: 1,
    YearBasis.FINANCIAL: calendar.FINANCIAL_YEAR_START_MONTH,
    YearBasis.ACADEMIC: 9,
}
_YEAR_KIND = {
    YearBasis.CALENDAR: PeriodKind.YEAR,
    YearBasis.FINANCIAL: PeriodKind.FINANCIAL_YEAR,
    YearBasis.ACADEMIC: PeriodKind.ACADEMIC_YEAR,
}


def years_from(first: int, count: int, basis: YearBasis) -> Period:
    start = checked_date(first, FIRST_MONTH[basis], 1)
    kind = _YEAR_KIND[basis] if count == 1 else PeriodKind.SPAN
    return months_from(kind, start, 12 * count, basis)


def one_month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise Reject("is not a month: months run from 1 to 12")
    return months_from(PeriodKind.MONTH, checked_date(year, number, 1), 1, YearBasis.CALENDAR)


def months_from(kind: PeriodKind, start: date, count: int, basis: YearBasis) -> Period:
    return Period(kind, start, shift(add_months(start, count), -1), basis)


def checked_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Reject("is not a valid date" if 1 <= year <= 9999 else OUT_OF_RANGE) from None


def add_months(day: date, months: int) -> date:
    """`calendar.add_months`, refusing a date beyond the years `date` holds with a reason."""
    try:
        return calendar.add_months(day, months)
    except ValueError:
        raise Reject(OUT_OF_RANGE) from None


def shift(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise Reject(OUT_OF_RANGE) from None


def later_year(text: str, first: int) -> int:
    """The year that `text` names after `first`: two digits stay in first's century,
    unless they cross into the next within a decade ("1999/00", "1998-02")."""
    if len(text) == 4:
        return int(text)
    year = first - first % 100 + int(text)
    return year + 100 if year <= first and year + 100 - first <= 10 else year


def fiscal_start(first: str, second: str, after: int) -> int:
    """The first year of the financial or academic year written `first`/`second`."""
    year = int(first) if len(first) == 4 else later_year(first, after)
    if later_year(second, year) != year + 1:
        raise Reject(NOT_A_YEAR_PAIR)
    return year


def reads_as_month(first: int, second: int, basis: YearBasis | None) -> bool:
    # ISO 8601 "YYYY-MM" wins unless the digits also name the following year.
    follows = second == (first + 1) % 100
    return 1 <= second <= 12 and (not follows or basis is YearBasis.CALENDAR)


def fiscal(basis: YearBasis | None) -> YearBasis:
    return YearBasis.ACADEMIC if basis is YearBasis.ACADEMIC else YearBasis.FINANCIAL


def quarter_number(text: str) -> int:
    if not 1 <= int(text) <= 4:
        raise Reject("is not a quarter: quarters run from Q1 to Q4")
    return int(text)
