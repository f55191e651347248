"""Load the indicator catalogue (service areas and indicators) from the shipped CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Indicator, ServiceArea

INDICATOR_FIELDS = (
    "name",
    "unit",
    "polarity",
    "polarity_basis",
    "year_basis",
    "definition",
    "source",
    "source_url",
    "licence",
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_catalogue(folder: Path) -> tuple[int, int]:
    """Create or update service areas and indicators; returns how many of each."""
    areas = {}
    for row in _rows(folder / "service_areas.csv"):
        areas[row["code"]], _ = ServiceArea.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "description": row["description"]}
        )
    rows = _rows(folder / "catalogue.csv")
    for row in rows:
        defaults: dict[str, object] = {f: row.get(f, "").strip() for f in INDICATOR_FIELDS}
        defaults["service_area"] = areas[row["service_area"]]
        defaults["decimal_places"] = int(row.get("decimal_places") or 1)
        current = Indicator.objects.filter(code=row["code"]).values(*INDICATOR_FIELDS).first()
        if current is None or any(current[f] != defaults[f] for f in INDICATOR_FIELDS):
            Indicator.objects.update_or_create(code=row["code"], defaults=defaults)
    return len(areas), len(rows)
