"""Categorised spend at scale: what the opportunities pages and the category report ask of
the stored spend, through our whole path (`categories.current`: the distinct combinations
categorised, the suppliers of the latest run and their clear categories worked out in
process; every sum done by the engine over the view `categorised`), beside the honest
fastest reference in the same run: DuckDB's own aggregate of the same Parquet files by
supplier and authority (the largest of the pages' sums), with no categories, suppliers or
coverage joined. Also printed: the peak memory of reading every row into the process, which
is what the pages did before (Polars, once per state of the data) and what a national
store's 200 million rows cannot do.

The set is the ingest bench's synthetic one (`spend_ingest.write_synthetic`: 5,000,000 rows
by default, `--rows N`, `--quick` for 200,000), stored through `store_spend` into a
temporary SQLite database and folder, its suppliers resolved (`resolve-suppliers`), before
anything is timed. Each measurement is a child process; its peak memory is its resident
set's peak (`getrusage`), which counts what Arrow and DuckDB allocate outside Python.

Run by `make bench`, or alone: `.venv/bin/python bench/categorised_spend.py [--quick]`."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spend_ingest
from common import ambition, run_child, scratch

ROWS, QUICK_ROWS = spend_ingest.ROWS, spend_ingest.QUICK_ROWS
# What a worker of the web app may hold: the figure the ingest's goal sets.
GOAL_MEMORY_MB = spend_ingest.GOAL_MEMORY_MB


# --- in the child processes ---------------------------------------------------------


def measure_ours() -> None:
    """Our path, as the pages call it, each stage timed; the same state read afresh."""
    import django

    django.setup()
    from ambition.registry.models import Authority
    from ambition.spend import opportunities as opp
    from ambition.spend.categories.current import read_categorised
    from ambition.spend.categories.report import spend_categories
    from ambition.spend.models import SupplierRun

    run = SupplierRun.objects.latest_run()
    stages: dict[str, float] = {}
    started = time.perf_counter()
    spend = read_categorised(run.pk if run else None)
    stages["categorised (combinations, suppliers)"] = time.perf_counter() - started
    figures: dict[str, object] = {}

    def timed(name: str, work: Callable[[], object]) -> object:
        began = time.perf_counter()
        found = work()
        stages[name] = time.perf_counter() - began
        return found

    everything = timed("totals", lambda: opp.totals(spend, None))[0]  # type: ignore[index]
    categories = timed("by category", lambda: opp.by_category(spend, None, {}))
    suppliers = timed("by supplier (shared)", lambda: opp.by_supplier(spend, None))
    top = categories[0].key  # type: ignore[index]
    timed("one category's suppliers", lambda: opp.by_supplier(spend, None, category=top,
                                                              shared_only=False))  # fmt: skip
    timed("one category's transactions, a page", lambda: opp.transactions(
        spend, None, category=top, offset=0, limit=50))  # fmt: skip
    authority = Authority.objects.get(code=spend_ingest.BOROUGHS[0])
    timed("category report, one authority", lambda: spend_categories(authority, spend))
    figures["total"] = str(everything)
    figures["suppliers"] = len(suppliers)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "stages": stages, "peak_mb": spend_ingest.peak_mb(),
                      **figures}))  # fmt: skip


def measure_duckdb(root: str) -> None:
    """DuckDB alone over the same files: spend, rows, median payment and services for each
    supplier as written and authority, and the total."""
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    files = f"read_parquet('{root}/authority=*/year=*/*.parquet', hive_partitioning = true)"
    connection.execute(
        "SELECT supplier, authority, SUM(amount), COUNT(*), MEDIAN(CAST(amount AS DOUBLE)), "
        f"COUNT(DISTINCT service) FROM {files} GROUP BY supplier, authority"
    ).to_arrow_table()
    total = connection.execute(f"SELECT SUM(amount) FROM {files}").fetchone()[0]  # type: ignore[index]
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "total": str(total), "peak_mb": spend_ingest.peak_mb()}))


def measure_whole() -> None:
    """Every current row read into the process, as the pages did before."""
    import django

    django.setup()
    from ambition.spend.engine import Step
    from ambition.spend.transactions import open_transactions

    started = time.perf_counter()
    engine = open_transactions()
    try:
        rows = engine.frame(Step("bench_every_row", "SELECT * FROM transactions"))
    finally:
        engine.close()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows": rows.height, "peak_mb": spend_ingest.peak_mb()}))


# --- the parent ------------------------------------------------------------------------


def stored(rows: int) -> tuple[dict[str, str], Path]:
    """A database and folder with the synthetic set stored and its suppliers resolved."""
    work = scratch()
    database = spend_ingest.prepared(work)
    listed = spend_ingest.manifest(
        work, "synthetic", spend_ingest.write_synthetic(work / "synthetic", rows)
    )
    env = spend_ingest.fresh_env(database)
    run_child(env, spend_ingest.__file__, "ours", str(listed))
    ambition(env, "resolve-suppliers")
    shutil.rmtree(work, ignore_errors=True)
    return env, Path(env["AMBITION_VAR_DIR"])


def run(rows: int) -> tuple[list[str], list[str]]:
    env, var = stored(rows)
    ours = json.loads(run_child(env, __file__, "ours"))
    duck = json.loads(run_child(env, __file__, "duckdb", str(var / "spend")))
    whole = json.loads(run_child(env, __file__, "whole"))
    shutil.rmtree(var.parent, ignore_errors=True)
    missed = []
    if ours["total"] != duck["total"]:
        missed.append(f"totals differ: ours {ours['total']}, DuckDB {duck['total']}")
    if ours["peak_mb"] >= GOAL_MEMORY_MB:
        missed.append("categorised spend: memory")
    ok = "meets" if ours["peak_mb"] < GOAL_MEMORY_MB else "MISSES"
    lines = [
        f"categorised spend, {rows:,} synthetic rows: what the opportunities pages ask of it",
        f"  ours   {ours['seconds']:6.1f} s in all, peak {ours['peak_mb']:5.0f} MB "
        f"(goal < {GOAL_MEMORY_MB:,.0f} MB: {ok}); {ours['suppliers']:,} shared suppliers",
        *(f"    {name:<40} {seconds:6.2f} s" for name, seconds in ours["stages"].items()),
        f"  DuckDB {duck['seconds']:6.1f} s, peak {duck['peak_mb']:5.0f} MB: by supplier and "
        "authority, alone over the Parquet files (no categories or suppliers joined)",
        f"  every row read into the process (the pages' way before): {whole['seconds']:.1f} s, "
        f"peak {whole['peak_mb']:.0f} MB",
        f"  total {ours['total']} (DuckDB's {'the same' if ours['total'] == duck['total'] else duck['total']})",
    ]
    return lines, missed


def main() -> list[str]:
    return run(ROWS)[0]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="rows in the synthetic set")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} synthetic rows")
    return parser.parse_args()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    steps: dict[str, Callable[..., None]] = {
        "ours": measure_ours,
        "duckdb": measure_duckdb,
        "whole": measure_whole,
    }
    if sys.argv[1:2] and sys.argv[1] in steps:
        steps[sys.argv[1]](*sys.argv[2:])
    else:
        given = arguments()
        lines, missed = run(QUICK_ROWS if given.quick else given.rows)
        print("\n".join(lines))
        if missed:
            print(f"goals missed: {', '.join(missed)}")
            sys.exit(1)
