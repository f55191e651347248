"""Which indicators the demo takes from which source, read from `selection.toml`. The
selection is data, not code: adding a measure is a TOML edit that this module checks."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar, TypeVar

DEFAULT_PATH = Path(__file__).with_name("selection.toml")
YEAR_BASES = ("financial", "academic", "calendar")
CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class SelectionError(ValueError):
    """The selection file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class ServiceArea:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class LaitMeasure:
    short: str
    code: str
    service_area: str
    unit: str


@dataclass(frozen=True)
class OflogMeasure:
    """Oflog's file is adult social care only."""

    source_code: str
    code: str
    unit: str
    service_area: ClassVar[str] = "adult-social-care"


@dataclass(frozen=True)
class OnsIndicator:
    dataset: str
    name: str
    code: str
    service_area: str


@dataclass(frozen=True)
class Copy:
    source: str
    file: str
    target: str


@dataclass(frozen=True)
class Selection:
    service_areas: tuple[ServiceArea, ...]
    lait: tuple[LaitMeasure, ...]
    lait_year_basis: dict[str, str]
    oflog: tuple[OflogMeasure, ...]
    ons: tuple[OnsIndicator, ...]
    copies: tuple[Copy, ...]

    @property
    def ons_datasets(self) -> list[str]:
        return sorted({i.dataset for i in self.ons})


Entry = TypeVar("Entry")


def load_selection(path: Path = DEFAULT_PATH) -> Selection:
    """Parse and check the selection; any fault is a SelectionError naming where it is."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SelectionError(f"{path}: {error}") from error
    try:
        selection = Selection(
            service_areas=_entries(ServiceArea, spec, "service_area"),
            lait=_entries(LaitMeasure, spec.get("lait", {}), "lait.measure"),
            lait_year_basis=dict(spec.get("lait", {}).get("year_basis", {})),
            oflog=_entries(OflogMeasure, spec.get("oflog", {}), "oflog.measure"),
            ons=_entries(OnsIndicator, spec.get("ons", {}), "ons.indicator"),
            copies=_entries(Copy, spec, "copy"),
        )
        _check(selection)
    except SelectionError as error:
        raise SelectionError(f"{path}: {error}") from None
    return selection


def _entries(kind: type[Entry], table: dict[str, Any], key: str) -> tuple[Entry, ...]:
    """`[[key]]` tables as `kind`, each with exactly kind's fields, all strings."""
    wanted = {f.name for f in fields(kind)}  # type: ignore[arg-type]
    entries = table.get(key.rpartition(".")[2], [])
    if not entries:
        raise SelectionError(f"no [[{key}]] entries")
    result = []
    for number, entry in enumerate(entries, 1):
        missing, unknown = wanted - set(entry), set(entry) - wanted
        if missing or unknown:
            raise SelectionError(
                f"[[{key}]] entry {number}: missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        if not all(isinstance(value, str) and value for value in entry.values()):
            raise SelectionError(f"[[{key}]] entry {number}: every value must be a non-empty text")
        result.append(kind(**entry))
    return tuple(result)


def _check(selection: Selection) -> None:
    """Codes are well formed and unique, and name known service areas and year bases."""
    areas = {area.code for area in selection.service_areas}
    seen: set[str] = set()
    chosen: list[LaitMeasure | OflogMeasure | OnsIndicator] = [
        *selection.lait,
        *selection.oflog,
        *selection.ons,
    ]
    for entry in chosen:
        if not CODE.fullmatch(entry.code):
            raise SelectionError(f"code {entry.code!r} is not lower-case words joined by '-'")
        if entry.code in seen:
            raise SelectionError(f"code {entry.code!r} is selected twice")
        seen.add(entry.code)
        if entry.service_area not in areas:
            raise SelectionError(f"{entry.code}: unknown service area {entry.service_area!r}")
    for year_type, basis in selection.lait_year_basis.items():
        if basis not in YEAR_BASES:
            raise SelectionError(f"lait.year_basis {year_type!r}: {basis!r} is not {YEAR_BASES}")
