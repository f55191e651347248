"""Amounts are read exactly, as Decimal, in every way finance systems write them; anything
else is refused with a reason, never read as what it might have meant."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambition.spend.reading.values import ValueRefused, parse_amount

AMOUNTS = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)
ANY_PLACES = st.integers(0, 4).flatmap(
    lambda places: st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=places, allow_nan=False
    )
)


def styles(amount: Decimal) -> list[str]:
    """The amount written each way a spending file writes it."""
    size, minus = abs(amount), amount < 0
    grouped, plain = f"{size:,.2f}", f"{size:.2f}"
    written = [f"{amount:.2f}", f"{'-' if minus else ''}{grouped}", f" {amount:.2f} "]
    written.append(f"{'-' if minus else ''}£{grouped}")
    written.append(f"£{'-' if minus else ''}{grouped}")
    if minus:
        written += [f"({grouped})", f"(£{grouped})", f"{plain}-", f"CR {grouped}"]
        written += [f"{plain} CR", f"{plain}CR", f"\u2212{grouped}"]
    else:
        written += [f"{plain} DR", f"GBP {grouped}", f"+{plain}"]
    return written


@given(AMOUNTS)
def test_every_style_reads_back_exactly(amount: Decimal) -> None:
    for text in styles(amount):
        parsed = parse_amount(text)
        assert isinstance(parsed, Decimal)
        assert parsed == amount, text


@given(ANY_PLACES)
def test_the_places_written_are_kept(amount: Decimal) -> None:
    parsed = parse_amount(format(amount, "f"))
    assert parsed == amount
    assert parsed.as_tuple().exponent == amount.as_tuple().exponent


@given(st.text(max_size=20))
def test_any_text_is_refused_or_read_from_its_own_digits(text: str) -> None:
    """Whatever is accepted is made of the digits written, in order: nothing invented."""
    try:
        parsed = parse_amount(text)
    except ValueRefused:
        return
    assert isinstance(parsed, Decimal)
    written = re.sub(r"[^0-9]", "", text)
    assert format(abs(parsed), "f").replace(".", "") == written


@given(AMOUNTS, st.sampled_from("xyzqjkw$€?"), st.data())
def test_a_stray_character_is_refused(amount: Decimal, stray: str, data: st.DataObject) -> None:
    text = f"{amount:,.2f}"
    at = data.draw(st.integers(0, len(text)))
    with pytest.raises(ValueRefused):
        parse_amount(text[:at] + stray + text[at:])


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1,234.50", "1234.50"),
        ("(1,234.50)", "-1234.50"),
        ("-£1,234.50", "-1234.50"),
        ("1234.5-", "-1234.5"),
        ("£1,234", "1234"),
        (" 12 ", "12"),
        ("CR 12.00", "-12.00"),
        ("12.00 CR", "-12.00"),
        ("12.00 cr", "-12.00"),
        ("£ ( 12.00 )", "-12.00"),
        ("12\u00a0", "12"),
        ("0.00", "0"),
    ],
)
def test_awkward_amounts(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "there is no amount"),
        ("1,5", "decimal comma"),
        ("12,34.5", "separators are misplaced"),
        ("1 234", "not an amount"),
        ("--12", "sign twice"),
        ("(-12)", "sign twice"),
        ("-(12)", "not an amount"),
        ("CR -12", "sign twice"),
        ("$12", "in pounds"),
        ("€12", "in pounds"),
        ("1e5", "not an amount"),
        ("nan", "not an amount"),
        ("Infinity", "not an amount"),
        ("12..3", "not an amount"),
        ("PRIVATE RESIDENTIAL CARE", "not an amount"),
        ("991.00W C Evans & Sons Ltd", "not an amount"),
    ],
)
def test_refusals_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueRefused, match=re.escape(reason)):
        parse_amount(text)
