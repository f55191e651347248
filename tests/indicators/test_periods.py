"""Every period label our sources write is read to one period, and labels round-trip."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.indicators.periods import (
    Period,
    PeriodError,
    PeriodKind,
    YearBasis,
    parse_period,
    split_qualifier,
)

K, B = PeriodKind, YearBasis


def fy(year: int) -> Period:
    return Period(K.FINANCIAL_YEAR, date(year, 4, 1), date(year + 1, 3, 31), B.FINANCIAL)


def calendar_span(first: int, last: int) -> Period:
    return Period(K.SPAN, date(first, 1, 1), date(last, 12, 31), B.CALENDAR)


def fy_span(first: int, last: int) -> Period:
    return Period(K.SPAN, date(first, 4, 1), date(last + 1, 3, 31), B.FINANCIAL)


def year(y: int) -> Period:
    return Period(K.YEAR, date(y, 1, 1), date(y, 12, 31), B.CALENDAR)


LAIT_LABELS = {
    "2013/14-15/16": fy_span(2013, 2015),
    "2014-16": calendar_span(2014, 2016),
    "2014/15-16/17": fy_span(2014, 2016),
    "2015-16": fy(2015),
    "2015-17": calendar_span(2015, 2017),
    "2015/16": fy(2015),
    "2015/16-17/18": fy_span(2015, 2017),
    "2016": year(2016),
    "2016-17": fy(2016),
    "2016-17 (OT)": fy(2016),
    "2016-18": calendar_span(2016, 2018),
    "2016/17": fy(2016),
    "2016/17-18/19": fy_span(2016, 2018),
    "2017": year(2017),
    "2017-18": fy(2017),
    "2017-18 (OT)": fy(2017),
    "2017-19": calendar_span(2017, 2019),
    "2018 (Rev)": year(2018),
    "2018-19": fy(2018),
    "2018/19-20/21": fy_span(2018, 2020),
    "2019 (Rev)": year(2019),
    "2020 (Final)": year(2020),
    "2025 (prov)": year(2025),
    "2025-26": fy(2025),
}


@pytest.mark.parametrize(("text", "expected"), LAIT_LABELS.items())
def test_every_lait_label(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


MARCH_2019 = Period(K.MONTH, date(2019, 3, 1), date(2019, 3, 31))
Q1_2019 = Period(K.QUARTER, date(2019, 1, 1), date(2019, 3, 31))
FQ1_2019 = Period(K.FINANCIAL_QUARTER, date(2019, 4, 1), date(2019, 6, 30), B.FINANCIAL)
AY_2019 = Period(K.ACADEMIC_YEAR, date(2019, 9, 1), date(2020, 8, 31), B.ACADEMIC)

EXAMPLES = {
    "2019": year(2019),
    " 2019\t": year(2019),
    "2008/09": fy(2008),
    "2008-09": fy(2008),
    "2008/2009": fy(2008),
    "2008-2009": fy(2008),
    "2008\u201309": fy(2008),
    "2008 - 09": fy(2008),
    "1999/00": fy(1999),
    "2014-2016": calendar_span(2014, 2016),
    "2013/14 to 2015/16": fy_span(2013, 2015),
    "FY 2019/20": fy(2019),
    "fy2019-20": fy(2019),
    "AY 2019/20": AY_2019,
    "2019 Q1": Q1_2019,
    "2019-Q1": Q1_2019,
    "Q1 2019": Q1_2019,
    "2019Q1": Q1_2019,
    "2019q1": Q1_2019,
    "2019/20 Q1": FQ1_2019,
    "Q1 2019/20": FQ1_2019,
    "2019-20 Q1": FQ1_2019,
    "2019/20 Q4": Period(K.FINANCIAL_QUARTER, date(2020, 1, 1), date(2020, 3, 31), B.FINANCIAL),
    "2019-03": MARCH_2019,
    "Mar 2019": MARCH_2019,
    "MARCH 2019": MARCH_2019,
    "2019 March": MARCH_2019,
    "03/2019": MARCH_2019,
    "3/2019": MARCH_2019,
    "Sept 2019": Period(K.MONTH, date(2019, 9, 1), date(2019, 9, 30)),
    "2004-01-01/P1Y": year(2004),
    "2019-04-01/P1Y": fy(2019),
    "2019-09-01/P1Y": AY_2019,
    "2011-01-01/P3Y": calendar_span(2011, 2013),
    "2013-04-01/P3Y": fy_span(2013, 2015),
    "2020-01-01/P3M": Period(K.QUARTER, date(2020, 1, 1), date(2020, 3, 31)),
    "2020-03-01/P1M": Period(K.MONTH, date(2020, 3, 1), date(2020, 3, 31)),
    "2020-02-01/P1M": Period(K.MONTH, date(2020, 2, 1), date(2020, 2, 29)),
    "2021-06-30/P1Y": Period(K.INTERVAL, date(2021, 6, 30), date(2022, 6, 29)),
    "2021-06-30/P2W": Period(K.INTERVAL, date(2021, 6, 30), date(2021, 7, 13)),
    "2021-06-30/P10D": Period(K.INTERVAL, date(2021, 6, 30), date(2021, 7, 9)),
    "2021-06-30/P1Y1M1W1D": Period(K.INTERVAL, date(2021, 6, 30), date(2022, 8, 6)),
    "2020-01-31/P1M": Period(K.INTERVAL, date(2020, 1, 31), date(2020, 2, 28)),
    "2020-02-01/P2M": Period(K.INTERVAL, date(2020, 2, 1), date(2020, 3, 31)),
    "2020-02-01/P3M": Period(K.INTERVAL, date(2020, 2, 1), date(2020, 4, 30)),
    "2020-02-01/P12M": Period(K.INTERVAL, date(2020, 2, 1), date(2021, 1, 31)),
    "2019-04-01/2020-03-31": fy(2019),
    "2019-04-02/2020-03-31": Period(K.INTERVAL, date(2019, 4, 2), date(2020, 3, 31)),
    "2021-03-31": Period(K.INSTANT, date(2021, 3, 31), date(2021, 3, 31)),
}


@pytest.mark.parametrize(("text", "expected"), EXAMPLES.items())
def test_every_written_form(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "basis", "expected"),
    [
        ("2019/20", B.ACADEMIC, AY_2019),
        ("2019-20", B.ACADEMIC, AY_2019),
        ("2019/20", B.FINANCIAL, fy(2019)),
        ("2019/20", B.CALENDAR, fy(2019)),  # a slash always names a financial or academic year
        ("2015-16", B.CALENDAR, calendar_span(2015, 2016)),
        ("2015-2016", B.CALENDAR, calendar_span(2015, 2016)),
        ("2008-09", B.CALENDAR, Period(K.MONTH, date(2008, 9, 1), date(2008, 9, 30))),
        ("2014-16", B.FINANCIAL, calendar_span(2014, 2016)),
        (
            "2013/14-15/16",
            B.ACADEMIC,
            Period(K.SPAN, date(2013, 9, 1), date(2016, 8, 31), B.ACADEMIC),
        ),
        ("FY 2019/20", B.ACADEMIC, fy(2019)),
        ("AY 2019-20", B.CALENDAR, AY_2019),
        ("2019", B.FINANCIAL, year(2019)),
    ],
)
def test_the_basis_decides_year_pairs(text: str, basis: YearBasis, expected: Period) -> None:
    assert parse_period(text, basis) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the label is empty"),
        ("   ", "the label is empty"),
        ("(prov)", "the label is empty"),
        ("0", "years are written with four digits"),
        ("19", "years are written with four digits"),
        ("2019/21", "'2019/21' is not a financial or academic year: the second year must follow"),
        ("2019/2021", "the second year must follow the first"),
        ("2019/20-2020/22", "the second year must follow the first"),
        ("2019-18", "the last year must come after the first"),
        ("2019-2018", "the last year must come after the first"),
        ("2019-2019", "the last year must come after the first"),
        ("2015/16-14/15", "the last year must come after the first"),
        ("2015/16-15/16", "the last year must come after the first"),
        ("2019-13", "neither a month"),
        ("13/2019", "months run from 1 to 12"),
        ("0/2019", "months run from 1 to 12"),
        ("2019 Q5", "quarters run from Q1 to Q4"),
        ("Q0 2019/20", "quarters run from Q1 to Q4"),
        ("1899", "out of range"),
        ("2101", "out of range"),
        ("2100/01", "out of range"),
        ("1899/00", "out of range"),
        ("9999/00", "out of range"),
        ("2099-01-01/P5Y", "out of range"),
        ("2019-01-01/P9999Y", "out of range"),
        ("0001-01-01/P0D", "out of range"),
        ("9999-12-31/P1D", "out of range"),
        ("9999-12-31/9999-12-31", "out of range"),
        ("garbage", "is not a period we recognise"),
        ("Smarch 2019", "'smarch' is not the name of one"),
        ("FY 2019", "does not name financial years"),
        ("AY 2019/20 Q1", "does not name academic years"),
        ("2019-02-30", "is not a valid date"),
        ("2019-01-01/P0D", "it ends before it starts"),
        ("2019-01-02/2019-01-01", "it ends before it starts"),
        ("2019-01-01/PT1H", "has a duration we cannot read"),
        ("2019-01-01/P", "has a duration we cannot read"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(PeriodError, match="^" + re.escape(repr(text.strip()))) as refused:
        parse_period(text)
    assert reason in str(refused.value)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(PeriodError, match="before it starts"):
        Period(K.INTERVAL, date(2020, 1, 2), date(2020, 1, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018 (Rev)", ("2018", "Rev")),
        (" 2016-17 ( OT ) ", ("2016-17", "OT")),
        ("2025 (prov)", ("2025", "prov")),
        ("2019", ("2019", None)),
        ("2019 ()", ("2019", None)),
        ("  2019/20 ", ("2019/20", None)),
    ],
)
def test_split_qualifier(text: str, expected: tuple[str, str | None]) -> None:
    assert split_qualifier(text) == expected


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (year(2019), "2019"),
        (fy(2019), "2019/20"),
        (AY_2019, "2019/20"),
        (fy(1999), "1999/00"),
        (Q1_2019, "2019 Q1"),
        (FQ1_2019, "2019/20 Q1"),
        (MARCH_2019, "2019-03"),
        (calendar_span(2014, 2016), "2014-16"),
        (calendar_span(2015, 2016), "2015-16"),
        (calendar_span(2005, 2007), "2005-2007"),  # "2005-07" is July 2005
        (calendar_span(1998, 2001), "1998-2001"),
        (fy_span(2013, 2015), "2013/14-15/16"),
        (fy_span(1998, 2000), "1998/99-2000/01"),
        (Period(K.INTERVAL, date(2021, 6, 30), date(2022, 6, 29)), "2021-06-30/2022-06-29"),
        (Period(K.INSTANT, date(2021, 3, 31), date(2021, 3, 31)), "2021-03-31"),
    ],
)
def test_canonical_labels(period: Period, label: str) -> None:
    assert period.label == label
    assert parse_period(label, period.basis) == period


# Generated periods, built here from dates so as not to trust the module to build them.

years = st.integers(1900, 2099)
bases = st.sampled_from(YearBasis)
FIRST_MONTH = {B.CALENDAR: 1, B.FINANCIAL: 4, B.ACADEMIC: 9}
YEAR_KINDS = {B.CALENDAR: K.YEAR, B.FINANCIAL: K.FINANCIAL_YEAR, B.ACADEMIC: K.ACADEMIC_YEAR}


def months_from(start: date, count: int) -> Period:
    """The period of `count` months from `start` (a first of the month), its kind unset."""
    index = start.month - 1 + count
    after = date(start.year + index // 12, index % 12 + 1, 1)
    return Period(K.INTERVAL, start, after - timedelta(days=1))


def whole_years(first: int, count: int, basis: YearBasis) -> Period:
    kind = YEAR_KINDS[basis] if count == 1 else K.SPAN
    bounds = months_from(date(first, FIRST_MONTH[basis], 1), 12 * count)
    return Period(kind, bounds.start, bounds.end, basis)


@st.composite
def spans(draw: st.DrawFn) -> Period:
    basis, count = draw(bases), draw(st.integers(2, 12))
    return whole_years(draw(st.integers(1900, 2100 - count)), count, basis)


@st.composite
def quarters(draw: st.DrawFn) -> Period:
    # Every calendar quarter is also a quarter of a financial year.
    bounds = months_from(date(draw(years), 3 * draw(st.integers(0, 3)) + 1, 1), 3)
    if draw(st.booleans()):
        return Period(K.QUARTER, bounds.start, bounds.end)
    return Period(K.FINANCIAL_QUARTER, bounds.start, bounds.end, B.FINANCIAL)


@st.composite
def months(draw: st.DrawFn) -> Period:
    bounds = months_from(date(draw(years), draw(st.integers(1, 12)), 1), 1)
    return Period(K.MONTH, bounds.start, bounds.end)


days = st.dates(date(1900, 1, 1), date(2100, 12, 31))
periods = st.one_of(
    st.builds(whole_years, years, st.just(1), bases),
    spans(),
    quarters(),
    months(),
    st.builds(lambda day: Period(K.INSTANT, day, day), days),
)


@given(periods)
def test_labels_round_trip(period: Period) -> None:
    assert parse_period(period.label, period.basis) == period


@given(periods)
def test_an_iso_interval_names_the_same_period(period: Period) -> None:
    # ONS writes every period as an interval; an aligned one must be the named period.
    parsed = parse_period(f"{period.start}/{period.end}")
    if period.kind is K.FINANCIAL_QUARTER:
        assert (parsed.kind, parsed.start, parsed.end) == (K.QUARTER, period.start, period.end)
    elif period.kind is not K.INSTANT:
        assert parsed == period


@given(days, st.integers(0, 4000))
def test_intervals_round_trip_whatever_they_turn_out_to_be(start: date, length: int) -> None:
    end = min(start + timedelta(days=length), date(2100, 12, 31))
    period = parse_period(f"{start}/{end}")
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.label, period.basis) == period


LABEL_CHARACTERS = "0123456789/-\u2013 ()qQfyaFYAPYMWDmar"


@given(st.one_of(st.text(), st.text(LABEL_CHARACTERS, max_size=24)), st.none() | bases)
def test_any_text_is_read_or_refused_with_a_period_error(
    text: str, basis: YearBasis | None
) -> None:
    try:
        period = parse_period(text, basis)
    except PeriodError as refused:
        assert str(refused).startswith(repr(text.strip()))
        return
    assert date(1900, 1, 1) <= period.start <= period.end <= date(2100, 12, 31)
    assert parse_period(period.label, period.basis) == period
