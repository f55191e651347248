"""Check each row of an import file: resolve its authority, indicator and period, read its
value and bounds within the range the indicator's unit allows, and collect every problem
with its row and column in the report, which says what an import did or would do."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .layouts import Record
from .periods import split_qualifier
from .resolving import (
    AuthorityResolver,
    IndicatorInfo,
    IndicatorResolver,
    PeriodResolver,
    Unresolved,
)
from .values import (
    Status,
    ValueParseError,
    parse_status,
    parse_value,
    restricted_until_problem,
)

MAX_REPORTED = 1000
QUALIFIER_STATUS = {"prov": Status.PROVISIONAL, "rev": Status.REVISED, "final": Status.FINAL}


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    layout: str = ""
    rows_read: int = 0
    observations: int = 0
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(problem)

    def summary(self) -> str:
        if not self.ok:
            shown = len(self.problems)
            more = f" (the first {shown} are listed)" if shown < self.problem_count else ""
            return f"{self.file_name}: {self.problem_count} problem(s){more}; nothing was imported."
        verb = "would make" if self.dry_run else "made"
        return (
            f"{self.file_name}: {self.rows_read} rows, {self.observations} observations "
            f"({self.layout} layout); {verb} {self.created} new, {self.revised} revised, "
            f"{self.unchanged} unchanged."
        )


@dataclass
class RowValidator:
    authorities: AuthorityResolver
    indicators: IndicatorResolver
    periods: PeriodResolver
    report: ImportReport
    writable: frozenset[int] | None = None  # None: every authority
    restricted_until: datetime.date | None = None
    _qualifiers: dict[str, Status | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The file's own restriction (the CLI's option, the page's field) is checked once.
        day = self.restricted_until
        if day is not None and (reason := restricted_until_problem(day)) is not None:
            self.report.add(Problem(1, "restricted until", day.isoformat(), reason))

    def row(self, record: Record) -> tuple[Any, ...] | None:
        problems_before = self.report.problem_count
        authority = self._resolve(record, "authority", record.authority, self.authorities.resolve)
        if authority is not None and self.writable is not None and authority not in self.writable:
            self._problem(
                record, "authority", record.authority, "you may not write for this authority"
            )
        indicator = self._resolve(record, "indicator", record.indicator, self.indicators.resolve)
        period = None
        if indicator is not None:
            period = self._resolve(
                record,
                record.period_column,
                record.period,
                lambda text: self.periods.resolve(text, indicator.basis),
            )
        value, status = self._value(record)
        lower = self._bound(record, "lower", record.lower)
        upper = self._bound(record, "upper", record.upper)
        if indicator is not None:
            self._in_range(record, indicator, (record.value_column, record.value, value))
            self._in_range(record, indicator, ("lower", record.lower, lower))
            self._in_range(record, indicator, ("upper", record.upper, upper))
        if lower is not None and upper is not None and lower > upper:
            self._problem(record, "lower", record.lower, "the lower bound is above the upper")
        restricted = self._restricted(record)
        if self.report.problem_count != problems_before:
            return None
        status = status or self._qualifier_status(record.period)
        return (
            record.row,
            authority,
            indicator.id,
            period,  # type: ignore[union-attr]
            value,
            status.value if status else "",
            lower,
            upper,
            restricted,
        )

    def _restricted(self, record: Record) -> datetime.date | None:
        """Until when the row is kept from the public: its own column, else the file's."""
        text = record.restricted.strip()
        if not text:
            return self.restricted_until
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            reason = "not a date: write restricted-until dates as YYYY-MM-DD"
            self._problem(record, "restricted until", text, reason)
            return None
        if (reason := restricted_until_problem(day)) is not None:
            self._problem(record, "restricted until", text, reason)
        return day

    def _in_range(
        self, record: Record, indicator: IndicatorInfo, cell: tuple[str, str, float | None]
    ) -> None:
        """A value or bound outside the range its indicator's unit allows is refused."""
        column, text, number = cell
        if number is not None and (reason := indicator.values.problem(number)) is not None:
            self._problem(record, column, text, reason)

    def _resolve(
        self, record: Record, column: str, text: str, resolve: Callable[[str], Any]
    ) -> Any:
        try:
            return resolve(text)
        except Unresolved as error:
            self._problem(record, column, text, str(error))
            return None

    def _value(self, record: Record) -> tuple[float | None, Status | None]:
        try:
            parsed = parse_value(record.value)
            stated = parse_status(record.status) if record.status.strip() else None
        except ValueParseError as error:
            column = "status" if "status" in str(error) else record.value_column
            self._problem(record, column, record.value, str(error))
            return None, None
        return parsed.value, stated or parsed.status

    def _bound(self, record: Record, column: str, text: str) -> float | None:
        if not text.strip():
            return None
        try:
            return parse_value(text).value
        except ValueParseError as error:
            self._problem(record, column, text, str(error))
            return None

    def _qualifier_status(self, label: str) -> Status | None:
        if label not in self._qualifiers:
            qualifier = split_qualifier(label)[1]
            self._qualifiers[label] = QUALIFIER_STATUS.get((qualifier or "").lower())
        return self._qualifiers[label]

    def _problem(self, record: Record, column: str, value: str, reason: str) -> None:
        self.report.add(Problem(record.row, column, value, reason))
