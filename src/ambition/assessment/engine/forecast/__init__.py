"""Early warning: each series' next value with a prediction interval, the chance that it
falls into the comparator group's bottom quartile or misses its target, and a backtest of
that warning against the naive rule "in the bottom quartile now, so next year too".

Everything is closed form (least squares and the t distribution), so the same frames
always give the same numbers and each one can be worked by hand:
- a series with at least three values is forecast by the straight line through its last
  `window` values; the prediction standard error is the textbook one for a new point,
  s * sqrt(1 + 1/n + (t_next - mean t)^2 / Sxx), with n - 2 degrees of freedom, but never
  less than the random-walk spread below: a short run of equal values (0% five years
  running) fits a line exactly, and would otherwise claim certainty about next year;
- a shorter series is forecast by its last value, with the indicator's typical
  year-on-year change as the spread: the root mean square, over every series of the
  indicator, of the change between consecutive values per square root of the years
  between them, times the square root of the years from the last value to the next
  period (a random walk's spread), with one fewer degree of freedom than there were
  changes.
"""

from __future__ import annotations

from .backtesting import (
    CASE_COLUMNS,
    Backtest,
    backtest,
)
from .forecasting import (
    CASE,
    FORECAST_COLUMNS,
    LAST_VALUE,
    LINEAR_TREND,
    MIN_TREND_POINTS,
    SERIES,
    forecast_next,
)
from .probabilities import (
    COMMON_SHARE,
    QUARTILE,
    bottom_quartile_threshold,
    probability_worse,
    warning_probabilities,
)

__all__ = [
    "CASE",
    "CASE_COLUMNS",
    "COMMON_SHARE",
    "FORECAST_COLUMNS",
    "LAST_VALUE",
    "LINEAR_TREND",
    "MIN_TREND_POINTS",
    "QUARTILE",
    "SERIES",
    "Backtest",
    "backtest",
    "bottom_quartile_threshold",
    "forecast_next",
    "probability_worse",
    "warning_probabilities",
]
