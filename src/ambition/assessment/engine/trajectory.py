"""A partnership target's straight-line forecast: a least-squares line through the target's
value at each date its method was run for, read a year after the last date. It is worked
out once, when a run is made, and stored with the run's targets, so the dashboard shows the
same forecast on every visit rather than fitting one on each page load."""

from __future__ import annotations

import datetime

import numpy as np


def decimal_year(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def straight_line_forecast(
    points: list[tuple[datetime.date, float]],
) -> tuple[datetime.date, float] | None:
    """A least-squares line through the points, read a year after the last, kept within 0-1
    (the targets are shares of members). None with fewer than two dates."""
    if len({day for day, _ in points}) < 2:
        return None
    x = np.array([decimal_year(day) for day, _ in points])
    y = np.array([value for _, value in points])
    slope, intercept = np.polyfit(x, y, 1)
    when = a_year_after(max(day for day, _ in points))
    return when, float(min(1.0, max(0.0, intercept + slope * decimal_year(when))))
