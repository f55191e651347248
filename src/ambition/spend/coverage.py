"""Which days of which months a file covers, and so which earlier files it replaces. Pure:
records and periods in, spans out.

A file given its own period (the GLA's `Period 1 2013/14 (1 April 2013 - 27 April 2013)`, a
Lambeth file named for its month) covers the days of that period. A file with none covers
the days its rows hold, month by month, so that one stray date (a typing slip) adds that
day, not every month between it and the rest. A row belongs to the month its date or
period starts in, held within its file's months: a row dated after its file's period
stands or falls with the file's last month, as the publisher filed it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ambition.indicators.periods import Period, add_months

from .reading import Record


@dataclass(frozen=True, slots=True)
class Cover:
    month: date  # the month's first day
    first_day: date
    last_day: date

    def meets(self, other: Cover) -> bool:
        """Whether the two share a day."""
        return self.month == other.month and not (
            self.last_day < other.first_day or other.last_day < self.first_day
        )

    def holds(self, other: Cover) -> bool:
        """Whether this covers every day the other does, and so replaces it. Publishers'
        own periods may share a day or two at their ends (the GLA's P10 2017/18 ran to 10
        January 2018, yet P11 began on the 7th): that is no re-publication of the other."""
        return self.month == other.month and (
            self.first_day <= other.first_day and other.last_day <= self.last_day
        )


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def covers_of_period(period: Period) -> list[Cover]:
    """A period's days, cut at each month's end."""
    covers, month = [], month_of(period.start)
    while month <= period.end:
        first, last = max(month, period.start), min(month_end(month), period.end)
        covers.append(Cover(month, first, last))
        month = add_months(month, 1)
    return covers


def covers_of_records(records: Iterable[Record]) -> list[Cover]:
    """The days the rows hold, month by month (a row's period counts whole)."""
    spans: dict[date, tuple[date, date]] = {}
    for record in records:
        for cover in _record_covers(record):
            first, last = spans.get(cover.month, (cover.first_day, cover.last_day))
            spans[cover.month] = (min(first, cover.first_day), max(last, cover.last_day))
    return [Cover(month, *spans[month]) for month in sorted(spans)]


def _record_covers(record: Record) -> list[Cover]:
    if record.date is not None:
        return [Cover(month_of(record.date), record.date, record.date)]
    return covers_of_period(record.period) if record.period is not None else []


def record_month(record: Record, first: date, last: date) -> date:
    """The month of the file a row belongs to: its own, held within the file's months."""
    day = record.date or (record.period.start if record.period is not None else first)
    return min(max(month_of(day), first), last)
