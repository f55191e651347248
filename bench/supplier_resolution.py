"""Supplier resolution: names made by `spend.suppliers.synthetic` (200,000 names from 40,000
base names by default, each written with suffixes, punctuation, typos, short forms, cuts and
reordered words, so the truth is known), resolved three ways in the same run, each from
the same keys (`names.supplier_key`), so they differ in how they match, not in how they
clean:

- ours: `spend.suppliers.resolve.resolve` (Splink on DuckDB, weights fitted to the names,
  clusters at its default threshold), over the distinct names as `ambition
  resolve-suppliers` sees them;
- the baseline the issue names, rapidfuzz's `token_sort_ratio` within the same blocks: over
  the very candidate pairs ours scores (`resolve.candidates`: our blocking rules on
  DuckDB), by `process.cpdist` on all cores;
- the baseline a user would reach for without our blocking: `token_sort_ratio` by
  `process.cdist` within blocks of names sharing their first word (one thread per call:
  nearly every block is a few names, and starting threads for each took 4.2 s of the 4.5 s
  at 200,000 names, against 0.3 s).

A baseline's pairs at or above a score are joined into clusters (union-find), at the best
of several thresholds; the goal's time is the faster baseline's.

Then the same resolution on Spark local mode (`resolve(..., engine="spark")`: the same
model, trained in process, scoring and clustering on Spark), at a size that finishes in a
few minutes (SPARK_NAMES, or --spark-names), beside DuckDB's time at that size.

Each figure: seconds, pairwise precision, recall and F1 over every name (a name written
twice counts twice), and the child process's peak memory (`getrusage`; on Spark, the
Java process's peak as well). Goals (issue 13): F1 at least 0.95, faster than the
baseline; alone the script exits 1 when one is missed.

Run by `make bench`, or alone: `.venv/bin/python bench/supplier_resolution.py [--quick]
[--names N --bases M] [--spark-names N (0: no Spark)]`."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

NAMES, BASES = 200_000, 40_000  # the size
QUICK_NAMES, QUICK_BASES = 20_000, 4_000
# What `make bench` runs: a quarter of the size, and says so. With the blocking
# rules of before (one on the last word, huge where names end in a trade word) Splink did
# not finish 200,000 names in an hour (10.7 GB); with a block on the sorted words' first
# letters (2 million pairs at 50,000 names) it took 20 minutes and 1.6 GB at 200,000, F1
# 0.80. Blocked on each name's rarest word instead (54,000 pairs at 50,000), with no
# level's u left at 0: 50,000 in 15 to 40 s and 0.5 GB, 200,000 in about 70 s and 0.9 GB,
# F1 0.90 (two busy cores).
SUITE_NAMES, SUITE_BASES = 50_000, 10_000
# Spark local mode on two cores: startup, and Splink's intermediate tables written as
# Parquet at every step, make it slower than DuckDB at any size one machine holds.
SPARK_NAMES = 10_000  # from a fifth as many bases, as every size here; about 2.5 min on Spark
GOAL_F1 = 0.95
THRESHOLDS = (60, 65, 70, 75, 80, 85, 90, 95)


def base_figures(bases: int) -> tuple[float, float]:
    """How like a real register the base names are, from one drawing of them: how crowded
    (`synthetic.crowding`: how often a typo could write another supplier's word), and how
    often two keys share their first word (`synthetic.first_word_sharing`: how large the
    baseline's blocks grow)."""
    import random

    from ambition.spend.suppliers.synthetic import base_names, crowding, first_word_sharing

    names = base_names(bases, random.Random(13))
    return crowding(names), first_word_sharing(names)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def names_with_truth(names: int, bases: int) -> pl.DataFrame:
    from ambition.spend.suppliers.synthetic import truth_set

    return truth_set(names, bases)


def splink(names: int, bases: int, engine: str = "duckdb") -> dict[str, object]:
    from ambition.spend.suppliers.resolve import resolve
    from ambition.spend.suppliers.synthetic import pairwise_scores

    truth = names_with_truth(names, bases)
    if engine == "spark":
        _spark_started()  # Java's startup is not resolution's time
    started = time.perf_counter()
    resolution = resolve(truth.select("supplier").unique(), engine=engine)
    seconds = time.perf_counter() - started
    clusters = resolution.records.select("supplier", "cluster_id")
    scores = pairwise_scores(truth.join(clusters, on="supplier", how="left"))
    found = {"seconds": seconds, **scores, "threshold": resolution.threshold}
    return found | ({"java_peak_mb": _java_peak_mb()} if engine == "spark" else {})


def _spark_started() -> None:
    import tempfile

    from django.conf import settings

    from ambition.spend.engine.spark import spark_session

    settings.VAR_DIR = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    spark_session()


def _java_peak_mb() -> float:
    """The peak resident memory of Spark's Java process (local mode: driver and executor)."""
    from ambition.spend.engine.spark import spark_session

    pid = spark_session().sparkContext._gateway.proc.pid  # type: ignore[union-attr]
    status = Path(f"/proc/{pid}/status").read_text()
    return next(
        int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")
    )


def rapidfuzz(names: int, bases: int) -> dict[str, object]:
    truth = names_with_truth(names, bases)
    started = time.perf_counter()
    keys, pairs, keying = _scored_pairs(truth["supplier"].unique().to_list())
    return _best(truth, keys, pairs, time.perf_counter() - started) | {"keying": keying}


def rapidfuzz_same_blocks(names: int, bases: int) -> dict[str, object]:
    """token_sort_ratio over the very pairs ours scores (`resolve.candidates`: the same
    keys, the same blocking rules on DuckDB), by `process.cpdist` on all cores (one call)."""
    from rapidfuzz import fuzz, process

    from ambition.spend.suppliers.resolve import candidates

    truth = names_with_truth(names, bases)
    started = time.perf_counter()
    records, candidate = candidates(truth.select("supplier").unique())
    left, right = candidate["key_l"].to_list(), candidate["key_r"].to_list()
    scores = process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=-1)
    keys = dict(records.iter_rows())
    keys |= {name: "" for name in truth["supplier"].unique().to_list() if name not in keys}
    pairs = list(zip(left, right, scores.tolist(), strict=True))
    return _best(truth, keys, pairs, time.perf_counter() - started)


def _best(
    truth: pl.DataFrame,
    keys: dict[str, str],
    pairs: list[tuple[str, str, float]],
    scored: float,
) -> dict[str, object]:
    """Clusters at each threshold, joined with the truth: the best by F1, its seconds the
    scoring's and its own clustering's."""
    from ambition.spend.suppliers.synthetic import pairwise_scores

    results = []
    for threshold in THRESHOLDS:
        began = time.perf_counter()
        cluster = _clusters(keys, [(a, b) for a, b, s in pairs if s >= threshold])
        found = truth.join(
            pl.DataFrame({"supplier": list(cluster), "cluster_id": list(cluster.values())}),
            on="supplier",
        )
        seconds = scored + time.perf_counter() - began
        results.append({"seconds": seconds, **pairwise_scores(found), "threshold": threshold})
    return max(results, key=lambda r: float(r["f1"]))  # type: ignore[arg-type]


def _scored_pairs(
    names: list[str],
) -> tuple[dict[str, str], list[tuple[str, str, float]], float]:
    """Every pair of distinct keys in a block (the key's first word) with its score, at or
    above the lowest threshold tried; and the seconds the keys took."""
    from rapidfuzz import fuzz, process

    from ambition.spend.suppliers.names import supplier_key

    started = time.perf_counter()
    keys = {name: supplier_key(name) for name in names}
    keying = time.perf_counter() - started
    blocks: dict[str, list[str]] = {}
    for key in set(keys.values()):
        if key:
            blocks.setdefault(key.split()[0], []).append(key)
    pairs: list[tuple[str, str, float]] = []
    for block in blocks.values():
        if len(block) < 2:
            continue
        scores = process.cdist(
            block, block, scorer=fuzz.token_sort_ratio, score_cutoff=min(THRESHOLDS), workers=1
        )
        for i, j in zip(*np.nonzero(np.triu(scores, 1)), strict=True):
            pairs.append((block[i], block[j], float(scores[i, j])))
    return keys, pairs, keying


def _clusters(keys: dict[str, str], pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Each name's cluster: its key's root once every pair's keys are joined."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.get(key, key) != key:
            parent[key] = parent.get(parent[key], parent[key])
            key = parent[key]
        return key

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {name: root(key) if key else f"empty:{name}" for name, key in keys.items()}


METHODS = ("splink", "splink-spark", "rapidfuzz", "rapidfuzz-blocks")


def child(method: str, names: int, bases: int) -> dict[str, object]:
    """One method measured in its own process, so its peak memory is its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", method, "--names", str(names), "--bases", str(bases)],
        capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": _pythonpath(), "DJANGO_SETTINGS_MODULE": "ambition.settings"},
    )  # fmt: skip
    if out.returncode:
        tail = "\n".join(out.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"supplier resolution bench ({method}) failed:\n{tail}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _pythonpath() -> str:
    src = str(Path(__file__).resolve().parent.parent / "src")
    return os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)


def line(label: str, r: dict[str, object]) -> str:
    java = f" (+ Java {float(r['java_peak_mb']):,.0f} MB)" if "java_peak_mb" in r else ""  # type: ignore[arg-type]
    return (
        f"  {label:<40} {float(r['seconds']):8.1f} s  precision {float(r['precision']):.4f}  "  # type: ignore[arg-type]
        f"recall {float(r['recall']):.4f}  F1 {float(r['f1']):.4f}  peak {float(r['peak_mb']):,.0f} MB"  # type: ignore[arg-type]
        + java
    )


def main(argv: list[str] | None = None) -> list[str]:
    """The figures; `make bench` passes no arguments and measures SUITE_NAMES."""
    args = parse(
        argv if argv is not None else ["--names", f"{SUITE_NAMES}", "--bases", f"{SUITE_BASES}"]
    )
    names, bases = (QUICK_NAMES, QUICK_BASES) if args.quick else (args.names, args.bases)
    ours = child("splink", names, bases)
    same, first = child("rapidfuzz-blocks", names, bases), child("rapidfuzz", names, bases)
    fastest = min(float(same["seconds"]), float(first["seconds"]))  # type: ignore[arg-type]
    met = float(ours["f1"]) >= GOAL_F1 and float(ours["seconds"]) < fastest  # type: ignore[arg-type]
    short = "" if names >= NAMES else f" (the goal's size is {NAMES:,} from {BASES:,})"
    lines = [
        f"Supplier resolution: {names:,} names from {bases:,} base names (synthetic, known truth)"
        + short,
        line(f"Splink/DuckDB (threshold {ours['threshold']})", ours),
        line(f"rapidfuzz, our blocks (best {same['threshold']})", same),
        line(f"rapidfuzz, first-word blocks (best {first['threshold']})", first),
        f"  of which keying the names (names.supplier_key, as all three do): "
        f"{float(first['keying']):.1f} s",  # type: ignore[arg-type]
    ]
    if args.spark_names:
        lines += spark_lines(args.spark_names, args.spark_names // 5, (names, bases), ours)
    # Measured last: a child started after this process grew would report its peak as its own
    # (Linux carries the high-water mark across exec).
    crowded, first_words_shared = base_figures(bases)
    lines[1:1] = [
        f"  the bases' words with another one letter away: {crowded:.0%} "
        "(see synthetic.SYLLABLES_PER_WORD for the real names')",
        f"  two bases' keys sharing their first word: {first_words_shared:.5f} "
        "(see synthetic.LEADING for the real names')",
    ]
    goals = "met" if met else "NOT met"
    return [*lines, f"  goals: F1 >= {GOAL_F1} and faster than the baseline: {goals}"]


def spark_lines(
    names: int, bases: int, measured: tuple[int, int], duck: dict[str, object]
) -> list[str]:
    """Spark's time beside DuckDB's at the same size (DuckDB measured again if the main
    run was another size)."""
    duck = duck if (names, bases) == measured else child("splink", names, bases)
    spark = child("splink-spark", names, bases)
    return [
        f"The same on Spark local mode: {names:,} names from {bases:,} base names",
        line("Splink/DuckDB", duck),
        line("Splink/Spark (local, same model)", spark),
    ]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_NAMES:,} names")
    parser.add_argument("--names", type=int, default=NAMES)
    parser.add_argument("--bases", type=int, default=BASES)
    parser.add_argument(
        "--spark-names",
        type=int,
        default=SPARK_NAMES if shutil.which("java") else 0,  # Spark needs Java 17
        help=f"names on Spark local mode ({SPARK_NAMES:,}; 0: not run)",
    )
    parser.add_argument("--child", choices=METHODS, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    options = parse(sys.argv[1:])
    if options.child:
        import django

        django.setup()  # resolve() reads which spend engine to use from the settings
        if options.child == "rapidfuzz":
            result = rapidfuzz(options.names, options.bases)
        elif options.child == "rapidfuzz-blocks":
            result = rapidfuzz_same_blocks(options.names, options.bases)
        else:
            engine = "spark" if options.child == "splink-spark" else "duckdb"
            result = splink(options.names, options.bases, engine)
        print(json.dumps({**result, "peak_mb": peak_mb()}))
        sys.exit(0)
    lines = main(sys.argv[1:])
    print("\n".join(lines), flush=True)
    sys.exit(0 if lines[-1].endswith(": met") else 1)
