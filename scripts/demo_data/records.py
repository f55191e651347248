"""What a source reader hands back: catalogue rows, observation rows and extra tables,
all as the source's text. Writing them is the build's job, not the reader's."""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

OGL = "Open Government Licence v3.0"
OBS_HEADER = ["authority", "indicator", "period", "value", "status", "lower", "upper"]
CATALOGUE_HEADER = [
    "code",
    "name",
    "service_area",
    "unit",
    "polarity",
    "polarity_basis",
    "year_basis",
    "definition",
    "source",
    "source_url",
    "licence",
    "decimal_places",
    "file",
    "notes",
]


@dataclass
class Indicator:
    code: str
    name: str
    service_area: str
    unit: str
    polarity: str
    polarity_basis: str
    year_basis: str
    definition: str
    source: str
    source_url: str
    licence: str
    decimal_places: str
    file: str
    notes: str

    def row(self) -> list[str]:
        return [getattr(self, name) for name in CATALOGUE_HEADER]


@dataclass
class Report:
    """What each step did, for the SOURCE.md notes and the console."""

    lines: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    quiet: bool = False

    def add(self, source: str, text: str) -> None:
        self.lines[source].append(text)
        if not self.quiet:
            print(f"[{source}] {text}")


class ObservationSet:
    """Rows for one file, refusing conflicting duplicates (the importer would reject them)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[tuple[str, str, str], list[str]] = {}
        self.conflicts = 0
        self.repeats = 0

    def add(
        self,
        authority: str,
        indicator: str,
        period: str,
        value: str,
        status: str = "",
        lower: str = "",
        upper: str = "",
    ) -> None:
        key = (authority, indicator, period)
        row = [authority, indicator, period, value, status, lower, upper]
        if key in self.rows:
            # Keep the first row in source order; count what was left out.
            if self.rows[key] == row:
                self.repeats += 1
            else:
                self.conflicts += 1
            return
        self.rows[key] = row

    def sorted_rows(self) -> list[list[str]]:
        """By indicator, authority, period: the order the shipped files promise."""
        return [self.rows[key] for key in sorted(self.rows, key=lambda k: (k[1], k[0], k[2]))]

    def summary(self) -> str:
        return (
            f"{self.name}: {len(self.rows)} rows; exact repeats dropped {self.repeats}; "
            f"conflicting duplicates (first kept) {self.conflicts}"
        )


@dataclass
class Table:
    """A CSV the build writes under data/, e.g. `registry/dfe_la_code_list.csv`."""

    target: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Shipment:
    """Everything one source contributes to data/."""

    source: str
    indicators: list[Indicator] = field(default_factory=list)
    observations: ObservationSet | None = None
    tables: list[Table] = field(default_factory=list)
