"""The indicators of a reviewed service area, before and after the review: for each, the
latest value from a period that ended before the team arrived and the latest from a
period that ended after it, and whether that is better, worse or the same by the
indicator's polarity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ambition.indicators.models import Indicator, Observation, Polarity
from ambition.registry.models import Authority

BETTER, WORSE, SAME, UNKNOWN = "better", "worse", "same", "not known"


@dataclass(frozen=True)
class Point:
    period: str
    start: datetime.date
    end: datetime.date
    value: float


@dataclass(frozen=True)
class BeforeAfter:
    indicator: Indicator
    before: Point | None
    after: Point | None
    series: list[Point] = field(default_factory=list)

    @property
    def change(self) -> str:
        """better / worse / same by polarity; "changed" where the source states none."""
        if self.before is None or self.after is None:
            return UNKNOWN
        if self.after.value == self.before.value:
            return SAME
        if self.indicator.polarity == Polarity.NONE:
            return "changed"
        rose = self.after.value > self.before.value
        return BETTER if rose == (self.indicator.polarity == Polarity.HIGHER) else WORSE


def _series(authority: Authority, indicator: Indicator, user: Any) -> list[Point]:
    if user is None:
        visible = Observation.public_objects.latest_revision()
    else:
        visible = Observation.private_objects.visible_to(user).latest_revision()
    rows = (
        visible.filter(authority=authority, indicator=indicator, value__isnull=False)
        .select_related("period")
        .order_by("period__end", "period__start")
    )
    return [Point(o.period.label, o.period.start, o.period.end, float(o.value)) for o in rows]


def before_and_after(
    authority: Authority,
    area_id: int,
    arrived: datetime.date | None,
    left: datetime.date | None = None,
    user: Any = None,
) -> list[BeforeAfter]:
    """Every indicator of the area, with the authority's value either side of the visit;
    without an on-site date, the series alone."""
    out = []
    for indicator in Indicator.objects.filter(service_area_id=area_id).order_by("name"):
        series = _series(authority, indicator, user)
        if arrived is None:
            out.append(BeforeAfter(indicator, None, None, series))
            continue
        departed = left or arrived
        before = [p for p in series if p.end < arrived]
        after = [p for p in series if p.end > departed]
        out.append(
            BeforeAfter(
                indicator, before[-1] if before else None, after[-1] if after else None, series
            )
        )
    return out


def summary(rows: list[BeforeAfter]) -> str:
    """In words: "3 of 5 indicators better since the review"."""
    compared = [r for r in rows if r.change != UNKNOWN]
    if not compared:
        return "No indicator has figures from both before and after the review yet"
    better = sum(r.change == BETTER for r in compared)
    noun = "indicator" if len(compared) == 1 else "indicators"
    return f"{better} of {len(compared)} {noun} better since the review"
