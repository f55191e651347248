"""Importing net revenue budgets from a CSV: `ons_code, year, amount`, and optionally
`source`, `illustrative` and `name` (for people reading the file; ignored). Lines that
begin with "#" are notes. Every bad row is reported with its row (as a spreadsheet numbers
it, the header being row 1), column and reason, and then nothing is written. A figure
that matches the latest revision adds nothing, a changed one adds a revision, so the
same file imported twice adds nothing the second time."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from ambition.indicators.periods import FIRST_YEAR
from ambition.registry.models import Authority

from .models import NetBudget

REQUIRED = ("ons_code", "year", "amount")
LAST_YEAR = 2100
LARGEST = Decimal("999999999999.99")  # what the amount column holds
YEAR = re.compile(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?")
TRUE, FALSE = ("yes", "true", "1", "y"), ("no", "false", "0", "n", "")


class ParseError(ValueError):
    """A value that cannot be read; the message says why."""


def parse_year(text: str) -> int:
    """2008, "2008/09", "2008-09" or "2008/2009" -> 2008 (the financial year it starts)."""
    match = YEAR.fullmatch(text.strip())
    if match is None:
        raise ParseError(f"{text!r} is not a financial year such as 2008 or 2008/09")
    start, end = int(match[1]), match[2]
    if end is not None and int(end) != (start + 1) % 10 ** len(end):
        raise ParseError(f"{text!r} does not name one financial year: {end} does not follow")
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ParseError(f"{start} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
    return start


def parse_amount(text: str) -> Decimal:
    """A sum in pounds: "1234567.89", "£1,234,567.89"; positive, at most two decimals."""
    cleaned = text.strip().removeprefix("£").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ParseError(f"{text!r} is not an amount in pounds such as 1234567.89") from None
    if not amount.is_finite() or amount <= 0:
        raise ParseError(f"{text!r} is not a positive amount")
    # Too large first: a quantized 1E100 has more digits than the context holds.
    if amount > LARGEST or amount != amount.quantize(Decimal("0.01")):
        raise ParseError(f"{text!r} has more than two decimal places or is too large")
    return amount.quantize(Decimal("0.01"))


def parse_flag(text: str) -> bool:
    word = text.strip().lower()
    if word not in TRUE + FALSE:
        raise ParseError(f"{text!r} is not yes or no")
    return word in TRUE


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class Figure:
    row: int
    authority: Authority
    year: int
    amount: Decimal
    source: str
    illustrative: bool


@dataclass
class Report:
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def is_note(line: str) -> bool:
    return line.lstrip().startswith("#")


def leading_notes(lines: list[str]) -> int:
    return next((n for n, line in enumerate(lines) if not is_note(line)), len(lines))


def rows_of(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, row) for each data row. Notes are counted but not read: later ones are
    blanked, which the reader skips, so every row keeps its number in the file."""
    lines = text.splitlines()
    skipped = leading_notes(lines)
    body = ["" if is_note(line) else line for line in lines[skipped:]]
    reader = csv.DictReader(io.StringIO("\n".join(body)))
    for row in reader:
        cells = {(k or "").strip().lower(): v for k, v in row.items() if isinstance(v, str)}
        yield skipped + reader.line_num, {k: v.strip() for k, v in cells.items()}


def header_problems(text: str) -> list[Problem]:
    lines = text.splitlines()
    skipped = leading_notes(lines)
    first = lines[skipped] if skipped < len(lines) else ""
    columns = {c.strip().lower() for c in next(csv.reader([first]), [])}
    return [Problem(skipped + 1, c, "this column is missing") for c in REQUIRED if c not in columns]


def read_row(
    number: int, row: dict[str, str], authorities: dict[str, Authority]
) -> tuple[Figure | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    readers = {"year": parse_year, "amount": parse_amount, "illustrative": parse_flag}
    for column, parse in readers.items():
        try:
            values[column] = parse(row.get(column, ""))
        except ParseError as error:
            problems.append(Problem(number, column, str(error)))
    authority = authorities.get(row.get("ons_code", "").upper())
    if authority is None:
        reason = f"no authority has the ONS code {row.get('ons_code', '')!r}"
        problems.append(Problem(number, "ons_code", reason))
    if problems or authority is None:
        return None, problems
    source = row.get("source", "")[:300]
    return Figure(
        number, authority, values["year"], values["amount"], source, values["illustrative"]
    ), []


def read(text: str) -> tuple[list[Figure], list[Problem]]:
    """Every figure of the file, or every problem in it."""
    problems = header_problems(text)
    if problems:
        return [], problems
    authorities = Authority.objects.in_bulk(field_name="code")
    figures: list[Figure] = []
    seen: dict[tuple[str, int], int] = {}
    for count, (number, row) in enumerate(rows_of(text), start=1):
        if count > settings.IMPORT_MAX_ROWS:
            limit = f"the file has more than {settings.IMPORT_MAX_ROWS:,} rows, the limit"
            return [], [*problems, Problem(number, "ons_code", limit)]
        figure, found = read_row(number, row, authorities)
        problems += found
        if figure is None:
            continue
        key = (figure.authority.code, figure.year)
        if key in seen:
            problems.append(
                Problem(number, "year", f"row {seen[key]} has the same authority and year")
            )
        seen[key] = number
        figures.append(figure)
    if not figures and not problems:
        problems.append(Problem(1, "ons_code", "the file has no rows"))
    return figures, problems


def store(figures: Iterable[Figure], report: Report) -> None:
    """A new revision for each figure that differs from the latest one. The authorities'
    rows are locked first (in one order), so two imports at once cannot both add the
    same revision."""
    figures = list(figures)
    ids = sorted({f.authority.pk for f in figures})
    list(Authority.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    for f in figures:
        latest = (
            NetBudget.objects.filter(authority=f.authority, year=f.year)
            .order_by("-revision")
            .first()
        )
        if latest is not None and latest.same_figure == (f.amount, f.source, f.illustrative):
            report.unchanged += 1
            continue
        NetBudget.objects.create(
            authority=f.authority,
            year=f.year,
            amount=f.amount,
            source=f.source,
            illustrative=f.illustrative,
            revision=(latest.revision + 1) if latest else 1,
        )
        report.added += 1


def import_budgets(text: str) -> Report:
    """All or nothing: the figures are stored only when every row is good."""
    figures, problems = read(text)
    report = Report(rows=len(figures), problems=problems)
    if problems:
        return report
    with transaction.atomic():
        store(figures, report)
    return report


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252 as spreadsheets save."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
