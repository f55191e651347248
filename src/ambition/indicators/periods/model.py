"""The Period, its kinds and year bases, and its canonical label."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .calendar import financial_year


class PeriodError(ValueError):
    """A label that names no period; the message tells its writer why."""


class PeriodKind(StrEnum):
    YEAR = "year"
    FINANCIAL_YEAR = "financial_year"
    ACADEMIC_YEAR = "academic_year"
    QUARTER = "quarter"
    FINANCIAL_QUARTER = "financial_quarter"
    MONTH = "month"
    SPAN = "span"
    INTERVAL = "interval"
    INSTANT = "instant"


class YearBasis(StrEnum):
    CALENDAR = "calendar"
    FINANCIAL = "financial"
    ACADEMIC = "academic"


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive: the period's last day
    basis: YearBasis = YearBasis.CALENDAR  # for a span, the basis of its years

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        return _LABELS[self.kind](self)


# Canonical labels.


def _pair_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def _later_label(first: int, last: int) -> str:
    # Two digits would read as a month ("2005-07") or, across a century, a year before.
    if first // 100 != last // 100 or 1 <= last % 100 <= 12:
        return str(last)
    return f"{last % 100:02d}"


def _span_label(period: Period) -> str:
    first = period.start.year
    if period.basis is YearBasis.CALENDAR:
        return f"{first}-{_later_label(first, period.end.year)}"
    last = period.end.year - 1
    # As for calendar spans, the last year keeps its century only when it changes.
    later = _pair_label(last)[0 if first // 100 != last // 100 else 2 :]
    return f"{_pair_label(first)}-{later}"


def _financial_quarter_label(period: Period) -> str:
    start = period.start
    year = financial_year(start)
    return f"{_pair_label(year)} Q{(start.month - 4) % 12 // 3 + 1}"


_LABELS: dict[PeriodKind, Callable[[Period], str]] = {
    PeriodKind.YEAR: lambda p: str(p.start.year),
    PeriodKind.FINANCIAL_YEAR: lambda p: _pair_label(p.start.year),
    PeriodKind.ACADEMIC_YEAR: lambda p: _pair_label(p.start.year),
    PeriodKind.QUARTER: lambda p: f"{p.start.year} Q{(p.start.month - 1) // 3 + 1}",
    PeriodKind.FINANCIAL_QUARTER: _financial_quarter_label,
    PeriodKind.MONTH: lambda p: f"{p.start.year}-{p.start.month:02d}",
    PeriodKind.SPAN: _span_label,
    PeriodKind.INTERVAL: lambda p: f"{p.start.isoformat()}/{p.end.isoformat()}",
    PeriodKind.INSTANT: lambda p: p.start.isoformat(),
}
