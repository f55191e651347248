"""Values are read as statistical releases write them; a missing value is never zero."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.indicators.values import (
    ParsedValue,
    Status,
    ValueParseError,
    is_percentage_unit,
    parse_status,
    parse_value,
)

S = Status
SUPPRESSED_MARKERS = ["c", "x", "[c]", "[x]", "*", "~", "low", "[low]", "C", "X", "[LOW]"]
MISSING_MARKERS = ["-", "..", ":", "z", "[z]", "n/a", "na", "nan", "NA", "N/A", "NaN", "#", ""]
MISSING_MARKERS += ["   ", "\u2013", "\u2212", "-nan", "+NAN"]


@pytest.mark.parametrize("text", SUPPRESSED_MARKERS)
def test_suppression_markers(text: str) -> None:
    assert parse_value(text) == ParsedValue(None, S.SUPPRESSED)


@pytest.mark.parametrize("text", [*MISSING_MARKERS, None])
def test_missing_markers(text: str | None) -> None:
    assert parse_value(text) == ParsedValue(None, S.MISSING)


@given(
    st.sampled_from(SUPPRESSED_MARKERS + MISSING_MARKERS),
    st.sampled_from(["", " ", "\t", "\u00a0"]),
    st.booleans(),
)
def test_a_marker_is_never_zero(marker: str, padding: str, upper: bool) -> None:
    parsed = parse_value(padding + (marker.upper() if upper else marker) + padding)
    assert parsed.value is None
    assert parsed.status in (S.SUPPRESSED, S.MISSING)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234.0),
        ("0", 0.0),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("-3.2", -3.2),
        ("\u22123.2", -3.2),
        ("+3.2", 3.2),
        ("12.3%", 12.3),
        ("12.3 %", 12.3),
        ("£1,234", 1234.0),
        ("£ 1,234.50", 1234.5),
        ("-£1,234", -1234.0),
        ("1.2e3", 1200.0),
        ("1.2E-3", 0.0012),
        (" 7 ", 7.0),
        ("9.3699999999999992", 9.3699999999999992),
        (".5", 0.5),
        ("5.", 5.0),
        ("1,234.", 1234.0),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_value(text) == ParsedValue(value, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.3p", ParsedValue(12.3, S.PROVISIONAL)),
        ("12.3 p", ParsedValue(12.3, S.PROVISIONAL)),
        ("12.3 [p]", ParsedValue(12.3, S.PROVISIONAL)),
        ("12.3[P]", ParsedValue(12.3, S.PROVISIONAL)),
        ("12.3e", ParsedValue(12.3, S.ESTIMATED)),
        ("12.3 [e]", ParsedValue(12.3, S.ESTIMATED)),
        ("12e", ParsedValue(12.0, S.ESTIMATED)),
        ("1e3e", ParsedValue(1000.0, S.ESTIMATED)),
        ("12.3u", ParsedValue(12.3, S.UNRELIABLE)),
        ("12.3 [u]", ParsedValue(12.3, S.UNRELIABLE)),
        ("12.3r", ParsedValue(12.3, S.REVISED)),
        ("12.3 [r]", ParsedValue(12.3, S.REVISED)),
        ("1,234.5 [p]", ParsedValue(1234.5, S.PROVISIONAL)),
        ("45.6% [e]", ParsedValue(45.6, S.ESTIMATED)),
        ("-0.5r", ParsedValue(-0.5, S.REVISED)),
    ],
)
def test_trailing_status_markers(text: str, expected: ParsedValue) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "'abc' is not a number"),
        ("1.2.3", "'1.2.3' is not a number"),
        ("12..3", "'12..3' is not a number"),
        ("(3.2)", "brackets are ambiguous"),
        ("1,23", "'1,23' is not a number"),
        ("1,2345", "is not a number"),
        ("1_000", "is not a number"),
        ("12 [c]", "is not a number"),
        ("12 [x]", "is not a number"),
        ("12q", "is not a number"),
        ("£", "is not a number"),
        (".", "is not a number"),
        ("%", "is not a number"),
        ("p", "is not a number"),
        ("inf", "'inf' is not a finite number"),
        ("-Infinity", "is not a finite number"),
        ("1e999", "is not a finite number"),
        ("1,000e999", "is not a finite number"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueParseError) as refused:
        parse_value(text)
    assert reason in str(refused.value)
    # The importer blames the status column when a message mentions a status.
    assert "status" not in str(refused.value)


finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite)
def test_plain_numbers_read_back_exactly(number: float) -> None:
    assert parse_value(repr(number)) == ParsedValue(number, None)


@given(finite, st.sampled_from(["{}", "£{}", "{}%", "{} %", "{}p", "{} [e]"]))
def test_numbers_with_separators_and_symbols_read_back_exactly(number: float, form: str) -> None:
    written = form.format(f"{abs(number):,}")
    if number < 0 or math.copysign(1, number) < 0:
        written = "-" + written
    assert parse_value(written).value == number


@given(st.integers(-(10**15), 10**15))
def test_whole_numbers_with_separators(number: int) -> None:
    assert parse_value(f"£{number:,}".replace("£-", "-£")) == ParsedValue(float(number), None)


@given(st.text())
def test_any_text_is_read_or_refused_with_a_value_parse_error(text: str) -> None:
    try:
        parsed = parse_value(text)
    except ValueParseError:
        return
    assert parsed.value is None or math.isfinite(parsed.value)
    assert (parsed.value is None) == (parsed.status in (S.MISSING, S.SUPPRESSED))


@pytest.mark.parametrize(
    ("text", "status"),
    [
        *[(t, S.PROVISIONAL) for t in ["p", "P", "[p]", "prov", "provisional", " Provisional "]],
        *[(t, S.ESTIMATED) for t in ["e", "est", "estimated", "[e]"]],
        *[(t, S.SUPPRESSED) for t in ["c", "x", "suppressed", "[c]", "[x]"]],
        *[(t, S.UNRELIABLE) for t in ["u", "unreliable", "[u]"]],
        *[(t, S.REVISED) for t in ["r", "rev", "revised", "[r]"]],
        ("final", S.FINAL),
        ("missing", S.MISSING),
        ("", None),
        ("  ", None),
        ("[]", None),
        (None, None),
    ],
)
def test_parse_status(text: str | None, status: Status | None) -> None:
    assert parse_status(text) == status


@given(st.sampled_from(Status))
def test_every_status_reads_its_own_name(status: Status) -> None:
    assert parse_status(status.value.upper()) is status


@pytest.mark.parametrize("text", ["zzz", "pp", "12", "[low"])
def test_unknown_status_is_refused(text: str) -> None:
    with pytest.raises(ValueParseError, match=r"is not a status: expected p, e"):
        parse_status(text)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", True),
        ("Percent", True),
        (" percentage ", True),
        ("per cent", True),
        ("% of pupils", True),
        ("Percentage of households", True),
        ("percentage points", False),
        ("count", False),
        ("£", False),
        ("rate per 1,000", False),
        ("", False),
    ],
)
def test_is_percentage_unit(unit: str, expected: bool) -> None:
    assert is_percentage_unit(unit) is expected
