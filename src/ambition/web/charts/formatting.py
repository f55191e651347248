"""Values for display: shared by the charts and the template filters (templatetags/ambition.py)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext

NO_DATA = "No data"
POLARITY_LABELS = {"higher": "Higher is better", "lower": "Lower is better"}
NO_POLARITY_LABEL = "Not stated by the source"
PERCENT_UNITS = {"%", "percent", "percentage", "per cent"}
BARE_UNITS = {"", "number", "count", "no.", "n", "score", "index", "ratio"}
MONEY_SUFFIXES = {"k", "m", "bn"}
MOST_PLACES = 20  # more decimals than any source publishes, and a bound on the work


def as_number(value: object) -> float | None:
    """A finite float, or None for a missing, non-numeric or non-finite value."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):  # an int past any float; a signalling NaN
        return None
    return number if math.isfinite(number) else None


def format_number(value: object, places: int = -1) -> str | None:
    """Thousands separators and `places` decimals, halves rounded up as in published
    statistics; a negative `places` shows up to that many decimals only when the value is not
    whole (as Django's floatformat). None: no value."""
    number = as_number(value)
    if number is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(number))
    digits = min(abs(places), MOST_PLACES)
    # quantize fails past the context's precision (28 digits by default: a value of 1e27
    # with one decimal), so the precision is made to fit the value, up to any float's.
    with localcontext(prec=max(28, exact.adjusted() + digits + 2)):
        rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if places < 0 and rounded == rounded.to_integral_value():
            rounded, digits = rounded.quantize(Decimal(1)), 0
    text = f"{rounded:,.{digits}f}"
    return text[1:] if text.startswith("-") and rounded.is_zero() else text


def format_with_unit(text: str, unit: str | None) -> str:
    """'12.3' and '%' -> '12.3%'; '£' -> '£12.3'; '£m' -> '£12.3m'; 'days' -> '12.3 days'."""
    unit = (unit or "").strip()
    if unit.lower() in BARE_UNITS:
        return text
    if unit.lower() in PERCENT_UNITS:
        return f"{text}%"
    if unit.startswith("£"):
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        rest = unit[1:].strip()
        joiner = "" if not rest or rest.lower() in MONEY_SUFFIXES else " "
        return f"{sign}£{digits}{joiner}{rest}"
    return f"{text} {unit}"


def display_value(value: object, unit: str | None, places: int = 1) -> str:
    text = format_number(value, places)
    return NO_DATA if text is None else format_with_unit(text, unit)


def display_change(value: object, unit: str | None, places: int = 1) -> str:
    """A difference between two values: of a percentage, in percentage points (a rate that
    goes from 22% to 30% moved 8 points, not 8%); of anything else, in its unit."""
    if unit != "%":
        return display_value(value, unit, places)
    text = format_number(value, places)
    return NO_DATA if text is None else f"{text} percentage points"


def places_for(values: Iterable[object], significant: int = 3) -> int:
    """Decimals enough to show the largest value to `significant` figures, but no more than
    the values have (at most 3): for charts not told an indicator's decimal places."""
    numbers = [n for n in map(as_number, values) if n is not None]
    largest = max((abs(n) for n in numbers), default=0.0)
    if largest == 0:
        return 0
    wanted = significant - 1 - math.floor(math.log10(largest))
    held = max(_decimals_held(n) for n in numbers)
    return max(0, min(3, wanted, held))


def _decimals_held(number: float) -> int:
    exponent = Decimal(repr(number)).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def polarity_label(polarity: str | None) -> str:
    return POLARITY_LABELS.get((polarity or "").strip().lower(), NO_POLARITY_LABEL)


def mid_sentence(name: str) -> str:
    """A name as it reads inside a sentence: its first letter lower-cased unless the first word
    is an acronym or a proper noun written in capitals ("NEET", "ONS"), and nothing else
    changed, so "Employment rate (Great Britain)" reads "employment rate (Great Britain)"."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    if len(first) > 1 and first[1:2].isupper():
        return name
    return name[:1].lower() + name[1:]
