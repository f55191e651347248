"""Early warning: each series' chance of falling into the comparator group's bottom quartile
next period (or of missing its target) by the method the methodology chooses (see
`methods.py`: last value, damped trend, trend, a logistic model learnt from every
authority's history, and the naive rule as the reference), and a rolling-origin backtest
of every method against the naive rule "in the bottom quartile now, so next period too".

The forecasting methods are closed form (least squares and the t distribution), so the same
frames always give the same numbers and each one can be worked by hand:
- the trend method forecasts a series with at least three values by the straight line
  through its last `window` values; the prediction standard error is the textbook one for
  a new point, s * sqrt(1 + 1/n + (t_next - mean t)^2 / Sxx), with n - 2 degrees of
  freedom, but never less than the random-walk spread below: a short run of equal values
  (0% five years running) fits a line exactly, and would otherwise claim certainty;
- the last-value method (and the trend method for a shorter series) forecasts the last
  value, with the indicator's typical year-on-year change as the spread: the root mean
  square, over every series of the indicator, of the change between consecutive values per
  square root of the years between them, times the square root of the years from the last
  value to the next period (a random walk's spread), with one fewer degree of freedom than
  there were changes;
- the damped trend adds `phi` times the fitted slope per year ahead to the last value,
  with the random-walk spread.
The logistic model is fitted by Newton's method from a zero start: deterministic too.
"""

from __future__ import annotations

from .backtesting import (
    ALL_METHODS,
    CALIBRATION_CASES,
    CALIBRATION_POINTS,
    CASE_COLUMNS,
    Backtest,
    backtest,
)
from .forecasting import (
    CASE,
    DAMPED_TREND,
    FORECAST_COLUMNS,
    LAST_VALUE,
    LAST_VALUE_METHOD,
    LINEAR_TREND,
    MIN_TREND_POINTS,
    SERIES,
    TREND,
    forecast_at,
    forecast_next,
)
from .methods import LOGISTIC, METHODS, NAIVE, WarningMethod
from .metrics import calibration, confusion, rates
from .probabilities import (
    COMMON_SHARE,
    QUARTILE,
    bottom_quartile_threshold,
    probability_worse,
    warning_probabilities,
)
from .warning import early_warning

__all__ = [
    "ALL_METHODS",
    "CALIBRATION_CASES",
    "CALIBRATION_POINTS",
    "CASE",
    "CASE_COLUMNS",
    "COMMON_SHARE",
    "DAMPED_TREND",
    "FORECAST_COLUMNS",
    "LAST_VALUE",
    "LAST_VALUE_METHOD",
    "LINEAR_TREND",
    "LOGISTIC",
    "METHODS",
    "MIN_TREND_POINTS",
    "NAIVE",
    "QUARTILE",
    "SERIES",
    "TREND",
    "Backtest",
    "WarningMethod",
    "backtest",
    "bottom_quartile_threshold",
    "calibration",
    "confusion",
    "early_warning",
    "forecast_at",
    "forecast_next",
    "probability_worse",
    "rates",
    "warning_probabilities",
]
