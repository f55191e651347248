"""What a column's values look like: the share of them that read as money, as dates, as
company numbers. Mapping uses it to confirm a heading ("Amount" over a column of names is
doubtful) and to name a column its heading does not (a column of dates is the date)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .fields import Field
from .values import ValueRefused, parse_amount, parse_date

SAMPLE = 200  # values looked at per column: enough to judge, quick on a large file
# Companies House numbers: eight digits, or two letters (SC, NI, OC ...) and six digits.
_COMPANY = re.compile(r"(?:\d{8}|[A-Z]{2}\d{6})")


def _reads(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def test(value: str) -> bool:
        try:
            parse(value)
        except ValueRefused:
            return False
        return True

    return test


_TESTS: dict[Field, Callable[[str], bool]] = {
    Field.AMOUNT: _reads(parse_amount),
    Field.VAT: _reads(parse_amount),
    Field.DATE: _reads(parse_date),
    Field.COMPANY_NUMBER: lambda value: bool(_COMPANY.fullmatch(value.strip().upper())),
}
# Fields a column may be given by its content alone, when no heading names them: the
# narrowest test first, since a column of dates or company numbers reads as money too.
BY_CONTENT = (Field.DATE, Field.COMPANY_NUMBER, Field.AMOUNT)


def filled(values: Sequence[str]) -> list[str]:
    """The column's non-empty values, up to SAMPLE of them."""
    return [value for value in values if value.strip()][:SAMPLE]


def fit(field: Field, values: Sequence[str]) -> float:
    """The share of `values` (non-empty) that read as `field`; 1 for a field of free text,
    0 for a column with no values."""
    if not values:
        return 0.0
    test = _TESTS.get(field)
    if test is None:
        return 1.0
    return sum(map(test, values)) / len(values)


def looks_like(values: Sequence[str]) -> list[tuple[Field, float]]:
    """The fields a column could be by its content alone, narrowest first, with how well
    it fits each."""
    fits = [(field, fit(field, values)) for field in BY_CONTENT]
    return [(field, share) for field, share in fits if share >= 0.9]
