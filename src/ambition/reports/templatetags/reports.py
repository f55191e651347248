"""Amounts in the pack, in their ledger unit: pounds, days or items."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def amount(value: object, unit: str) -> str:
    """`Decimal("1234.5")|amount:"GBP"` -> "£1,234.50"; days and items to one decimal
    place where they have one, with the unit."""
    if (number := _finite(value)) is None:
        return ""
    sign = "\u2212" if number < 0 else ""  # a minus sign, not a hyphen
    number = abs(number)
    if unit == "GBP":
        return f"{sign}£{number:,.2f}"
    shown = f"{number:,.1f}".removesuffix(".0")
    word = unit.rstrip("s") if shown == "1" else unit
    return f"{sign}{shown} {word}".strip()


@register.filter
def percent(value: object) -> str:
    if (share := _finite(value)) is None:
        return ""
    try:
        # Formatted, not made an int: no digit limit, and halves to even as round() does.
        whole = f"{share.scaleb(2):.0f}"
    except ArithmeticError:  # past Decimal's largest exponent
        return ""
    return f"{'0' if whole == '-0' else whole}%"


def _finite(value: object) -> Decimal | None:
    """The value as a finite Decimal; None for none, text that is no number, NaN or an
    infinity, which a page shows as blank rather than failing for everyone."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
