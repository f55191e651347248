"""Spend ingest: rows a second from CSV to Parquet through our whole path (`store_files`,
as `ambition import-spend` stores a folder: decode, find the header, map the columns, parse
every amount and date in a process per core, while one file at a time is recorded in a
temporary SQLite database and written as Parquet by authority and year), beside DuckDB's own
`read_csv` of the same files into one Parquet file in the same run: the fastest honest
reference, which parses nothing it cannot type by itself (a `(1,234.50)` stays text).

Two sets: the GLA's real files (116 periods, about 110,000 rows) and a synthetic set
(5,000,000 rows by default, `--rows N`, `--quick` for 200,000) written deterministically
into a temporary folder in five layouts, as councils publish them: headings that differ,
title lines and notes above the header, amounts as `1,234.50`, `(1,234.50)`, `-£1,234.50`
and `1234.5-`, dates ISO, `02/04/2015`, `2 Apr 2015`, `02-Apr-15` and `02.04.2015`, some
gzip-compressed, some Windows-1252 with `£`, a stated total under one layout. DuckDB is
told each file's encoding (it reads one encoding a call, so the Windows-1252 files are a
second `read_csv`, `UNION ALL BY NAME`); it finds the preambles itself.

Each measurement is a child process; its peak memory is its resident set's peak
(`getrusage`), which counts what Arrow and DuckDB allocate outside Python, plus, for ours,
each preparing process at the largest one's peak. Goals: at least
50% of DuckDB's rate, peak memory under 1 GB. Alone it exits 1 when a goal is missed.
`--profile` runs our path on the synthetic set under cProfile, in one process, and prints
where the time goes.

Run by `make bench`, or alone: `.venv/bin/python bench/spend_ingest.py [--quick]`."""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import random
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from common import ambition, environment, run_child, scratch, sqlite_url

GLA = Path(__file__).resolve().parents[2] / "shared" / "data" / "spend-gla"
GLA_CODE = "E61000001"
ROWS, QUICK_ROWS = 5_000_000, 200_000
FILE_ROWS = 40_000  # a large council's month: the synthetic set is files of this many rows
GOAL_RATIO = 0.50
GOAL_MEMORY_MB = 1024.0
SEED = 2013
BOROUGHS = [f"E090000{n:02d}" for n in range(1, 34)]
FIRST_MONTH = date(2015, 4, 1)

# One synthetic row before a layout writes it: the fields a council's file carries.
Spend = dict[str, object]


def peak_mb() -> float:
    """This process's peak, and each of its finished children's at the largest child's: a
    bound on what they held at once (our path prepares files in a pool of processes)."""
    from ambition.web.processes import default_processes

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + default_processes() * children) / 1024


# The ways finance systems write amounts (pence in, text out; negative is a credit).
def _pounds(pence: int) -> str:
    return f"{abs(pence) // 100}.{abs(pence) % 100:02d}"


def _grouped(pence: int) -> str:
    return f"{abs(pence) // 100:,}.{abs(pence) % 100:02d}"


def bracketed(pence: int) -> str:
    return f"({_grouped(pence)})" if pence < 0 else _pounds(pence)


def pound_sign(pence: int) -> str:
    return f"{'-' if pence < 0 else ''}£{_grouped(pence)}"


def trailing_minus(pence: int) -> str:
    text = _pounds(pence).rstrip("0").rstrip(".")
    return f"{text}-" if pence < 0 else text


def signed_commas(pence: int) -> str:
    return f"{'-' if pence < 0 else ''}{_grouped(pence)}"


@dataclass(frozen=True)
class Layout:
    """How one council writes its file: headings (each naming a field of `Spend`), the
    lines above them, how it writes amounts and dates, its encoding and compression."""

    columns: list[tuple[str, str]]  # (heading, key of the synthetic row)
    amount: Callable[[int], str]
    day: str  # strftime
    preamble: list[list[str]]
    encoding: str = "utf-8"
    gzipped: bool = False
    stated_total: bool = False
    line_end: str = "\n"


LAYOUTS = [
    Layout(
        [("Vendor ID", "vendor"), ("Vendor Name", "supplier"), ("Cost Element", "account"),
         ("Expenditure Account Code Description", "expense"), ("Document No", "reference"),
         ("Amount", "amount"), ("Clearing Date", "date")],
        bracketed, "%Y-%m-%d", [], gzipped=True,
    ),
    Layout(
        [("Body Name", "body"), ("Service Area", "service"), ("Expense Type", "expense"),
         ("Payment Date", "date"), ("Transaction Number", "reference"),
         ("Supplier Name", "supplier"), ("Amount £", "amount")],
        pound_sign, "%d/%m/%Y",
        [["{body}"], ["Payments to suppliers over £500"], ["Period: {month}"], []],
        encoding="cp1252", stated_total=True, line_end="\r\n",
    ),
    Layout(
        [("Date", "date"), ("Supplier", "supplier"), ("Directorate", "directorate"),
         ("Purpose", "purpose"), ("Net Amount", "amount"), ("VAT", "vat")],
        trailing_minus, "%-d %b %Y", [], encoding="utf-8-sig", line_end="\r\n",
    ),
    Layout(
        [("Supplier Name", "supplier"), ("Invoice Number", "reference"),
         ("Invoice Date", "date"), ("Cost Centre", "account"),
         ("Expenditure Category", "expense"), ("Gross Amount", "amount")],
        signed_commas, "%d-%b-%y",
        [["Report: AP payments > 500"], ["Run by: FINANCE_SYS", "Parameters: all"]],
        gzipped=True,
    ),
    Layout(
        [("Payee", "supplier"), ("Payment Reference", "reference"), ("Paid Date", "date"),
         ("Department", "directorate"), ("Description", "purpose"), ("Value", "amount")],
        pound_sign, "%d.%m.%Y",
        [["{body} - expenditure over £500"], ["Figures exclude VAT where recoverable"], []],
        encoding="cp1252",
    ),
]  # fmt: skip

WORDS = [
    "Acme",
    "Thames",
    "Borough",
    "Capital",
    "Green",
    "City",
    "North",
    "Bright",
    "Care",
    "Civic",
    "Metro",
    "Parks",
    "Build",
    "Data",
    "Fleet",
    "Oak",
    "Bridge",
    "Harbour",
]
ENDINGS = ["Ltd", "Limited", "PLC", "LLP", "& Co", "Services Ltd", "Group", "Trust"]
SERVICES = [
    "Adult Social Care",
    "Children's Services",
    "Highways",
    "Housing",
    "Waste",
    "Libraries",
    "Planning",
    "Public Health",
    "Parks & Open Spaces",
]
EXPENSES = [
    "Agency Staff",
    "Consultancy",
    "Equipment",
    "Grants",
    "IT Software",
    "Repairs & Maintenance",
    "Stationery",
    "Transport",
    "Utilities",
]
DIRECTORATES = ["Resources", "Place", "People", "Chief Executive's", "Communities"]
REDACTED = ["REDACTED", "Redacted - personal data", "Individual"]  # fmt: skip


def suppliers(count: int = 5000) -> list[str]:
    rng = random.Random(SEED)
    return [
        f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(ENDINGS)}".upper()
        if rng.random() < 0.5
        else f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(ENDINGS)}"
        for _ in range(count)
    ]


def spend_row(rng: random.Random, names: list[str], month: date, body: str) -> Spend:
    pence = int(rng.lognormvariate(11, 1.6)) + 50_000  # over £500, a long tail
    credit = rng.random() < 0.03
    supplier = rng.choice(REDACTED) if rng.random() < 0.02 else rng.choice(names)
    return {
        "supplier": supplier, "amount": -pence if credit else pence, "body": body,
        "date": month + timedelta(days=rng.randrange(28)), "vendor": str(rng.randrange(10**7, 10**8)),
        "reference": str(rng.randrange(5 * 10**9, 6 * 10**9)), "account": str(rng.randrange(540000, 549999)),
        "expense": rng.choice(EXPENSES), "service": rng.choice(SERVICES),
        "directorate": rng.choice(DIRECTORATES), "purpose": rng.choice(EXPENSES).lower(),
        "vat": _pounds(pence // 5) if rng.random() < 0.5 else "",
    }  # fmt: skip


def cells(layout: Layout, row: Spend) -> list[str]:
    out = []
    for _, key in layout.columns:
        value = row[key]
        if key == "amount":
            value = layout.amount(int(value))  # type: ignore[call-overload]
        elif key == "date":
            value = value.strftime(layout.day)  # type: ignore[attr-defined]
        out.append(str(value))
    return out


@dataclass(frozen=True)
class SpendSource:
    """One file to ingest: where it is, whose it is, and the period its name or the
    publisher's index gives (None: its rows' dates alone)."""

    path: str
    authority: str
    period: str | None
    rows: int
    encoding: str  # as DuckDB names it, found before anything is timed


def file_text(layout: Layout, rows: list[Spend], month: date, body: str) -> str:
    handle = io.StringIO()
    out = csv.writer(handle, lineterminator=layout.line_end)
    for line in layout.preamble:
        out.writerow([cell.format(body=body, month=month.strftime("%B %Y")) for cell in line])
    out.writerow([heading for heading, _ in layout.columns])
    out.writerows(cells(layout, row) for row in rows)
    if layout.stated_total:
        total = sum(int(row["amount"]) for row in rows)  # type: ignore[call-overload]
        out.writerow(["", "", "", "", "", "Total", layout.amount(total)])
    return handle.getvalue()


def write_synthetic(folder: Path, total: int) -> list[SpendSource]:
    """`total` rows in files of FILE_ROWS, the layouts in turn, each borough a month."""
    folder.mkdir(parents=True, exist_ok=True)
    names, sources = suppliers(), []
    for index, start in enumerate(range(0, total, FILE_ROWS)):
        count = min(FILE_ROWS, total - start)
        sources.append(_write_one(folder, index, count, names))
    return sources


def _write_one(folder: Path, index: int, count: int, names: list[str]) -> SpendSource:
    layout, code = LAYOUTS[index % len(LAYOUTS)], BOROUGHS[index % len(BOROUGHS)]
    month = _add_months(FIRST_MONTH, index // len(BOROUGHS))
    rng, body = random.Random(SEED + index), f"Council {code}"
    rows = [spend_row(rng, names, month, body) for _ in range(count)]
    data = file_text(layout, rows, month, body).encode(layout.encoding)
    name = f"{code}-{month:%Y-%m}-payments.csv"
    if layout.gzipped:
        data, name = gzip.compress(data, mtime=0), name + ".gz"
    (folder / name).write_bytes(data)
    return SpendSource(str(folder / name), code, None, count, _encoding(folder / name))


def _add_months(first: date, months: int) -> date:
    years, month = divmod(first.month - 1 + months, 12)
    return date(first.year + years, month + 1, 1)


def gla_sources() -> list[SpendSource]:
    """The GLA's files with the periods its index names (the file names' years are not
    consistent), and their rows (every line under the header is a payment)."""
    labels = {
        e["file"] + ".gz": e["name"] for e in json.loads((GLA / "index.json").read_text())["files"]
    }
    return [
        SpendSource(str(path), GLA_CODE, labels[path.name], _lines(path) - 1, _encoding(path))
        for path in sorted((GLA / "clean").glob("*.csv.gz"))
    ]


def _lines(path: Path) -> int:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle))


# --- in the child processes ---------------------------------------------------------


def measure_ours(manifest: str) -> None:
    """Every file through `store_spend`, as `ambition import-spend` does; each must store."""
    import django

    django.setup()
    sources = [SpendSource(**s) for s in json.loads(Path(manifest).read_text())]
    started = time.perf_counter()
    stored = _store_all(sources)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": stored, "peak_mb": peak_mb()}))


def _store_all(sources: list[SpendSource], processes: int | None = None) -> int:
    from ambition.registry.models import Authority
    from ambition.spend.reading.decoding import repaired
    from ambition.spend.reading.values import parse_spend_period, period_in_name
    from ambition.spend.store import Result, SpendingFile, store_files

    authorities = {
        a.code: a for a in Authority.objects.filter(code__in={s.authority for s in sources})
    }
    files = [
        SpendingFile(
            authorities[s.authority],
            Path(s.path),
            parse_spend_period(repaired(s.period))
            if s.period
            else period_in_name(Path(s.path).name),
        )
        for s in sources
    ]
    stored = 0
    for outcome in store_files(files, processes=processes):
        if outcome.result is not Result.STORED:
            raise RuntimeError(
                f"{outcome.name}: {outcome.result} {outcome.reason} {outcome.problems[:3]}"
            )
        stored += outcome.file.rows_stored
    return stored


def measure_duckdb(manifest: str, out: str) -> None:
    """The same files by DuckDB's `read_csv` into one Parquet file."""
    import duckdb

    sources = [SpendSource(**s) for s in json.loads(Path(manifest).read_text())]
    started = time.perf_counter()
    connection = duckdb.connect()
    connection.execute(f"COPY ({_duckdb_query(sources)}) TO '{out}' (FORMAT parquet)")
    seconds = time.perf_counter() - started
    rows = connection.execute(f"SELECT count(*) FROM '{out}'").fetchone()[0]  # type: ignore[index]
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_mb()}))


def _duckdb_query(sources: list[SpendSource]) -> str:
    """One `read_csv` an encoding, all of its files at once, by name."""
    by_encoding: dict[str, list[str]] = {}
    for source in sources:
        by_encoding.setdefault(source.encoding, []).append(source.path)
    reads = [
        f"SELECT * FROM read_csv({files!r}, union_by_name = true, encoding = '{encoding}')"
        for encoding, files in sorted(by_encoding.items())
    ]
    return " UNION ALL BY NAME ".join(reads)


def _encoding(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"  # as DuckDB names the single-byte encoding; "£" is A3 in both
    return "utf-8"


def profile_ours(manifest: str) -> None:
    import cProfile
    import pstats

    import django

    django.setup()
    sources = [SpendSource(**s) for s in json.loads(Path(manifest).read_text())]
    profiler = cProfile.Profile()
    profiler.runcall(_store_all, sources, processes=1)  # all of it here, where it is seen
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    print("{}")


# --- the parent ------------------------------------------------------------------------


@dataclass
class Figures:
    rows: int
    seconds: float
    peak_mb: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def prepared(work: Path) -> Path:
    """A database with the registry, migrated once; each measurement gets a copy."""
    env = environment(sqlite_url(work), work / "var")
    ambition(env, "migrate")
    ambition(env, "load-demo", "--reference-only")
    return work / "bench.sqlite3"


def fresh_env(database: Path) -> dict[str, str]:
    folder = scratch()
    shutil.copy(database, folder / "bench.sqlite3")
    return environment(sqlite_url(folder), folder / "var")


def manifest(work: Path, name: str, sources: list[SpendSource]) -> Path:
    path = work / f"{name}.json"
    path.write_text(json.dumps([s.__dict__ for s in sources]))
    return path


def measure(database: Path, listed: Path, expected: int) -> tuple[Figures, Figures]:
    env = fresh_env(database)
    ours = Figures(**json.loads(run_child(env, __file__, "ours", str(listed))))
    out = Path(env["AMBITION_VAR_DIR"]) / "duckdb.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    duck = Figures(**json.loads(run_child(env, __file__, "duckdb", str(listed), str(out))))
    if ours.rows != expected:
        raise RuntimeError(f"our path stored {ours.rows:,} rows of {expected:,}")
    shutil.rmtree(Path(env["AMBITION_VAR_DIR"]).parent, ignore_errors=True)
    return ours, duck


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(title: str, ours: Figures, duck: Figures, missed: list[str]) -> list[str]:
    ratio = ours.rate / duck.rate
    if ratio < GOAL_RATIO:
        missed.append(f"{title}: rate")
    if ours.peak_mb >= GOAL_MEMORY_MB:
        missed.append(f"{title}: memory")
    return [
        f"  {title}, {ours.rows:,} rows:",
        f"    ours   {ours.rate:>11,.0f} rows/s ({ours.seconds:6.1f} s), peak {ours.peak_mb:5.0f} MB"
        f" (goal < {GOAL_MEMORY_MB:,.0f} MB: {verdict(ours.peak_mb < GOAL_MEMORY_MB)})",
        f"    DuckDB {duck.rate:>11,.0f} rows/s ({duck.seconds:6.1f} s), peak {duck.peak_mb:5.0f} MB"
        f" ({duck.rows:,} rows: stated totals and all)",
        f"    ours at {ratio:.1%} of DuckDB's rate (goal >= {GOAL_RATIO:.0%}: {verdict(ratio >= GOAL_RATIO)})",
    ]


def run(rows: int) -> tuple[list[str], list[str]]:
    """The figures' lines, and the goals missed."""
    work = scratch()
    database = prepared(work)
    lines = ["spend ingest, CSV to Parquet: store_files (SQLite) beside DuckDB read_csv"]
    missed: list[str] = []
    if GLA.exists():
        gla = gla_sources()
        ours, duck = measure(database, manifest(work, "gla", gla), sum(s.rows for s in gla))
        lines += report(f"GLA, {len(gla)} real files", ours, duck, missed)
    synthetic = write_synthetic(work / "synthetic", rows)
    ours, duck = measure(database, manifest(work, "synthetic", synthetic), rows)
    title = f"synthetic, {len(synthetic)} files in {len(LAYOUTS)} layouts"
    lines += report(title, ours, duck, missed)
    lines.append(
        f"  (both on {os.cpu_count()} cores: ours prepares files in a process per core while"
        f" it stores one; load {os.getloadavg()[0]:.1f})"
    )
    shutil.rmtree(work, ignore_errors=True)
    return lines, missed


def main() -> list[str]:
    return run(ROWS)[0]


def profile(rows: int) -> None:
    work = scratch()
    database = prepared(work)
    listed = manifest(work, "synthetic", write_synthetic(work / "synthetic", rows))
    env = fresh_env(database)
    print(subprocess_profile(env, listed))
    shutil.rmtree(Path(env["AMBITION_VAR_DIR"]).parent, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


def subprocess_profile(env: dict[str, str], listed: Path) -> str:
    import subprocess

    done = subprocess.run(
        [sys.executable, __file__, "profile", str(listed)], env=env, capture_output=True, text=True
    )
    return done.stderr


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the synthetic set")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} synthetic rows")
    parser.add_argument("--profile", action="store_true", help="cProfile our path instead")
    return parser.parse_args()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    steps: dict[str, Callable[..., None]] = {
        "ours": measure_ours,
        "duckdb": measure_duckdb,
        "profile": profile_ours,
    }
    if sys.argv[1:2] and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
    else:
        given = arguments()
        size = QUICK_ROWS if given.quick else given.rows
        if given.profile:
            profile(size)
            sys.exit(0)
        lines, missed = run(size)
        print("\n".join(lines))
        if missed:
            print(f"goals missed: {', '.join(missed)}")
            sys.exit(1)
