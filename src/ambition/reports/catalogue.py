"""The open-data catalogue: each dataset the public site publishes, with its publisher,
licence, source, last update and the links that download it. The indicator sources come from
the indicator catalogue (their own licence and source); the partnership's own datasets
(ratings, targets, grants, members) are published under the Open Government Licence."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.urls import reverse  # type: ignore[import-untyped]

from ambition.assessment.models import AssessmentRun
from ambition.fund.models import Award
from ambition.indicators.models import ImportBatch, Indicator, Observation
from ambition.registry.models import Partnership
from ambition.web.tables import FORMAT_LABELS

OGL = "Open Government Licence v3.0"
# The partnership publishes its own datasets; the licence of each indicator source is its own.
OWN_LICENCE = OGL


@dataclass(frozen=True)
class Dataset:
    name: str
    publisher: str
    licence: str
    source: str
    updated: datetime.date | None
    page: str
    downloads: tuple[tuple[str, str], ...]  # (label, address)
    description: str = ""


def table_downloads(page: str, table: str = "", what: str = "") -> tuple[tuple[str, str], ...]:
    """A table's downloads as (label, address), each label prefixed with `what` where a
    dataset has several tables ("Runs CSV")."""
    named = f"&table={table}" if table else ""
    return tuple(
        (f"{what} {label}".strip(), f"{page}?format={f}{named}")
        for f, label in FORMAT_LABELS.items()
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return moment.date() if moment else None


_SOURCES: dict[tuple[int | None, int], list[Dataset]] = {}


def indicator_sources() -> list[Dataset]:
    """One dataset per indicator source and licence, updated when its published values were
    last imported. Read once per import: the grouping reads every published observation."""
    key = (ImportBatch.objects.aggregate(last=Max("pk"))["last"], Indicator.objects.count())
    if key not in _SOURCES:
        _SOURCES.clear()
        _SOURCES[key] = list(_indicator_sources())
    return _SOURCES[key]


def _indicator_sources() -> list[Dataset]:
    imported = dict(
        Observation.public_objects.values("indicator__source")
        .annotate(last=Max("batch__finished_at"))
        .values_list("indicator__source", "last")
    )
    groups = (
        Indicator.objects.values("source", "licence")
        .annotate(n=Count("id"), first=Min("code"), url=Max("source_url"))
        .order_by("source")
    )
    return [
        Dataset(
            name=f"{g['source'] or 'Unnamed source'}: {plural(g['n'], 'indicator')}",
            publisher=g["source"] or "not stated",
            licence=g["licence"] or "not stated",
            source=g["url"] or "",
            updated=_day(imported.get(g["source"])),
            page=reverse("indicator-list"),
            downloads=table_downloads(reverse("indicator-list")),
            description="Each indicator's values for every authority, with its definition "
            "and polarity, on its indicator page.",
        )
        for g in groups
    ]


def own_datasets() -> list[Dataset]:
    try:
        publisher = Partnership.objects.current().name
    except Partnership.DoesNotExist:
        publisher = "The partnership"
    run = AssessmentRun.objects.latest_run()
    award = Award.objects.aggregate(last=Max("updated_at"))["last"]
    home, dashboard = reverse("home"), reverse("assessment-dashboard")
    runs = reverse("assessment-runs")
    return [
        Dataset(
            "The members and how they are rated",
            publisher,
            OWN_LICENCE,
            "The registry of authorities (mySociety, GLA) and the latest assessment run",
            run.created_at.date() if run else None,
            home,
            table_downloads(home, "members"),
            "Each member's population, political control, stars and direction of travel.",
        ),
        Dataset(
            "The partnership's targets and how they moved",
            publisher,
            OWN_LICENCE,
            "The assessment runs of the default methodology",
            run.created_at.date() if run else None,
            home,
            table_downloads(home, "targets"),
        ),
        Dataset(
            "Assessment runs: star ratings, direction of travel, weak service areas",
            publisher,
            OWN_LICENCE,
            "The performance office's assessment runs over the published indicators",
            run.created_at.date() if run else None,
            dashboard,
            table_downloads(dashboard, "members", "Ratings") + table_downloads(runs, what="Runs"),
        ),
        Dataset(
            "Grants (360Giving)",
            publisher,
            OWN_LICENCE,
            "The partnership's fund: its awards and payments",
            _day(award),
            reverse("fund"),
            (
                ("360Giving JSON", reverse("fund-grants")),
                ("360Giving CSV", reverse("fund-grants") + "?format=csv"),
                ("360Giving XLSX", reverse("fund-grants") + "?format=xlsx"),
                *table_downloads(reverse("fund"), what="Awards"),
            ),
        ),
    ]


def datasets() -> list[Dataset]:
    return own_datasets() + indicator_sources()
