"""A council's own residents' survey, in the shape of the LGA's residents' satisfaction
polling: for each question, the number of respondents per answer. The questions and their
answers are data (`data/indicators/residents_survey.toml`); the catalogue loader makes one
indicator per question from the same file.

A survey file is a CSV with the columns period, question, answer and respondents, one row
per answer (the question by its key or its indicator's code). The import reads and checks
every row, works out each question's share of positive answers with its 95% Wilson
interval, and writes those as observations through the one observation importer (so
revisions, atomicity, the authorities a person may write for and idempotence are the same
as for every import), then keeps the counts with the batch that wrote them."""

from __future__ import annotations

import csv
import tempfile
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from .imports import file_sha256, import_observations
from .intervals import wilson_interval
from .models import ImportBatch, Observation, ResidentsSurvey, SurveyAnswerCount
from .periods import YearBasis
from .reading import TableFile, UnreadableFile
from .resolving import PeriodResolver
from .validation import ImportReport, Problem

COLUMNS = ("period", "question", "answer", "respondents")


@dataclass(frozen=True)
class Question:
    key: str
    indicator: str
    name: str
    question: str
    answers: tuple[str, ...]
    positive: frozenset[str]


@dataclass(frozen=True)
class SurveyDefinition:
    survey: str
    method_note: str
    area: dict[str, str]
    questions: tuple[Question, ...]

    def find(self, text: str) -> Question | None:
        wanted = text.strip().lower()
        return next((q for q in self.questions if wanted in (q.key, q.indicator)), None)


def definition_path() -> Path:
    return Path(settings.DATA_DIR) / "indicators" / "residents_survey.toml"


@cache
def definition(path: Path | None = None) -> SurveyDefinition:
    raw = tomllib.loads((path or definition_path()).read_text(encoding="utf-8"))
    questions = tuple(
        Question(
            key=q["key"],
            indicator=q["indicator"],
            name=q["name"],
            question=q["question"],
            answers=tuple(q["answers"]),
            positive=frozenset(q["positive"]),
        )
        for q in raw["questions"]
    )
    return SurveyDefinition(raw["survey"], raw["method_note"], raw["area"], questions)


@dataclass
class Tally:
    """One question's answers in one period, as read, with the file row of its first answer
    (problems found after reading, such as no respondents, are reported there)."""

    question: Question
    first_row: int
    counts: dict[str, int]
    seen: set[str]

    @property
    def respondents(self) -> int:
        return sum(self.counts.values())

    @property
    def positive(self) -> int:
        return sum(n for answer, n in self.counts.items() if answer in self.question.positive)

    def share(self) -> tuple[float, float, float]:
        """The share positive and its 95% Wilson interval, as percentages."""
        lower, upper = wilson_interval(self.positive, self.respondents)
        return 100 * self.positive / self.respondents, 100 * lower, 100 * upper


def columns_of(header: list[str], report: ImportReport) -> dict[str, int] | None:
    """Where each of the four columns is, by name (any order; case and spaces ignored)."""
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    for column in missing:
        report.add(
            Problem(1, column, "", f"no {column} column: a survey file has {', '.join(COLUMNS)}")
        )
    return None if missing else {c: names.index(c) for c in COLUMNS}


def parse_survey(
    rows: list[tuple[int, list[str]]],
    where: dict[str, int],
    report: ImportReport,
    survey: SurveyDefinition,
) -> dict[tuple[str, str], Tally]:
    """Every (period, question)'s answer counts, from the rows after the header (each with
    its file row number); every problem goes in the report with its row and column."""
    tallies: dict[tuple[str, str], Tally] = {}
    for row_no, cells in rows:
        cell = {c: (cells[i] if i < len(cells) else "").strip() for c, i in where.items()}
        if not any(cell.values()):
            continue
        read = _read_row(row_no, cell, report, survey)
        if read is None:
            continue
        question, answer, count = read
        key = (cell["period"], question.key)
        if key not in tallies:
            tallies[key] = Tally(question, row_no, dict.fromkeys(question.answers, 0), set())
        tally = tallies[key]
        if answer in tally.seen:
            reason = "this answer is given twice for the question and period"
            report.add(Problem(row_no, "answer", cell["answer"], reason))
        tally.seen.add(answer)
        tally.counts[answer] = count
    for tally in tallies.values():
        if tally.respondents == 0:
            reason = "no one answered this question in the period"
            report.add(Problem(tally.first_row, "respondents", "0", reason))
    return tallies


def _read_row(
    row_no: int, cell: dict[str, str], report: ImportReport, survey: SurveyDefinition
) -> tuple[Question, str, int] | None:
    before = report.problem_count
    if not cell["period"]:
        report.add(Problem(row_no, "period", "", "no period"))
    question = survey.find(cell["question"])
    answer = cell["answer"].lower().replace("\u2019", "'")
    if question is None:
        known = ", ".join(q.key for q in survey.questions)
        report.add(Problem(row_no, "question", cell["question"], f"not a question ({known})"))
    elif answer not in question.answers:
        choices = "; ".join(question.answers)
        report.add(Problem(row_no, "answer", cell["answer"], f"not an answer to it ({choices})"))
    count = _count(row_no, cell["respondents"], report)
    if report.problem_count != before or question is None or count is None:
        return None
    return question, answer, count


def _count(row_no: int, text: str, report: ImportReport) -> int | None:
    cleaned = text.replace(",", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        report.add(Problem(row_no, "respondents", text, "not a whole number of respondents"))
        return None
    return int(cleaned)


# Where a problem in the observations made from the survey is reported in the survey file.
_COLUMN_IN_SURVEY = {"lower": "respondents", "upper": "respondents", "value": "respondents"}


def import_residents_survey(
    path: Path,
    authority: str,
    *,
    origin: str,
    user: Any = None,
    dry_run: bool = False,
    writable: frozenset[int] | None = None,
    illustrative: bool = False,
    file_name: str = "",
) -> ImportReport:
    """Import one council's survey file: every share with its interval as an observation of
    its question's indicator, and the counts with the batch that wrote them. All or
    nothing; the report lists every problem with its row and column in the survey file."""
    report = ImportReport(file_name or path.name, dry_run=dry_run, layout="survey")
    survey = definition()
    tallies = _read(path, report, survey)
    if not report.ok:
        return report
    with tempfile.TemporaryDirectory() as folder:
        derived, rows = _observations_file(Path(folder), authority, tallies)
        with transaction.atomic():
            written = import_observations(
                derived,
                origin=origin,
                user=user,
                dry_run=dry_run,
                file_name=report.file_name,
                writable=writable,
            )
            _merge(report, written, rows)
            if written.batch_id is not None:
                _keep_counts(written.batch_id, path, tallies, illustrative)
    return report


def _read(
    path: Path, report: ImportReport, survey: SurveyDefinition
) -> dict[tuple[str, str], Tally]:
    try:
        table = TableFile(path, refuse_cell=lambda *cell: report.add(Problem(*cell)))
        rows = [(n, list(cells)) for n, cells in table.rows()]
    except UnreadableFile as error:
        report.add(Problem(1, "", "", str(error)))
        return {}
    if not rows:
        report.add(Problem(1, "", "", "the file is empty"))
        return {}
    where = columns_of(rows[0][1], report)
    if where is None:
        return {}
    tallies = parse_survey(rows[1:], where, report, survey)
    report.rows_read = rows[-1][0] - 1  # rows after the header, as every import counts
    return tallies


def _observations_file(
    folder: Path, authority: str, tallies: dict[tuple[str, str], Tally]
) -> tuple[Path, dict[int, int]]:
    """The shares as a long observations file, and each of its rows' survey-file row."""
    derived = folder / "residents-survey.csv"
    rows: dict[int, int] = {}
    with derived.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["authority", "indicator", "period", "value", "lower", "upper"])
        for row_no, ((period, _), tally) in enumerate(sorted(tallies.items()), start=2):
            value, lower, upper = tally.share()
            writer.writerow(
                [authority, tally.question.indicator, period, repr(value), repr(lower), repr(upper)]
            )
            rows[row_no] = tally.first_row
    return derived, rows


def _merge(report: ImportReport, written: ImportReport, rows: dict[int, int]) -> None:
    for p in written.problems:
        column = _COLUMN_IN_SURVEY.get(p.column, p.column)
        row = 0 if p.column == "authority" else rows.get(p.row, p.row)
        report.add(Problem(row, column, p.value, p.reason))
    report.problem_count = max(report.problem_count, written.problem_count)
    report.observations = written.observations
    report.created, report.revised, report.unchanged = (
        written.created,
        written.revised,
        written.unchanged,
    )
    report.batch_id = written.batch_id


def _keep_counts(
    batch_id: int, path: Path, tallies: dict[tuple[str, str], Tally], illustrative: bool
) -> None:
    """The counts of every share the batch wrote, one survey per period, with the batch;
    the batch names the survey file (its fingerprint and size), not the observations made
    from it. A share the batch left unchanged keeps its counts with the batch before."""
    batch = ImportBatch.objects.get(pk=batch_id)
    batch.sha256, batch.size_bytes, batch.layout = file_sha256(path), path.stat().st_size, "survey"
    batch.save(update_fields=["sha256", "size_bytes", "layout"])
    written = {
        (o.indicator.code, o.period_id): o
        for o in Observation.private_objects.filter(batch=batch).select_related("indicator")
    }
    periods = PeriodResolver()
    surveys: dict[int, ResidentsSurvey] = {}
    counts: list[SurveyAnswerCount] = []
    for (label, _), tally in sorted(tallies.items()):
        code = tally.question.indicator
        basis = next((o.indicator.year_basis for (c, _), o in written.items() if c == code), None)
        if basis is None:
            continue
        found = written.get((code, periods.resolve(label, YearBasis(basis))))
        if found is None:
            continue
        if found.period_id not in surveys:
            surveys[found.period_id] = ResidentsSurvey.objects.create(
                batch=batch,
                authority_id=found.authority_id,
                period_id=found.period_id,
                illustrative=illustrative,
            )
        counts.extend(
            SurveyAnswerCount(
                survey=surveys[found.period_id],
                indicator_id=found.indicator_id,
                answer=answer,
                position=position,
                respondents=tally.counts[answer],
                positive=answer in tally.question.positive,
            )
            for position, answer in enumerate(tally.question.answers)
        )
    SurveyAnswerCount.objects.bulk_create(counts)


def illustrative_batches(batches: set[int] | frozenset[int]) -> set[int]:
    """Those of these import batches that wrote made-up survey numbers (the demo's): a page
    or download showing their observations must say so."""
    found = ResidentsSurvey.objects.filter(batch_id__in=batches, illustrative=True)
    return set(found.values_list("batch_id", flat=True))


def illustrative(batches: set[int] | frozenset[int]) -> bool:
    return bool(illustrative_batches(batches))


def answers_behind(observation: Observation) -> tuple[list[SurveyAnswerCount], bool]:
    """The answer counts a survey share was computed from (none for any other value), and
    whether they are illustrative."""
    counts = list(
        SurveyAnswerCount.objects.filter(
            survey__batch_id=observation.batch_id,
            survey__authority_id=observation.authority_id,
            survey__period_id=observation.period_id,
            indicator_id=observation.indicator_id,
        ).select_related("survey")
    )
    return counts, any(c.survey.illustrative for c in counts)
