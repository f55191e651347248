"""The calendar rules every app shares: the UK financial year (1 April to 31 March, named by
the calendar year it starts in), its label and its first and last days, the year a page
is asked for, and adding months to a date. One home, so that the period parser, the ledger,
the review packs, the broker and the peer-review timetable agree about every day. Pure
functions of dates; the database's reading of the financial year (`financial_year_of`, for
filters) is built on FINANCIAL_YEAR_START_MONTH beside the ledger's model."""

from __future__ import annotations

from calendar import isleap, monthrange
from datetime import MAXYEAR, MINYEAR, date, timedelta

from ambition.web.parameters import whole_number

FINANCIAL_YEAR_START_MONTH = 4
# The earliest financial year a page is asked for: the ledger and the packs start after it.
FIRST_YEAR = 2000


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clamped to the month's last
    day: 31 January plus a month is 28 or 29 February, never 2 or 3 March. A ValueError
    beyond the years 1 to 9999, which `date` cannot hold."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:
        raise ValueError(f"{months} months from {day} is beyond the years {MINYEAR}-{MAXYEAR}")
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def financial_year(day: date) -> int:
    """2025 for any day from 1 April 2025 to 31 March 2026."""
    return day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1


def decimal_year(day: date) -> float:
    """The time the assessment's frames give a period ending on `day`: the decimal year of
    that day (31 March 2020 is 2020.25, 31 December 2020 is 2021.0). Every series, forecast,
    award date and target year is put on this one scale."""
    return day.year + day.timetuple().tm_yday / (366 if isleap(day.year) else 365)


def financial_year_dates(year: int) -> tuple[date, date]:
    """The first and last day of the financial year: 2025 -> 1 April 2025, 31 March 2026."""
    first = date(year, FINANCIAL_YEAR_START_MONTH, 1)
    return first, add_months(first, 12) - timedelta(days=1)


def year_label(year: int) -> str:
    """2025 -> "2025-26", as pages, file names and the ledger write a financial year."""
    return f"{year}-{(year + 1) % 100:02d}"


def chosen_year(text: str | None, today: date) -> int | None:
    """The financial year a page was asked for (`?year=2025`): the current one when none
    is named; None when the text is not a year from FIRST_YEAR to next year (there is
    nothing to show for a later one). The page turns None into a 404."""
    latest = financial_year(today)
    if not (text or "").strip():
        return latest
    return whole_number(text, FIRST_YEAR, latest + 1)
