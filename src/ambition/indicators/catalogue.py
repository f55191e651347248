"""Load the indicator catalogue (service areas and indicators) from the shipped CSVs: the
catalogue, which of its indicators are measured by a survey (`surveys.csv`, with each one's
method note), and the residents' survey questions (`residents_survey.toml`)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from . import residents
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
SURVEY_FIELDS = ("residents_view", "survey", "method_note")


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
    surveys = _surveys(folder / "surveys.csv")
    rows = _rows(folder / "catalogue.csv")
    for row in rows:
        defaults: dict[str, object] = {f: row.get(f, "").strip() for f in INDICATOR_FIELDS}
        defaults["service_area"] = areas[row["service_area"]]
        defaults["decimal_places"] = int(row.get("decimal_places") or 1)
        defaults.update(surveys.get(row["code"], dict.fromkeys(SURVEY_FIELDS, "")))
        defaults["residents_view"] = bool(defaults["residents_view"])
        _save(row["code"], defaults)
    extra_areas, extra = _residents_survey(folder / "residents_survey.toml")
    return len(areas) + extra_areas, len(rows) + extra


def _save(code: str, defaults: dict[str, object]) -> None:
    """Write an indicator only when it changed: a re-run leaves no revision behind."""
    names = [f for f in defaults if f != "service_area"]
    current = Indicator.objects.filter(code=code).values(*names, "service_area_id").first()
    area = defaults["service_area"]
    if (
        current is None
        or current["service_area_id"] != getattr(area, "pk", None)
        or any(current[f] != defaults[f] for f in names)
    ):
        Indicator.objects.update_or_create(code=code, defaults=defaults)


def _surveys(path: Path) -> dict[str, dict[str, object]]:
    """Which catalogue indicators a survey measures, and how: absent file, none."""
    if not path.exists():
        return {}
    return {
        row["code"]: {
            "residents_view": row["residents_view"].strip().lower() == "yes",
            "survey": row["survey"].strip(),
            "method_note": row["method_note"].strip(),
        }
        for row in _rows(path)
    }


def _residents_survey(path: Path) -> tuple[int, int]:
    """The service area and one indicator per question of a council's residents' survey."""
    if not path.exists():
        return 0, 0
    survey = residents.definition(path)
    area, _ = ServiceArea.objects.update_or_create(
        code=survey.area["code"],
        defaults={"name": survey.area["name"], "description": survey.area["description"]},
    )
    for q in survey.questions:
        positive = " or ".join(a for a in q.answers if a in q.positive)
        _save(
            q.indicator,
            {
                "name": q.name,
                "service_area": area,
                "unit": "%",
                "polarity": "higher",
                "polarity_basis": "the survey's question: the share answering positively",
                "year_basis": "financial",
                "definition": f"{q.question} The share answering {positive}.",
                "source": survey.survey,
                "source_url": "",
                "licence": "",
                "decimal_places": 1,
                "residents_view": True,
                "survey": survey.survey,
                "method_note": survey.method_note,
            },
        )
    return 1, len(survey.questions)
