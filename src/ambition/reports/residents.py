"""Residents' views of their council and area: the indicators marked as residents' views
(surveys), each with its latest published value, its interval and London's for the same
period, compared by the one rule for values with intervals (indicators.intervals)."""

from __future__ import annotations

from dataclasses import dataclass

from ambition.indicators import residents
from ambition.indicators.comparison import LONDON_CODE
from ambition.indicators.intervals import Estimate, difference
from ambition.indicators.models import Indicator, Observation
from ambition.registry.models import Authority


@dataclass(frozen=True)
class View:
    indicator: Indicator
    period: str
    value: float
    lower: float | None
    upper: float | None
    london: float | None
    comparison: str  # as indicators.intervals.difference words it; "" without London's
    illustrative: bool  # a made-up survey value (the demo's)


def residents_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(residents_view=True).order_by("name"))


def residents_views(authority: Authority) -> list[View]:
    """Each residents' indicator's latest published value for the authority, with London's
    for the same period; indicators the authority has no value for are left out."""
    published = Observation.public_objects.latest_revision().filter(value__isnull=False)
    latest = (
        published.filter(authority=authority, indicator__residents_view=True)
        .select_related("indicator", "period")
        .order_by("indicator__name", "-period__end")
    )
    mine: dict[int, Observation] = {}
    for o in latest:
        mine.setdefault(o.indicator_id, o)
    london = {
        (o.indicator_id, o.period_id): o
        for o in published.filter(
            authority__code=LONDON_CODE,
            indicator_id__in=mine,
            period_id__in=[o.period_id for o in mine.values()],
        )
    }
    made_up = residents.illustrative_batches({o.batch_id for o in mine.values() if o.batch_id})
    return [view(o, london.get((o.indicator_id, o.period_id)), made_up) for o in mine.values()]


def view(o: Observation, london: Observation | None, made_up: set[int]) -> View:
    ours = Estimate(float(o.value), o.lower, o.upper)
    theirs = Estimate(float(london.value), london.lower, london.upper) if london else None
    return View(
        indicator=o.indicator,
        period=o.period.label,
        value=float(o.value),
        lower=o.lower,
        upper=o.upper,
        london=theirs.value if theirs else None,
        comparison=str(difference(ours, theirs, o.indicator.polarity)) if theirs else "",
        illustrative=o.batch_id in made_up,
    )
