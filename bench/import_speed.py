"""Import of a 1,000,000-row long CSV over the real authorities and indicators, on SQLite
and PostgreSQL, beside a raw baseline in the same run: the same rows through the driver's
fastest bulk path (executemany on SQLite, COPY on PostgreSQL) into the same table.

Run by `make bench`. Each measurement is a child process on a fresh database holding the
registry and the indicator catalogue; the child reports rows/s and its peak memory."""

from __future__ import annotations

import csv
import json
import random
import resource
import sys
import time
from pathlib import Path

from common import ambition, environment, fresh_postgres, run_child, scratch, sqlite_url

ROWS = 1_000_000
GOAL_RATIO = 0.40
GOAL_MEMORY_MB = 300


def period_labels(basis: str, count: int) -> list[str]:
    first = 2024 - count
    if basis == "calendar":
        return [str(y) for y in range(first, 2024)]
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(first, 2024)]


def write_file(path: Path) -> None:
    """Values are random; authorities, indicators and periods are the real ones."""
    import django

    django.setup()
    from ambition.indicators.models import Indicator
    from ambition.indicators.values import value_range
    from ambition.registry.models import Authority

    codes = list(Authority.objects.values_list("code", flat=True))
    indicators = list(Indicator.objects.values_list("code", "year_basis", "unit"))
    per_pair = -(-ROWS // (len(codes) * len(indicators)))
    rng = random.Random(2006)
    written = 0
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["authority", "indicator", "period", "value", "status", "lower", "upper"])
        for indicator, basis, unit in indicators:
            top = min(100.0, value_range(unit).high)  # within the unit's range (a score of 10)
            for period in period_labels(basis, per_pair):
                for code in codes:
                    if written == ROWS:
                        return
                    value = round(rng.uniform(0, top), 1)
                    out.writerow([code, indicator, period, value, "", "", ""])
                    written += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_import(path: str) -> None:
    import django

    django.setup()
    from ambition.indicators.imports import import_observations

    started = time.perf_counter()
    report = import_observations(Path(path), origin="cli")
    seconds = time.perf_counter() - started
    assert report.ok and report.created == ROWS, report.summary()
    print(json.dumps({"seconds": seconds, "rows_per_s": ROWS / seconds, "peak_mb": peak_mb()}))


def measure_raw(path: str) -> None:
    """The floor: parse the CSV, look the codes up in dicts, bulk-insert. No validation,
    no revisions, no duplicate check."""
    import django

    django.setup()
    from django.db import connection, transaction

    from ambition.indicators.models import ImportBatch, Indicator, Period
    from ambition.indicators.periods import YearBasis, parse_period
    from ambition.registry.models import Authority

    authorities = dict(Authority.objects.values_list("code", "id"))
    indicators = {
        c: (i, YearBasis(b))
        for c, i, b in Indicator.objects.values_list("code", "id", "year_basis")
    }
    periods: dict[tuple[str, YearBasis], int] = {}
    started = time.perf_counter()
    with transaction.atomic():
        batch = ImportBatch.objects.create(file_name="raw", sha256="", size_bytes=0, origin="cli")
        rows = []
        with open(path, newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for code, indicator, label, value, *_ in reader:
                indicator_id, basis = indicators[indicator]
                key = (label, basis)
                if key not in periods:
                    p = parse_period(label, basis)
                    periods[key] = Period.objects.get_or_create(
                        kind=p.kind,
                        basis=p.basis,
                        start=p.start,
                        end=p.end,
                        defaults={"label": p.label},
                    )[0].id
                rows.append(
                    (
                        authorities[code],
                        indicator_id,
                        periods[key],
                        1,
                        float(value),
                        "",
                        None,
                        None,
                        batch.id,
                        True,
                    )
                )
        _bulk(connection, rows)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows_per_s": ROWS / seconds, "peak_mb": peak_mb()}))


def _bulk(connection: object, rows: list[tuple[object, ...]]) -> None:
    columns = "authority_id, indicator_id, period_id, revision, value, status, lower, upper, batch_id, is_latest"
    raw = connection.connection  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":  # type: ignore[attr-defined]
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY indicators_observation ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        raw.executemany(
            f"INSERT INTO indicators_observation ({columns}) VALUES ({', '.join('?' * 10)})", rows
        )


def prepared(database_url: str) -> dict[str, str]:
    env = environment(database_url, scratch())
    ambition(env, "migrate")
    ambition(env, "load-demo", "--reference-only")
    return env


def main() -> list[str]:
    work = scratch()
    path = work / "million.csv"
    env = prepared(sqlite_url(scratch()))
    run_child(env, __file__, "write", str(path))
    lines = [f"import of {ROWS:,} rows ({path.stat().st_size / 1e6:.0f} MB CSV)"]
    for name, make_url in (
        ("SQLite", lambda: sqlite_url(scratch())),
        ("PostgreSQL", fresh_postgres),
    ):
        raw = json.loads(run_child(prepared(make_url()), __file__, "raw", str(path)))
        ours = json.loads(run_child(prepared(make_url()), __file__, "import", str(path)))
        ratio = ours["rows_per_s"] / raw["rows_per_s"]
        lines.append(
            f"  {name:<10} import {ours['rows_per_s']:>9,.0f} rows/s ({ours['seconds']:.1f} s, peak {ours['peak_mb']:.0f} MB)"
            f" | raw {'COPY' if name == 'PostgreSQL' else 'executemany'} {raw['rows_per_s']:>9,.0f} rows/s ({raw['seconds']:.1f} s)"
            f" | {ratio:.0%} of raw (goal >= {GOAL_RATIO:.0%}); memory goal < {GOAL_MEMORY_MB} MB"
        )
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    if len(sys.argv) == 3:
        {"write": lambda p: write_file(Path(p)), "raw": measure_raw, "import": measure_import}[
            sys.argv[1]
        ](sys.argv[2])
    else:
        print("\n".join(main()))
