"""The build: read every source, write data/, check it, and document it."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .checks import check_sizes, london_period_counts, verify
from .context import Context
from .docs import documented_sources, write_readme, write_source_notes, write_summary
from .files import write_csv, write_csv_gz
from .records import CATALOGUE_HEADER, OBS_HEADER, Indicator, Report, Shipment
from .selection import DEFAULT_PATH, Selection, load_selection
from .sources import READERS

REPOSITORY = Path(__file__).resolve().parents[2]
# Only the folders the build owns are rebuilt; data/partnerships/, data/methodologies/ and
# data/demo/ are hand-written and left alone.
OWNED = ["registry", "indicators", "observations"]


def build(shared: Path, out: Path, selection: Selection, report: Report) -> int:
    """Rebuild the owned folders of `out` from `shared`; returns the observation row count."""
    for owned in [*OWNED, *documented_sources()]:
        shutil.rmtree(out / owned, ignore_errors=True)
    context = Context.for_sources(shared, selection, report)
    write_registry(out, context)
    indicators: list[Indicator] = []
    for folder, read in READERS.items():
        shipment = read(shared / folder, context)
        write_shipment(out, shipment, report)
        indicators += shipment.indicators
    write_catalogue(out, indicators, selection)
    counts = london_period_counts(out, indicators)
    row_counts = verify(out, indicators, context, counts)
    write_source_notes(shared, out, selection, report)
    write_readme(out, indicators, selection, row_counts)
    write_summary(out, indicators, selection, counts, row_counts)
    total = check_sizes(out)
    rows = sum(row_counts.values())
    print(
        f"verified: {len(indicators)} indicators, {rows} observation rows, "
        f"data/ {total / 1024 / 1024:.1f} MiB"
    )
    return rows


def write_registry(out: Path, context: Context) -> None:
    """The aggregate areas, and the files copied unchanged."""
    write_csv(
        out / "registry" / "aggregate_areas.csv",
        ["gss_code", "name", "kind"],
        [list(row) for row in context.aggregates.rows],
    )
    for copy in context.selection.copies:
        target = out / copy.target
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(context.shared / copy.source / copy.file, target)


def write_shipment(out: Path, shipment: Shipment, report: Report) -> None:
    for table in shipment.tables:
        write_csv(out / table.target, table.header, table.rows)
    if shipment.observations is not None:
        observations = shipment.observations
        write_csv_gz(
            out / "observations" / observations.name, OBS_HEADER, observations.sorted_rows()
        )
        report.add(shipment.source, observations.summary())


def write_catalogue(out: Path, indicators: list[Indicator], selection: Selection) -> None:
    write_csv(
        out / "indicators" / "service_areas.csv",
        ["code", "name", "description"],
        [[a.code, a.name, a.description] for a in selection.service_areas],
    )
    write_csv(
        out / "indicators" / "catalogue.csv",
        CATALOGUE_HEADER,
        [i.row() for i in sorted(indicators, key=lambda i: (i.file, i.code))],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.demo_data",
        description="Build the demo data shipped in data/ from the collected public sources.",
    )
    parser.add_argument(
        "--shared", type=Path, required=True, help="the collected sources, e.g. ../shared/data"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPOSITORY / "data",
        help="where to write (default: the repository's data/)",
    )
    parser.add_argument(
        "--selection", type=Path, default=DEFAULT_PATH, help="which indicators (a TOML file)"
    )
    args = parser.parse_args(argv)
    selection = load_selection(args.selection)
    build(args.shared.resolve(), args.out.resolve(), selection, Report())
    return 0
