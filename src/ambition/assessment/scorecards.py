"""One reader of an assessment run's results for an authority: its rating, service-area
scores, indicator positions and early warnings, read once and in one shape. The scorecard
page, the ratings API and the review pack all read a run through here, so they cannot
disagree about the same council; and a result table's columns are the model's own fields
(`outputs`), so the writer, the downloads and the API list them from one place."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

from ambition.registry.models import Authority

from .models import AssessmentRun, RunArea, RunIndicator, RunRating, RunWarning


def outputs(model: type[models.Model]) -> tuple[str, ...]:
    """A result table's own columns: every field but its id and its keys (the run, and the
    authority, indicator or area a row is of). New fields join the columns by being made."""
    return tuple(
        f.name for f in model._meta.concrete_fields if not (f.primary_key or f.is_relation)
    )


T = TypeVar("T")
AREA_OUTPUTS = outputs(RunArea)
INDICATOR_OUTPUTS = outputs(RunIndicator)
RATING_OUTPUTS = outputs(RunRating)
WARNING_OUTPUTS = outputs(RunWarning)


@dataclass(frozen=True)
class AreaScore:
    """One service area's score for one authority in one run (`row`: the stored row's id,
    which a support request names as what prompted it)."""

    row: int
    code: str
    name: str
    score: int | None
    indicators: int
    coverage: float
    mean_quartile: float | None
    weak: bool
    weak_reason: str


@dataclass(frozen=True)
class EarlyWarning:
    """One early warning for one authority in one run, with its indicator's words."""

    row: int
    indicator: str
    name: str
    unit: str
    decimal_places: int | None
    url: str
    position: int
    last_value: float | None
    forecast: float | None
    lower: float | None
    upper: float | None
    method: str
    bottom_quartile: float | None
    p_bottom_quartile: float | None
    p_miss_target: float | None
    risk: float


@dataclass(frozen=True)
class Scorecard:
    """Everything one run says about one authority. Areas are by name, indicators by
    service area then name (with their indicator and its service area read), warnings by
    their position in the run's list."""

    run: AssessmentRun
    authority: Authority
    rating: RunRating
    areas: tuple[AreaScore, ...]
    indicators: tuple[RunIndicator, ...]
    warnings: tuple[EarlyWarning, ...]

    @property
    def weak_areas(self) -> tuple[AreaScore, ...]:
        return tuple(a for a in self.areas if a.weak)


def area_score(a: RunArea) -> AreaScore:
    return AreaScore(a.pk, a.area.code, a.area.name, **_outputs(a, AREA_OUTPUTS))


def early_warning(w: RunWarning) -> EarlyWarning:
    i = w.indicator
    return EarlyWarning(
        row=w.pk,
        indicator=i.code,
        name=i.name,
        unit=i.unit,
        decimal_places=i.decimal_places,
        url=i.get_absolute_url(),
        **_outputs(w, WARNING_OUTPUTS),
    )


def _outputs(row: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def scorecards_of(
    run: AssessmentRun, authorities: Iterable[Authority] | None = None, *, indicators: bool = True
) -> list[Scorecard]:
    """The scorecard of every authority the run assessed (or of those given), by ONS code:
    each table read once for all of them. `indicators=False` leaves the indicator
    positions out (empty), for a reader of the whole run that shows none of them."""
    chosen = None if authorities is None else [a.pk for a in authorities]
    ratings = _of(RunRating, run, chosen).select_related("authority")
    areas = _by_authority(_of(RunArea, run, chosen).select_related("area"), area_score)
    warnings = _by_authority(
        _of(RunWarning, run, chosen).select_related("indicator"), early_warning
    )
    found = _indicators(run, chosen) if indicators else {}
    return [
        Scorecard(
            run=run,
            authority=r.authority,
            rating=r,
            areas=tuple(sorted(areas[r.authority_id], key=lambda a: a.name)),
            indicators=tuple(found.get(r.authority_id, ())),
            warnings=tuple(sorted(warnings[r.authority_id], key=lambda w: w.position)),
        )
        for r in ratings.order_by("authority__code")
    ]


def scorecard_of(
    run: AssessmentRun, authority: Authority, *, indicators: bool = True
) -> Scorecard | None:
    """The authority's scorecard in the run; None when the run did not assess it."""
    found = scorecards_of(run, [authority], indicators=indicators)
    return found[0] if found else None


def _of(model: type[models.Model], run: AssessmentRun, authorities: list[int] | None) -> Any:
    rows = model._default_manager.filter(run=run)
    return rows if authorities is None else rows.filter(authority_id__in=authorities)


def _by_authority(rows: Iterable[Any], shape: Callable[[Any], T]) -> defaultdict[int, list[T]]:
    found: defaultdict[int, list[T]] = defaultdict(list)
    for row in rows:
        found[row.authority_id].append(shape(row))
    return found


def _indicators(run: AssessmentRun, authorities: list[int] | None) -> dict[int, list[RunIndicator]]:
    rows = _of(RunIndicator, run, authorities).select_related("indicator__service_area")
    found = _by_authority(rows, lambda r: r)
    return {k: sorted(v, key=_in_area_order) for k, v in found.items()}


def _in_area_order(r: RunIndicator) -> tuple[str, str]:
    return (r.indicator.service_area.name, r.indicator.name)
