"""Amounts in the pack, in their ledger unit: pounds, days or items."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def amount(value: object, unit: str) -> str:
    """`Decimal("1234.5")|amount:"GBP"` -> "£1,234.50"; days and items to one decimal
    place where they have one, with the unit."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    sign = "\u2212" if number < 0 else ""  # a minus sign, not a hyphen
    number = abs(number)
    if unit == "GBP":
        return f"{sign}£{number:,.2f}"
    shown = f"{number:,.1f}".removesuffix(".0")
    word = unit.rstrip("s") if shown == "1" else unit
    return f"{sign}{shown} {word}".strip()


@register.filter
def percent(value: object) -> str:
    if value is None or value == "":
        return ""
    return f"{round(float(str(value)) * 100)}%"
