"""The period and number parsers: any text is read or refused with their own error, never
another exception, and a number read is finite."""

from __future__ import annotations

import contextlib
import math

from hypothesis import strategies as st

from ambition.indicators.periods import PeriodError, YearBasis, parse_period
from ambition.indicators.values import ValueParseError, parse_status, parse_value
from fuzz.campaign import campaign, report
from fuzz.inputs import STATUSES, numbers, periods

bases = st.one_of(st.none(), st.sampled_from(list(YearBasis)))


def read_period(example: tuple[str, YearBasis | None]) -> None:
    text, basis = example
    with contextlib.suppress(PeriodError):
        parse_period(text, basis)


def read_value(text: str) -> None:
    try:
        parsed = parse_value(text)
    except ValueParseError:
        return
    assert parsed.value is None or math.isfinite(parsed.value), (text, parsed)


def read_status(text: str) -> None:
    with contextlib.suppress(ValueParseError):
        parse_status(text)


def test_periods() -> None:
    tally = campaign("period parser", st.tuples(periods, bases), read_period)
    assert not tally.crashes, report(tally)


def test_numbers() -> None:
    tally = campaign("number parser", numbers, read_value)
    assert not tally.crashes, report(tally)


def test_statuses() -> None:
    tally = campaign("status parser", st.one_of(st.sampled_from(STATUSES), st.text()), read_status)
    assert not tally.crashes, report(tally)
