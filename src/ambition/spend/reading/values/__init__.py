"""The values of a spending file's cells: amounts of money (`amounts`), dates (`dates`),
period labels (`periods`), and the rows and names that are not spend to a supplier
(`markers`: blank and total rows, redacted suppliers). Each reader returns its value or
raises `ValueRefused`, whose message says why in words a person can act on."""

from .amounts import parse_amount
from .dates import parse_date
from .markers import is_blank, is_redacted, is_total
from .periods import parse_spend_period, period_in_name
from .refusal import ValueRefused

__all__ = [
    "ValueRefused",
    "is_blank",
    "is_redacted",
    "is_total",
    "parse_amount",
    "parse_date",
    "parse_spend_period",
    "period_in_name",
]
