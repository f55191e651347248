"""The early warning's rolling-origin backtest over every DfE LAIT indicator (434, from
the LAIT big data set beside the checkout, as `assessment_national` converts it) for every
English council, for all forecast methods at once. Goal: under 60 s. Printed beside two
references measured in the same run: the time to read the frames, and the naive rule
alone (the backtest's shared work: positions, thresholds, cases). The shipped 43-indicator
file is timed too, and the table of the shipped methods' pick is printed.

Run by `make bench`, or alone: `.venv/bin/python bench/backtest.py`."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import assessment_national
from common import ROOT, scratch

GOAL_S = 60.0
T = TypeVar("T")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambition.settings")
    import django

    django.setup()


def timed(work: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def measure(data: Path, observations: Path | None, label: str) -> list[str]:
    from ambition.assessment.engine.forecast import ALL_METHODS, WarningMethod, backtest
    from ambition.assessment.engine.forecast.shipped import shipped_frames
    from ambition.assessment.methodology import parse

    method = parse(ROOT / "data" / "methodologies" / "ambition-default.toml")
    window, cutoff = method.warning_window, method.warning_cutoff
    read, (obs, indicators) = timed(
        lambda: shipped_frames(data, "england", observations=observations)
    )
    only_naive = [WarningMethod("naive")]
    naive, _ = timed(lambda: backtest(obs, indicators, window, cutoff, methods=only_naive))
    seconds, result = timed(lambda: backtest(obs, indicators, window, cutoff))
    verdict = "meets" if seconds < GOAL_S else "MISSES"
    all_rows = result.summary.filter(result.summary["scope"] == "all")
    cases = int(all_rows["cases"][0])
    lines = [
        f"  {label}: {obs.height:,} observations, {obs['indicator'].n_unique()} indicators, "
        f"{obs['authority'].n_unique()} councils; {cases:,} cases per method",
        f"    all {len(ALL_METHODS)} methods: {seconds:.2f} s (goal < {GOAL_S:.0f} s: {verdict}); "
        f"reference: naive rule alone {naive:.2f} s, reading the frames {read:.2f} s",
    ]
    for row in all_rows.iter_rows(named=True):
        lines.append(
            f"    {row['method']:<24} Brier {row['brier']:.4f}  precision {row['precision']:.3f}"
            f"  recall {row['recall']:.3f}  F1 {row['f1']:.3f}"
        )
    lines.append(f"    pick (best Brier beating naive on F1): {result.pick()}")
    return lines


def main() -> list[str]:
    setup_django()
    load = os.getloadavg()[0]
    lines = [
        "early-warning backtest, rolling origin, every English council, all forecast methods "
        f"(load average {load:.1f} on {os.cpu_count()} cores at the start)"
    ]
    lines += measure(ROOT / "data", None, "shipped LAIT file")
    if not assessment_national.LAIT.is_dir():
        return [*lines, f"  the LAIT big data set is not at {assessment_national.LAIT}: skipped"]
    work = scratch()
    observations = work / "lait-national.csv"
    converted, (data, _) = timed(lambda: assessment_national.data_folder(work, observations))
    lines.append(f"  set-up: LAIT big data set converted in {converted:.1f} s (not timed below)")
    lines += measure(data, observations, "every LAIT indicator")
    shutil.rmtree(work, ignore_errors=True)
    return lines


if __name__ == "__main__":
    print("\n".join(main()))
