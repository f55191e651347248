"""Spending files stored: the real GLA and Lambeth files in, totals out through the engine,
to the penny against plain `csv` + `Decimal` sums of the source files; the same file again
adds nothing; a re-publication replaces the months it covers and the old rows stay stored;
a refused file, or one whose storing fails, leaves nothing behind."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
from calendar import month_name
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ambition.indicators.periods import Period, financial_year, parse_period
from ambition.registry.models import Authority
from ambition.spend.engine import Step
from ambition.spend.models import SpendCoverage, SpendFile, SpendMapping, SpendProblem
from ambition.spend.reading.decoding import repaired
from ambition.spend.reading.values import parse_spend_period
from ambition.spend.store import Result, SpendingFile, spend_root, store_files, store_spend
from ambition.spend.transactions import open_transactions, summarise

# The shared data beside the checkout (`../shared/data`), as CI lays it out.
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
GLA = DATA / "spend-gla" / "clean"
LAMBETH = DATA / "lambeth-payments-to-suppliers" / "payments-to-suppliers"
# Tests of the real files: skipped only off CI, where missing data fails, never skips.
needs_data = pytest.mark.skipif(
    not GLA.exists() and not os.environ.get("CI"), reason="the shared data is not here"
)
pytestmark = needs_data
GLA_FILES = sorted(path.name for path in GLA.glob("*.csv.gz"))
LAMBETH_FILES = sorted(path.name for path in LAMBETH.glob("*.csv"))
# The GLA's 2013/14, and the period whose corporate card rows have no day.
GLA_SUBSET = [n for n in GLA_FILES if n.startswith("2013-")] + ["2019-P05.csv.gz"]
# Rows the Lambeth files damaged (cells run together); June 2012's are many.
LAMBETH_BROKEN = {"2011-10-payments.csv": 1, "2011-11-payments.csv": 1, "2012-02-payments.csv": 1}
Sums = dict[str, dict[object, Decimal]]


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def gla(db: None) -> Authority:
    return Authority.objects.get(code="E61000001")


@pytest.fixture
def lambeth(db: None) -> Authority:
    return Authority.objects.get(code="E09000022")


@cache
def gla_period(name: str) -> Period:
    """The period the GLA's manifest names for a file (its file names' years mislead)."""
    index = json.loads((GLA.parent / "index.json").read_text())["files"]
    labels = {entry["file"] + ".gz": entry["name"] for entry in reversed(index)}
    return parse_spend_period(repaired(labels[name]))


def store_gla(authority: Authority, names: Iterable[str]) -> None:
    for name in names:
        outcome = store_spend(authority, (GLA / name).read_bytes(), name, period=gla_period(name))
        assert outcome.result is Result.STORED, (name, outcome)


def month_named(name: str) -> Period:
    """The month a Lambeth file's name gives, worked out here rather than by the reader
    (these files are monthly)."""
    return parse_period(f"{month_name[int(name[5:7])]} {name[:4]}")


def store_lambeth(authority: Authority, names: Iterable[str] = LAMBETH_FILES) -> None:
    for name in names:
        data = (LAMBETH / name).read_bytes()
        outcome = store_spend(authority, data, name, period=month_named(name), accept_errors=True)
        assert outcome.result is Result.STORED, (name, outcome)


def gla_sums(names: Iterable[str]) -> Sums:
    """By financial year, month and supplier, with csv and Decimal alone: brackets are
    credits; a row with no day counts in its file's period."""
    sums: Sums = {"year": defaultdict(Decimal), "month": defaultdict(Decimal)}
    sums["supplier"] = defaultdict(Decimal)
    for name in names:
        period = gla_period(name)
        with gzip.open(GLA / name, "rt", encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = row["Amount"].replace(",", "")
                amount = -Decimal(text[1:-1]) if text.startswith("(") else Decimal(text)
                day = row["Clearing Date"].strip()
                year = int(day[:4]) - (day[5:7] < "04") if day else financial_year(period.start)
                _add(
                    sums,
                    year,
                    day[:7] or f"{period.start}/{period.end}",
                    row["Vendor Name"],
                    amount,
                )
    return sums


def _add(sums: Sums, year: int, month: str, supplier: str, amount: Decimal) -> None:
    sums["year"][year] += amount
    sums["month"][month] += amount
    sums["supplier"][supplier.strip()] += amount


def lambeth_sums(names: Iterable[str] = LAMBETH_FILES) -> Sums:
    """Lambeth's two layouts with csv alone: (supplier, amount) under a `Supplier Name`
    header, or June 2012's six columns with a whole day and an amount; rows whose cells
    ran together (anything else) are the refused ones."""
    sums: Sums = {"year": defaultdict(Decimal), "month": defaultdict(Decimal)}
    sums["supplier"] = defaultdict(Decimal)
    for name in names:
        for day, supplier, amount in _lambeth_rows(LAMBETH / name):
            day = day or month_named(name).start
            _add(sums, financial_year(day), f"{day:%Y-%m}", supplier, amount)
    return sums


def _lambeth_rows(path: Path) -> list[tuple[date | None, str, Decimal]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [[c.strip() for c in row] for row in csv.reader(handle)]
    header = next(i for i, row in enumerate(rows) if "Supplier Name" in row)
    wide = len(rows[header]) == 6
    found = []
    for row in rows[header + 1 :]:
        while row and not row[-1]:
            row = row[:-1]
        if wide and len(row) == 6 and re.fullmatch(r"\d\d/\d\d/\d{4}", row[3]):
            day = datetime.strptime(row[3], "%d/%m/%Y").date()
            found.append((day, row[2], Decimal(row[4])))
        elif not wide and len(row) == 2 and row[0] != "Grand Total" and row[1]:
            found.append((None, row[0], Decimal(row[1])))
    return found


def summaries(authority: Authority) -> Sums:
    found: Sums = {}
    for by in ("year", "month", "supplier"):
        table = summarise(authority, by).to_pylist()
        found[by] = {row[by]: row["amount"] for row in table}
        assert all(row["transactions"] > 0 for row in table)
    return found


def as_plain(sums: Sums) -> dict[str, dict[object, Decimal]]:
    return {by: {k: v for k, v in values.items()} for by, values in sums.items()}


def test_gla_to_the_penny_by_year_month_and_supplier(gla: Authority) -> None:
    store_gla(gla, GLA_SUBSET)
    assert summaries(gla) == as_plain(gla_sums(GLA_SUBSET))
    # The corporate card rows keep their period, not a day made up for them.
    months = summarise(gla, "month").to_pylist()
    assert [r["transactions"] for r in months if r["month"] == "2019-07-21/2019-08-17"] == [14]


def test_every_gla_file_to_the_penny_by_year(gla: Authority) -> None:
    store_gla(gla, GLA_FILES)
    expected = gla_sums(GLA_FILES)
    years = summarise(gla, "year").to_pylist()
    assert {r["year"]: r["amount"] for r in years} == expected["year"]
    stored = SpendFile.objects.filter(authority=gla).values_list("rows_stored", flat=True)
    assert sum(r["transactions"] for r in years) == sum(stored)
    # Four-weekly periods share months but no days: none replaced another.
    assert not SpendCoverage.objects.filter(superseded_by__isnull=False).exists()


def test_lambeth_accepted_errors_to_the_penny(lambeth: Authority) -> None:
    store_lambeth(lambeth)
    assert summaries(lambeth) == as_plain(lambeth_sums())
    refused = set(SpendProblem.objects.values_list("file__name", flat=True))
    files = {f.name: f for f in SpendFile.objects.filter(authority=lambeth)}
    assert all(files[name].errors_accepted for name in refused)
    assert {n: f.rows_refused for n, f in files.items() if f.rows_refused} == {
        **LAMBETH_BROKEN,
        "2012-06-payments.csv": 639,
    }
    problem = SpendProblem.objects.get(file=files["2011-10-payments.csv"])
    assert (problem.row, problem.column) == (954, "Total")


def test_the_same_file_again_adds_nothing(lambeth: Authority) -> None:
    name = "2011-05-payments.csv"
    store_lambeth(lambeth, [name])
    files = sorted(spend_root().rglob("*.parquet"))
    again = store_spend(lambeth, (LAMBETH / name).read_bytes(), "renamed.csv")
    assert again.result is Result.ALREADY and again.file is not None
    assert again.file.name == name
    assert SpendFile.objects.count() == 1 and SpendCoverage.objects.count() == 1
    assert sorted(spend_root().rglob("*.parquet")) == files


def republished(name: str, changes: int) -> tuple[bytes, Decimal]:
    """A real Lambeth file with its first `changes` amounts raised by £1.01 each."""
    text = (LAMBETH / name).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("Supplier Name")) + 1
    for i in range(start, start + changes):
        supplier, amount = lines[i].rstrip("\r\n").rsplit(",", 1)
        lines[i] = f"{supplier},{Decimal(amount) + Decimal('1.01')}\r\n"
    return "".join(lines).encode(), Decimal("1.01") * changes


def test_a_republication_replaces_its_month_and_keeps_the_old_rows(lambeth: Authority) -> None:
    names = ["2011-04-payments.csv", "2011-05-payments.csv", "2011-06-payments.csv"]
    store_lambeth(lambeth, names)
    before = {r["month"]: r["amount"] for r in summarise(lambeth, "month").to_pylist()}
    data, more = republished("2011-05-payments.csv", changes=5)
    outcome = store_spend(lambeth, data, "2011-05-payments-v2.csv", period=month_named("2011-05"))
    assert outcome.result is Result.STORED and outcome.file is not None
    old = SpendFile.objects.get(name="2011-05-payments.csv")
    assert [(c.file_id, f"{c.month:%Y-%m}") for c in outcome.replaced] == [(old.id, "2011-05")]
    after = {r["month"]: r["amount"] for r in summarise(lambeth, "month").to_pylist()}
    assert after == {**before, "2011-05": before["2011-05"] + more}
    # The old file's rows are still stored, and reachable, no longer current.
    engine = open_transactions(lambeth)
    kept = engine.run(
        Step("old_rows", "SELECT current, COUNT(*) AS n, SUM(amount) AS amount "
             "FROM stored_transactions WHERE file_id = $file GROUP BY current"),
        {"file": old.id},
    ).to_pylist()  # fmt: skip
    engine.close()
    assert kept == [{"current": False, "n": old.rows_stored, "amount": before["2011-05"]}]


def test_a_refused_file_stores_nothing(lambeth: Authority) -> None:
    name = "2011-10-payments.csv"
    outcome = store_spend(lambeth, (LAMBETH / name).read_bytes(), name, period=month_named(name))
    assert outcome.result is Result.REFUSED
    assert [(p.row, p.column) for p in outcome.problems] == [(954, "Total")]
    assert not SpendFile.objects.exists() and not SpendProblem.objects.exists()
    assert not list(spend_root().rglob("*")) if spend_root().exists() else True


def test_a_failure_while_storing_leaves_neither_half(lambeth: Authority) -> None:
    """The partition's folder cannot be made (a file is in its way): the database rows
    written before it are rolled back, and no Parquet file is left."""
    blocked = spend_root() / "authority=E09000022"
    blocked.parent.mkdir(parents=True)
    blocked.write_text("in the way")
    name = "2011-05-payments.csv"
    with pytest.raises(OSError):
        store_spend(lambeth, (LAMBETH / name).read_bytes(), name, period=month_named(name))
    assert not SpendFile.objects.exists() and not SpendCoverage.objects.exists()
    assert [p.name for p in spend_root().rglob("*")] == ["authority=E09000022"]


AMBIGUOUS = (
    "Supplier,Net Amount,Gross Amount,Date\r\n"
    "Acme Ltd,100.00,120.00,02/04/2013\r\n"
    "REDACTED,(10.00),(12.00),03/04/2013\r\n"
)


def test_an_ambiguous_mapping_is_asked_then_remembered(lambeth: Authority) -> None:
    data = AMBIGUOUS.encode()
    asked = store_spend(lambeth, data, "a.csv")
    assert asked.result is Result.QUESTIONS
    assert [(a.field, a.columns) for _, a in asked.ambiguities] == [
        ("amount", ("Net Amount", "Gross Amount"))
    ]
    answered = store_spend(lambeth, data, "a.csv", answers={"gross amount": "amount"})
    assert answered.result is Result.STORED
    [mapping] = SpendMapping.objects.all()
    assert mapping.fields["Gross Amount"] == "amount" and mapping.fields["Net Amount"] is None
    # The next file with the same headings is read with the answer, unasked.
    later = AMBIGUOUS.replace("2013", "2014").encode()
    assert store_spend(lambeth, later, "b.csv").result is Result.STORED
    rows = summarise(lambeth, "supplier").to_pylist()
    assert {r["supplier"]: r["amount"] for r in rows} == {
        "Acme Ltd": Decimal("240.00"),
        "REDACTED": Decimal("-24.00"),
    }


def test_redacted_suppliers_are_stored_flagged(lambeth: Authority) -> None:
    store_spend(lambeth, AMBIGUOUS.encode(), "a.csv", answers={"Net Amount": "amount"})
    engine = open_transactions(lambeth)
    rows = engine.run(
        Step("flags", "SELECT supplier, redacted FROM transactions ORDER BY 1")
    ).to_pylist()
    engine.close()
    assert rows == [
        {"supplier": "Acme Ltd", "redacted": False},
        {"supplier": "REDACTED", "redacted": True},
    ]


def test_an_unknown_heading_in_an_answer_is_refused(lambeth: Authority) -> None:
    outcome = store_spend(lambeth, AMBIGUOUS.encode(), "a.csv", answers={"Cost": "amount"})
    assert outcome.result is Result.UNREADABLE and "'Cost'" in outcome.reason


def test_files_prepared_in_processes_are_stored_in_order(
    lambeth: Authority, tmp_path: Path
) -> None:
    """`store_files` prepares the next files in two processes of their own while it stores
    one: each file's outcome is what storing them one by one gives, in order, and a mapping
    a person confirmed before is used in those processes too."""
    store_spend(lambeth, AMBIGUOUS.encode(), "a.csv", answers={"Gross Amount": "amount"})
    later = tmp_path / "incoming" / "b.csv"
    later.parent.mkdir()
    later.write_text(AMBIGUOUS.replace("2013", "2014"))
    unreadable = later.with_name("notes.csv")
    unreadable.write_text("Nothing here names a field\r\nnor here\r\n")
    names = ["2011-04-payments.csv", "2011-05-payments.csv"]
    files = [
        SpendingFile(lambeth, LAMBETH / names[0], month_named(names[0])),
        SpendingFile(lambeth, later),
        SpendingFile(lambeth, unreadable),
        SpendingFile(lambeth, LAMBETH / names[1], month_named(names[1])),
        SpendingFile(lambeth, LAMBETH / names[0], month_named(names[0])),  # again
        SpendingFile(lambeth, LAMBETH / "2011-10-payments.csv", month_named("2011-10")),
    ]
    outcomes = list(store_files(files, processes=2))
    assert [(o.name, o.result) for o in outcomes] == [
        (names[0], Result.STORED),
        ("b.csv", Result.STORED),
        ("notes.csv", Result.UNREADABLE),
        (names[1], Result.STORED),
        (names[0], Result.ALREADY),
        ("2011-10-payments.csv", Result.REFUSED),
    ]
    assert [(p.row, p.column) for p in outcomes[-1].problems] == [(954, "Total")]
    assert SpendFile.objects.count() == 4 and SpendMapping.objects.count() == 1
    suppliers = {r["supplier"]: r["amount"] for r in summarise(lambeth, "supplier").to_pylist()}
    assert suppliers["Acme Ltd"] == Decimal("240.00")  # gross, as confirmed, both years
    expected = as_plain(lambeth_sums(names))["year"]
    years = {r["year"]: r["amount"] for r in summarise(lambeth, "year").to_pylist()}
    assert years[financial_year(date(2011, 4, 1))] == expected[financial_year(date(2011, 4, 1))]
