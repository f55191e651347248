"""Amounts of money, read exactly as `Decimal` (never a float) from the ways finance
systems write them: `1,234.50`, `1234.5`, `£1,234`, ` 12 `, and credits as `-£1,234.50`,
`£-1,234.50`, `(1,234.50)`, `1234.5-`, `CR 12.00` or `12.00 CR` (`DR` marks a debit).
Anything else is refused with its reason, never read as something it might have meant:
a decimal comma, misplaced thousands separators, two signs, another currency, an exponent."""

from __future__ import annotations

import re
from decimal import Decimal

from .refusal import ValueRefused

_PLAIN = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)  # nearly every cell, read at once
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MONEY = re.compile(
    rf"(?P<lead>[-+]?)(?P<pound>£?)(?P<after>[-+]?)(?P<digits>{_DIGITS})(?P<trail>-?)",
    re.ASCII,
)
_BRACKETED = re.compile(r"\((?P<inner>[^()]*)\)")
_CREDIT = re.compile(r"(?:(?P<before>cr|dr)\.?\s*(?P<a>.*)|(?P<b>.*?)\s*(?P<after>cr|dr)\.?)")
_GBP = re.compile(r"(?:gbp\s*(?P<a>.*)|(?P<b>.*?)\s*gbp)")
# Spaces may sit beside a sign, a pound sign or a bracket; between digits they are refused.
_AROUND_SYMBOLS = re.compile(r" ?([-+£()]) ?")
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " "})
_MINUSES = str.maketrans(dict.fromkeys("\u2212\u2013\u2014", "-"))


def parse_amount(text: str) -> Decimal:
    """The amount `text` writes, negative for a credit."""
    stripped = text.strip()
    if _PLAIN.fullmatch(stripped):
        return Decimal(stripped)
    key = " ".join(stripped.translate(_SPACES).translate(_MINUSES).lower().split())
    if not key:
        raise ValueRefused("there is no amount")
    negative, body = _credit(key)
    amount = _bracketed_or_signed(_AROUND_SYMBOLS.sub(r"\1", body), text)
    return -amount if negative else amount


def _credit(key: str) -> tuple[bool, str]:
    """Whether a CR or DR marks the amount as a credit, and the rest of the text."""
    gbp = _GBP.fullmatch(key)
    key = (gbp["a"] if gbp["a"] is not None else gbp["b"]) if gbp else key
    marked = _CREDIT.fullmatch(key)
    if marked is None:
        return False, key
    body = marked["a"] if marked["a"] is not None else marked["b"]
    if body.startswith(("-", "(", "+")) or body.endswith("-"):
        raise ValueRefused(f"{key!r} marks its sign twice: write a credit one way only")
    return (marked["before"] or marked["after"]) == "cr", body


def _bracketed_or_signed(body: str, text: str) -> Decimal:
    pound = "£" if body.startswith("£(") else ""
    if bracketed := _BRACKETED.fullmatch(body[len(pound) :]):
        if "-" in bracketed["inner"] or "+" in bracketed["inner"]:
            raise ValueRefused(f"{text.strip()!r} marks its sign twice")
        return -_signed(pound + bracketed["inner"], text)
    return _signed(body, text)


def _signed(body: str, text: str) -> Decimal:
    match = _MONEY.fullmatch(body)
    if match is None:
        raise ValueRefused(f"{text.strip()!r} is not an amount of money{_hint(body)}")
    signs = [sign for sign in (match["lead"], match["after"], match["trail"]) if sign]
    if len(signs) > 1:
        raise ValueRefused(f"{text.strip()!r} marks its sign twice")
    amount = Decimal(match["digits"].replace(",", ""))
    return -amount if signs == ["-"] else amount


def _hint(body: str) -> str:
    if re.fullmatch(r"[-£]?\d+,\d{1,2}", body):
        return ": a decimal comma is ambiguous, so write pounds and pence with a point"
    if re.search(r"[$€¥]", body):
        return ": amounts are in pounds"
    if re.fullmatch(r"[-£\d,.]*\d[-£\d,.]*", body):
        return ": its separators are misplaced"
    return ""
