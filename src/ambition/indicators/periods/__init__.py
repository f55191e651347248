"""Read the period labels that our data sources write, into one canonical form.

A period is a run of whole days with a kind (a calendar year, a financial quarter,
a span of years ...) and, for years, a basis. Every label we accept names exactly
one Period, and every Period's `label` parses back to it, so the canonical label
can be stored, shown and compared as text.

The sources disagree, so some labels are ambiguous. They are settled like this:

- "2019/20", "2019-20" and "2019/2020" are a financial year, or an academic year
  when the indicator's basis is academic. A slash always means such a year; a dash
  means two calendar years only when the indicator's basis is calendar.
- "2014-16", whose second year does not follow the first, is a span of calendar
  years (DfE LAIT writes three-year averages so).
- "2019-03" is March 2019, as ISO 8601 writes it. "2008-09" reads as financial year
  2008/09, except under the calendar basis, where it is September 2008. A span of
  calendar years whose two-digit end could be a month is labelled with four digits
  ("2005-2007"), as is one that crosses a century ("1998-2001").
- An ISO 8601 interval that covers exactly a month, a calendar quarter, or whole
  calendar, financial or academic years becomes that period, so "2019-04-01/P1Y"
  is financial year 2019/20; any other interval keeps its exact dates.
- Periods must fall between 1 January 1900 and 31 December 2100.

The package's modules: `model` (the Period, its kinds and canonical labels),
`parsing` (labels to periods), `iso` (ISO 8601 dates and intervals), `building`
(the date arithmetic they share) and `calendar` (the financial year, its label and dates,
the year a page asks for, adding months: the time rules every app shares). Import from
the package, not from them.
"""

from .calendar import (
    FIRST_YEAR,
    add_months,
    chosen_year,
    decimal_year,
    financial_year,
    financial_year_dates,
    year_label,
)
from .model import Period, PeriodError, PeriodKind, YearBasis
from .parsing import parse_period, split_qualifier

__all__ = [
    "FIRST_YEAR",
    "Period",
    "PeriodError",
    "PeriodKind",
    "YearBasis",
    "add_months",
    "chosen_year",
    "decimal_year",
    "financial_year",
    "financial_year_dates",
    "parse_period",
    "split_qualifier",
    "year_label",
]
