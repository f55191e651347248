"""The shared time rules (ambition.indicators.periods.calendar): adding months, the financial
year, its dates and label, and the year a page asks for. Properties over every date that
`date` holds, and the database's reading of the financial year against Python's."""

from __future__ import annotations

import datetime
import re
from calendar import monthrange

import pytest
from django.db.models import DateField, Value
from hypothesis import given
from hypothesis import strategies as st

from ambition.indicators.periods import (
    add_months,
    chosen_year,
    financial_year,
    financial_year_dates,
    year_label,
)
from ambition.indicators.periods.building import Reject
from ambition.indicators.periods.building import add_months as period_months
from ambition.indicators.periods.calendar import FIRST_YEAR
from ambition.registry.models import Authority
from ambition.support.models.ledger import financial_year_of

days = st.dates()
within = st.dates(datetime.date(1000, 1, 1), datetime.date(9000, 12, 31))
months = st.integers(-12 * 400, 12 * 400)
years = st.integers(FIRST_YEAR - 100, 9000)


def month_number(day: datetime.date) -> int:
    return 12 * day.year + day.month - 1


@given(within, months)
def test_adding_months_moves_the_month_and_keeps_the_day_where_the_month_has_it(
    day: datetime.date, count: int
) -> None:
    later = add_months(day, count)
    assert month_number(later) - month_number(day) == count
    assert later.day == min(day.day, monthrange(later.year, later.month)[1])


@given(within, months, months)
def test_months_add_up_for_days_every_month_has(
    day: datetime.date, first: int, second: int
) -> None:
    early = day.replace(day=min(day.day, 28))
    assert add_months(add_months(early, first), second) == add_months(early, first + second)
    assert add_months(add_months(early, first), -first) == early


def test_the_end_of_a_month_is_clamped_not_carried_over() -> None:
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 1, 31), 1) == datetime.date(2023, 2, 28)
    assert add_months(datetime.date(2024, 3, 31), -1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 5, 31), 9) == datetime.date(2024, 2, 29)


@given(days, st.integers(-12 * 10_000, 12 * 10_000))
def test_beyond_the_years_a_date_holds_is_a_value_error_and_a_period_reason(
    day: datetime.date, count: int
) -> None:
    try:
        expected = add_months(day, count)
    except ValueError:
        with pytest.raises(Reject, match="out of range"):
            period_months(day, count)
    else:
        assert period_months(day, count) == expected


@given(days)
def test_a_day_falls_within_its_financial_year(day: datetime.date) -> None:
    year = financial_year(day)
    if not 1 <= year < 9999:
        return
    first, last = financial_year_dates(year)
    assert first <= day <= last
    assert (first.month, first.day, last.month, last.day) == (4, 1, 3, 31)


@given(st.integers(1, 9997))
def test_financial_years_tile_the_calendar(year: int) -> None:
    first, last = financial_year_dates(year)
    assert financial_year(first) == financial_year(last) == year
    assert financial_year(first - datetime.timedelta(days=1)) == year - 1
    assert financial_year_dates(year + 1)[0] == last + datetime.timedelta(days=1)


@given(st.integers(1000, 9998))
def test_a_label_names_the_year_and_the_next_one_s_last_two_digits(year: int) -> None:
    label = year_label(year)
    assert re.fullmatch(r"\d{4}-\d{2}", label)
    assert int(label[:4]) == year and int(label[5:]) == (year + 1) % 100


def test_labels_across_a_century() -> None:
    assert (year_label(2025), year_label(1999), year_label(2009)) == (
        "2025-26",
        "1999-00",
        "2009-10",
    )


@given(within)
def test_a_page_with_no_year_shows_the_current_one(today: datetime.date) -> None:
    assert chosen_year(None, today) == chosen_year("", today) == financial_year(today)
    assert chosen_year("  ", today) == financial_year(today)


@given(within, years)
def test_a_page_shows_the_years_from_the_first_to_the_next_and_no_other(
    today: datetime.date, year: int
) -> None:
    latest = financial_year(today)
    wanted = year if FIRST_YEAR <= year <= latest + 1 else None
    assert chosen_year(str(year), today) == wanted


@given(within, st.text(max_size=12))
def test_any_text_is_a_year_in_bounds_or_refused(today: datetime.date, text: str) -> None:
    found, latest = chosen_year(text, today), financial_year(today)
    assert found in (None, latest) or FIRST_YEAR <= found <= latest + 1


DAYS = [
    datetime.date(2025, 3, 31),
    datetime.date(2025, 4, 1),
    datetime.date(2025, 12, 31),
    datetime.date(2026, 1, 1),
    datetime.date(2000, 2, 29),
    datetime.date(1999, 4, 30),
]


@pytest.mark.django_db
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_database_reads_the_financial_year_as_python_does(day: datetime.date) -> None:
    row = (
        Authority.objects.annotate(day=Value(day, output_field=DateField()))
        .annotate(year=financial_year_of("day"))
        .values_list("year", flat=True)
        .first()
    )
    assert row == financial_year(day)
