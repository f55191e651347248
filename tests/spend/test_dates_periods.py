"""Dates are read day first, in every format the files use; a label without a day is kept
as its period and never narrowed to an invented day."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.indicators.periods import PeriodKind, add_months
from ambition.spend.reading.decoding import repaired
from ambition.spend.reading.values import (
    ValueRefused,
    parse_date,
    parse_spend_period,
    period_in_name,
)

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2069, 12, 31))
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def written(day: date) -> list[str]:
    """The day written each way a spending file writes one."""
    name = MONTH_NAMES[day.month - 1]
    return [
        day.isoformat(),
        f"{day.isoformat()} 00:00:00",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}",
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.day:02d}-{name[:3]}-{day.year % 100:02d}",
        f"{day.day:02d}-{name[:3].upper()}-{day.year}",
        f"{day.day} {name} {day.year}",
        f"{name} {day.day}, {day.year}",
        day.strftime("%Y%m%d"),
    ]


@given(DAYS)
def test_every_format_reads_back_the_day(day: date) -> None:
    for text in written(day):
        assert parse_date(text) == day, text


@given(DAYS)
def test_excel_serials_only_in_a_workbook(day: date) -> None:
    serial = str((day - date(1899, 12, 30)).days)
    assert parse_date(serial, serials=True) == day
    with pytest.raises(ValueRefused):
        parse_date(serial)


@given(DAYS.filter(lambda day: day.day > 12))
def test_day_first_so_a_us_date_is_refused_not_misread(day: date) -> None:
    with pytest.raises(ValueRefused, match="day first"):
        parse_date(f"{day.month:02d}/{day.day:02d}/{day.year}")


@given(st.text(max_size=24))
def test_any_text_is_a_date_or_refused(text: str) -> None:
    try:
        day = parse_date(text)
    except ValueRefused:
        return
    assert date(1990, 1, 1) <= day <= date(2100, 12, 31)
    assert str(day.day) in text or f"{day.day:02d}" in text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2013", "does not exist"),
        ("1013-01-01", "outside 1990-2100"),
        ("Smarch 3 2013", "not a month"),
        ("25/06/2012900", "is a separator missing"),
        ("", "there is no date"),
        ("yesterday", "not a date"),
    ],
)
def test_date_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueRefused, match=re.escape(reason)):
        parse_date(text)


@given(st.integers(1990, 2099), st.integers(1, 12))
def test_a_month_is_a_period_not_a_day(year: int, month: int) -> None:
    start = date(year, month, 1)
    labels = [f"{MONTH_NAMES[month - 1]} {year}", f"{MONTH_NAMES[month - 1][:3]} {year}"]
    if month != (year + 1) % 100:  # "2011-12" is as much the year 2011/12: see below
        labels.append(f"{year}-{month:02d}")
    for text in labels:
        period = parse_spend_period(text)
        assert (period.kind, period.start) == (PeriodKind.MONTH, start)
        assert period.end == add_months(start, 1) - timedelta(days=1)


@given(st.integers(1990, 2098), st.integers(1, 4))
def test_a_financial_quarter(year: int, quarter: int) -> None:
    period = parse_spend_period(f"Q{quarter} {year}/{(year + 1) % 100:02d}")
    assert period.start == add_months(date(year, 4, 1), 3 * (quarter - 1))
    assert period.end == add_months(period.start, 3) - timedelta(days=1)


@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(0, 11))
def test_a_span_of_months(year: int, first: int, length: int) -> None:
    last = min(12, first + length)
    text = f"{MONTH_NAMES[first - 1]} {year}-{MONTH_NAMES[last - 1]} {year}"
    period = parse_spend_period(text)
    assert period.start == date(year, first, 1)
    assert period.end == add_months(date(year, last, 1), 1) - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("July 2010-September 2010", date(2010, 7, 1), date(2010, 9, 30)),
        ("Jul-Sep 2010", date(2010, 7, 1), date(2010, 9, 30)),
        ("Nov 2010 - Jan 2011", date(2010, 11, 1), date(2011, 1, 31)),
        ("2013/14", date(2013, 4, 1), date(2014, 3, 31)),
        # The GLA's own four-weekly periods: a number alone says only the year it is in...
        ("P01 2013/14", date(2013, 4, 1), date(2014, 3, 31)),
        ("2013/14 P13", date(2013, 4, 1), date(2014, 3, 31)),
        # ...and the dates where the label writes them, even where they overlap the next.
        ("Period 1 2013/14 (1 April 2013 - 27 April 2013)", date(2013, 4, 1), date(2013, 4, 27)),
        ("Period 10 2017/18 (10 December 2017 - 10 January 2018)",
         date(2017, 12, 10), date(2018, 1, 10)),
        ("Period 7: 2015/16 (20 September 2015 \u2013 17 October 2015",
         date(2015, 9, 20), date(2015, 10, 17)),
        ("Period 3 2015/16 (31May 2015 - 27 June 2015)", date(2015, 5, 31), date(2015, 6, 27)),
    ],
)  # fmt: skip
def test_period_labels(text: str, start: date, end: date) -> None:
    period = parse_spend_period(text)
    assert (period.start, period.end) == (start, end)


def test_a_label_damaged_by_a_wrong_decoding_reads_once_repaired() -> None:
    damaged = "Period 8 2020/21 (18 October 2020 \u00e2\x80\x93 14 November 2020)"
    period = parse_spend_period(repaired(damaged))
    assert (period.start, period.end) == (date(2020, 10, 18), date(2020, 11, 14))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("P14 2013/14", "run 1 to 13"),
        ("2011-12", "ambiguous: write the month as December 2011, or the year as 2011/12"),
        ("September 2010-July 2010", "ends before it starts"),
        ("Smarch 2013", "not a month"),
        ("whenever", "not a period"),
    ],
)
def test_period_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueRefused, match=re.escape(reason)):
        parse_spend_period(text)


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_in_a_file_name_is_that_month(month: int) -> None:
    period = period_in_name(f"2011-{month:02d}-payments.csv")
    assert period is not None
    assert (period.start, period.end) == (
        date(2011, month, 1),
        date(2011, month, monthrange(2011, month)[1]),
    )


def test_a_period_in_a_file_name() -> None:
    period = period_in_name("2011-01-payments.csv")
    assert period is not None and (period.start, period.end) == (
        date(2011, 1, 1),
        date(2011, 1, 31),
    )
    assert period_in_name("2013-P01.csv.gz") is None  # not a month: the caller must say
    assert period_in_name("2011-01-to-2011-02.csv") is None  # two months: which?
