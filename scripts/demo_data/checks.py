"""The contract other code relies on, checked on what was written: fail loudly, not ship."""

from __future__ import annotations

import collections
import csv
import gzip
import re
import statistics
from pathlib import Path

from .context import Context
from .files import read_csv, read_csv_gz
from .records import OBS_HEADER, Indicator
from .text import is_number

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 25 * 1024 * 1024
MIN_LONDON_PERIODS = 5
LONDON_BOROUGHS = [f"E09{n:06d}" for n in range(1, 34)]


def london_period_counts(out: Path, indicators: list[Indicator]) -> dict[str, list[int]]:
    """For each indicator, per London borough, how many periods carry a number."""
    seen: dict[str, dict[str, set[str]]] = {
        i.code: {b: set() for b in LONDON_BOROUGHS} for i in indicators
    }
    for name in sorted({i.file for i in indicators}):
        for row in read_csv_gz(out / "observations" / name):
            if row["authority"] in LONDON_BOROUGHS and is_number(row["value"]):
                seen[row["indicator"]][row["authority"]].add(row["period"])
    return {code: sorted(len(p) for p in boroughs.values()) for code, boroughs in seen.items()}


def qualifying(indicators: list[Indicator], counts: dict[str, list[int]]) -> list[Indicator]:
    """Indicators with a median of at least MIN_LONDON_PERIODS numeric periods a borough."""
    return [i for i in indicators if statistics.median(counts[i.code]) >= MIN_LONDON_PERIODS]


def check_catalogue(out: Path) -> dict[str, set[str]]:
    """Each catalogue row well formed; returns observation file -> its indicator codes."""
    catalogue = read_csv(out / "indicators" / "catalogue.csv")
    areas = {row["code"] for row in read_csv(out / "indicators" / "service_areas.csv")}
    codes = [row["code"] for row in catalogue]
    assert len(codes) == len(set(codes)), "duplicate catalogue codes"
    for row in catalogue:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["code"]), row["code"]
        assert row["service_area"] in areas, row
        assert row["polarity"] in ("higher", "lower", ""), row
        assert bool(row["polarity"]) == bool(row["polarity_basis"]), row
        assert row["year_basis"] in ("financial", "academic", "calendar"), row
        assert row["decimal_places"].isdigit(), row
        assert (out / "observations" / row["file"]).exists(), row
    used_areas = {row["service_area"] for row in catalogue}
    assert used_areas == areas, f"service areas without indicators: {areas - used_areas}"
    by_file: dict[str, set[str]] = collections.defaultdict(set)
    for row in catalogue:
        by_file[row["file"]].add(row["code"])
    return by_file


def check_observations(path: Path, context: Context) -> tuple[int, set[str]]:
    """Rows and indicators of one file: known authorities, no repeated key."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == OBS_HEADER, path
        seen_indicators, keys, n = set(), set(), 0
        for row in reader:
            n += 1
            authority, indicator, period = row[:3]
            assert len(row) == len(OBS_HEADER), row
            assert authority.startswith("E"), row
            assert context.known(authority), row
            assert (authority, indicator, period) not in keys, row
            keys.add((authority, indicator, period))
            seen_indicators.add(indicator)
    return n, seen_indicators


def verify(
    out: Path, indicators: list[Indicator], context: Context, counts: dict[str, list[int]]
) -> dict[str, int]:
    """Check the catalogue and every observation file; returns each file's row count."""
    by_file = check_catalogue(out)
    row_counts = {}
    for path in sorted((out / "observations").glob("*.csv.gz")):
        row_counts[path.name], seen = check_observations(path, context)
        assert seen == by_file[path.name], (path, seen ^ by_file[path.name])
    assert set(row_counts) == set(by_file), "catalogue names a missing observations file"
    kept = qualifying(indicators, counts)
    assert len(kept) >= 60, len(kept)
    assert len({i.service_area for i in kept}) >= 6
    assert sum(row_counts.values()) <= 350_000, row_counts
    return row_counts


def check_sizes(out: Path) -> int:
    """Every file under the size limits; returns the total."""
    total = 0
    for path in out.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            assert size < MAX_FILE_BYTES, f"{path} is {size} bytes"
            total += size
    assert total < MAX_TOTAL_BYTES, f"data/ is {total} bytes"
    return total
