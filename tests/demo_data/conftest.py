"""The demo-data build is tested on small slices of the real collected sources (beside the
checkout, as `--shared ../shared/data`), copied into a temporary folder."""

from __future__ import annotations

import csv
import dataclasses
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from scripts.demo_data.context import Context
from scripts.demo_data.records import Report
from scripts.demo_data.register import Aggregates, Registry
from scripts.demo_data.selection import Selection, load_selection

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
Keep = Callable[[dict[str, str]], bool]


def _open(path: Path, mode: str) -> IO[str]:
    if path.name.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8", newline="")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8", newline="")


def write_slice(source: Path, target: Path, keep: Keep | None = None, limit: int = 0) -> int:
    """The header and, of the first `limit` rows (all if 0), those `keep` accepts (all if
    None); returns how many were written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _open(source, "r") as inp, _open(target, "w") as out:
        reader, writer = csv.reader(inp), csv.writer(out, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        written = 0
        names = [h.lstrip("\ufeff") for h in header]
        for number, row in enumerate(reader, 1):
            if limit and number > limit:
                break
            if keep is None or keep(dict(zip(names, row, strict=False))):
                writer.writerow(row)
                written += 1
    return written


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "uk-local-authority-lookup").is_dir():
        pytest.skip(f"the collected sources are not at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def registry(shared: Path) -> Registry:
    return Registry(shared / "uk-local-authority-lookup")


@pytest.fixture(scope="session")
def aggregates(shared: Path) -> Aggregates:
    return Aggregates.from_sources(shared)


@pytest.fixture(scope="session")
def selection() -> Selection:
    return load_selection()


@pytest.fixture
def make_context(
    tmp_path: Path, registry: Registry, aggregates: Aggregates, selection: Selection
) -> Callable[..., Context]:
    """A context over `tmp_path` as the shared folder, with the selection narrowed."""

    def make(**narrowed: object) -> Context:
        chosen = dataclasses.replace(selection, **narrowed)
        return Context(tmp_path, chosen, registry, aggregates, Report(quiet=True))

    return make
