"""Pure computation over Polars frames: no database, no request. Every function here is
a function of its frames and arguments, so a run is reproducible and benchmarked alone.

Frame conventions shared by the engine modules:
- observations: `authority` (str, ONS code), `indicator` (str, code), `period` (str,
  label), `t` (f64, the period's end as a decimal year, for trends), `value` (f64, null
  when missing or suppressed).
- indicators: `indicator` (str), `polarity` (i8: +1 higher is better, -1 lower is
  better, 0 none stated; an indicator with 0 is never ranked or scored).
- "goodness" is `value * polarity`, so that larger is always better.
"""
