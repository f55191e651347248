"""Supplier resolution over the stored spend, and its runs kept: each run a folder
`<VAR_DIR>/spend/suppliers/run-<n>/` with the records and their clusters, the pairs scored
at or above the threshold (Parquet) and a manifest (when, threshold, counts, the trained
model). A new run never changes an old one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ambition.spend.engine import Step
from ambition.spend.store import spend_root
from ambition.spend.transactions import open_transactions

from .resolve import COLUMNS, THRESHOLD, Resolution, resolve

# The distinct suppliers of the current transactions, redacted ones left out: they name
# no supplier, and the people behind them must not be matched.
SUPPLIERS = Step(
    "distinct_suppliers",
    f"SELECT DISTINCT {', '.join(COLUMNS)} FROM transactions "
    "WHERE NOT redacted AND supplier IS NOT NULL AND TRIM(supplier) <> ''",
)
_RUN = re.compile(r"run-(\d+)")


@dataclass(frozen=True)
class Run:
    folder: Path
    resolution: Resolution

    @property
    def number(self) -> int:
        return int(self.folder.name.removeprefix("run-"))


def runs_root() -> Path:
    return spend_root() / "suppliers"


def stored_suppliers() -> pl.DataFrame:
    """Every authority's distinct suppliers (with their numbers and postcodes) from the
    current transactions, through the spend engine."""
    engine = open_transactions()
    try:
        return engine.frame(SUPPLIERS)
    finally:
        engine.close()


def resolve_suppliers(threshold: float = THRESHOLD) -> Run:
    """Resolve the stored suppliers and keep the run."""
    return keep(resolve(stored_suppliers(), threshold))


def keep(resolution: Resolution) -> Run:
    """The resolution written as the next run, its manifest last (a folder without one is
    a run that did not finish)."""
    root = runs_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"run-{_next_number(root)}"
    folder.mkdir()
    resolution.records.write_parquet(folder / "records.parquet")
    resolution.pairs.write_parquet(folder / "pairs.parquet")
    (folder / "manifest.json").write_text(json.dumps(_manifest(resolution), indent=2))
    return Run(folder, resolution)


def _next_number(root: Path) -> int:
    found = [int(m[1]) for p in root.iterdir() if (m := _RUN.fullmatch(p.name))]
    return max(found, default=0) + 1


def _manifest(resolution: Resolution) -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "threshold": resolution.threshold,
        "seconds": round(resolution.seconds, 3),
        "counts": resolution.counts,
        "model": resolution.model,
    }


def latest_run() -> Path | None:
    """The folder of the latest finished run, if there is one."""
    root = runs_root()
    if not root.exists():
        return None
    finished = [
        p for p in root.iterdir() if _RUN.fullmatch(p.name) and (p / "manifest.json").exists()
    ]
    return max(finished, key=lambda p: int(p.name.removeprefix("run-")), default=None)
