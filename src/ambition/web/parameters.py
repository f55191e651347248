"""Numbers and ids read from a query string or a form: one reading for every page, so a
hostile value (`abc`, `²`, twenty digits) is refused the same way everywhere, never a 500.
`str.isdigit()` is not enough: it is true of `²` and of other scripts' digits, which
`int()` refuses or misreads."""

from __future__ import annotations

from typing import Any

from django import forms

# Beyond any row id, and within every database's integers: a larger id is simply not found.
LARGEST_ID = 2**62


def whole_number(text: str | None, lowest: int, highest: int) -> int | None:
    """`text` as a whole number written in ASCII digits within [lowest, highest], else None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(highest)):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None


def object_id(text: str | None) -> int | None:
    """A row id named by a parameter, or None when it cannot name a row."""
    return whole_number(text, 1, LARGEST_ID - 1)


class IdField(forms.IntegerField):
    """A form field naming a row by its id: a hostile value is a form error."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID - 1)
        super().__init__(**kwargs)


class ChoicesById(forms.ModelMultipleChoiceField):
    """Rows chosen by their ids (check boxes, a multiple select): a value that cannot be an
    id is a form error before the database sees it (SQLite cannot even compare an integer
    beyond 64 bits, and Django's `__in` lookup does not guard it)."""

    def _check_values(self, value: Any) -> Any:
        for chosen in value if isinstance(value, (list, tuple)) else ():
            if object_id(str(chosen)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": chosen},
                )
        return super()._check_values(value)
