"""ONS Explore Local Statistics: the selected indicators of its dataset files, described by
each dataset's ESS JSON metadata."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from ..context import Context
from ..files import read_csv_gz
from ..records import OGL, Indicator, ObservationSet, Shipment
from ..selection import OnsIndicator
from ..text import first_of, one_line

SOURCE = "ons-explore-local-statistics"
FILE = "ons_els.csv.gz"


def read(source: Path, context: Context) -> Shipment:
    observations = ObservationSet(FILE)
    dropped: collections.Counter[tuple[str, str]] = collections.Counter()
    indicators = []
    for dataset in context.selection.ons_datasets:
        folder = source / "indicators" / dataset
        rows = read_csv_gz(folder / f"{dataset}.csv.gz")
        for selected in context.selection.ons:
            if selected.dataset == dataset:
                periods, units = observe(rows, selected, observations, dropped, context)
                indicators.append(indicator(selected, folder, periods, units))
    context.report.add(
        SOURCE,
        "English rows left out because the code is neither in mySociety's gss-code "
        "column nor an aggregate: "
        + ", ".join(f"{c} {n} ({k} rows)" for (c, n), k in sorted(dropped.items())),
    )
    return Shipment(SOURCE, indicators, observations)


def observe(
    rows: list[dict[str, str]],
    selected: OnsIndicator,
    observations: ObservationSet,
    dropped: collections.Counter[tuple[str, str]],
    context: Context,
) -> tuple[set[str], set[str]]:
    """Add one indicator's English rows; returns its periods and its `unit` values."""
    periods: set[str] = set()
    units: set[str] = set()
    for row in rows:
        if row["indicator"] != selected.name or not row["areacd"].startswith("E"):
            continue
        if not context.known(row["areacd"]):
            dropped[(row["areacd"], row["areanm"])] += 1
            continue
        observations.add(
            row["areacd"],
            selected.code,
            row["period"],
            row["observation"],
            row["status"],
            row["lci_95"],
            row["uci_95"],
        )
        periods.add(row["period"])
        units.add(row["unit"])
    assert periods, f"no rows for {selected.dataset} / {selected.name}"
    return periods, units


def metadata(meta_path: Path, indicator: str) -> dict[str, object]:
    """Flatten ESS metadata: per-indicator block over the shared block over the top level."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))["ess-beta-metadata"]
    flat = {k: v for k, v in meta.items() if not isinstance(v, dict)}
    flat.update(meta.get("shared", {}))
    flat.update(meta.get(indicator, {}))
    return flat


def unit(meta: dict[str, object]) -> str:
    if meta.get("prefix") == "GBPSign":
        return "£"
    if meta.get("suffix") == "%":
        return "%"
    text = str(meta.get("subText") or "")
    return {"affordability ratio": "ratio"}.get(text, text)


def year_basis(periods: set[str]) -> tuple[str, str]:
    """From the ISO 8601 periods: interval start in Jan-Mar -> calendar, Apr-Jul -> financial,
    Aug-Dec -> academic; a bare date (a point in time) -> calendar."""
    starts: collections.Counter[str] = collections.Counter()
    for period in periods:
        starts[period.split("/")[0][5:] if "/" in period else "date"] += 1
    start = starts.most_common(1)[0][0]
    if start == "date":
        return "calendar", "periods are dates (points in time)"
    month = int(start[:2])
    basis = "calendar" if month <= 3 else "financial" if month <= 7 else "academic"
    return basis, f"periods are ISO 8601 intervals starting on --{start}"


def definition(meta: dict[str, object]) -> str:
    """`subtitle`, then `longDescription`, each on one line."""
    short = one_line(str(meta.get("subtitle") or ""))
    long_text = one_line(str(meta.get("longDescription") or ""))
    if long_text:
        return f"{short}. {long_text}" if short else long_text
    return short


def indicator(
    selected: OnsIndicator, folder: Path, periods: set[str], units: set[str]
) -> Indicator:
    """A catalogue row from the ESS metadata, which states no polarity at all."""
    meta = metadata(folder / f"{selected.dataset}.json", selected.name)
    basis, period_note = year_basis(periods)
    notes = [
        f"ONS dataset={selected.dataset}",
        f"ONS indicator={selected.name}",
        f"ONS unit column={'|'.join(sorted(units))}",
        period_note,
        "no polarity: the ESS metadata has no polarity field",
    ]
    if meta.get("experimentalStatistic") == "T":
        notes.append("official statistics in development (experimentalStatistic=T)")
    return Indicator(
        code=selected.code,
        name=str(meta["label"]),
        service_area=selected.service_area,
        unit=unit(meta),
        polarity="",
        polarity_basis="",
        year_basis=basis,
        definition=definition(meta),
        source=f"{first_of(str(meta['sourceOrg']))}, via ONS Explore Local Statistics",
        source_url=first_of(str(meta["sourceURL"])),
        licence=OGL,
        decimal_places=str(meta["decimalPlaces"]),
        file=FILE,
        notes="; ".join(notes),
    )
