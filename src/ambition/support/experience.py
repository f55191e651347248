"""Evidence of relevant experience, computed from the stored assessment runs, never typed.

An authority "has experienced similar pressures and problems" in a service area when the
series of runs of one methodology (the latest run for each as-of date) shows it:
- weak and recovered (the strongest evidence): an earlier run had the area weak (or
  scoring 1), and the latest run scores it 3 or 4;
- weak and improving: an earlier run had it weak, the latest does not, and its
  indicators have moved up since it was last weak, by at least half a quartile on average
  among the comparators (`mean_quartile`), though it does not score 3 yet;
- strong now: the latest run scores it 3 or 4, with no weakness in the series.
Anything else is no evidence. The sentence names the runs that show it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from ambition.assessment.models import AssessmentRun, RunArea
from ambition.indicators.models import ServiceArea
from ambition.registry.models import Authority

RECOVERED, IMPROVING, STRONG, NONE = "recovered", "improving", "strong", "none"
STRENGTH = {
    (RECOVERED, 4): 1.0,
    (RECOVERED, 3): 0.9,
    (IMPROVING, None): 0.6,
    (STRONG, 4): 0.7,
    (STRONG, 3): 0.5,
}
GOOD_SCORE = 3
QUARTILE_RISE = 0.5  # half a quartile: a move up the comparators that is more than noise


@dataclass(frozen=True)
class AreaPoint:
    """One run's view of one authority's service area."""

    run_id: int
    as_of: datetime.date
    score: int | None
    weak: bool
    mean_quartile: float | None

    @property
    def was_weak(self) -> bool:
        return self.weak or self.score == 1


@dataclass(frozen=True)
class Experience:
    kind: str  # recovered, improving, strong or none
    strength: float  # 0-1
    sentence: str
    runs: tuple[int, ...]  # the runs that show it, earliest first


def judge(points: Sequence[AreaPoint], area: str, today: datetime.date) -> Experience:
    """The evidence in one authority's series for one area (points in as-of order)."""
    if not points:
        return Experience(NONE, 0.0, f"No stored assessment run scores {area}.", ())
    latest = points[-1]
    weak_before = [p for p in points[:-1] if p.was_weak]
    if latest.was_weak:
        return _none(latest, area, today, "weak in it")
    if weak_before and (latest.score or 0) >= GOOD_SCORE:
        return _recovered(weak_before[-1], latest, area, today)
    if weak_before and _moved_up(weak_before[-1], latest):
        return _improving(weak_before[-1], latest, area, today)
    if (latest.score or 0) >= GOOD_SCORE:
        strength = STRENGTH[(STRONG, latest.score)]
        sentence = f"Scores {latest.score} in {area} {_when(latest, today)}."
        return Experience(STRONG, strength, sentence, (latest.run_id,))
    return _none(latest, area, today, _scoring(latest))


def _moved_up(weak: AreaPoint, latest: AreaPoint) -> bool:
    if latest.score is None or weak.mean_quartile is None or latest.mean_quartile is None:
        return False
    return latest.mean_quartile - weak.mean_quartile >= QUARTILE_RISE


def _recovered(weak: AreaPoint, latest: AreaPoint, area: str, today: datetime.date) -> Experience:
    sentence = f"Weak in {area} {_when(weak, today)}, scores {latest.score} {_when(latest, today)}."
    strength = STRENGTH[(RECOVERED, latest.score)]
    return Experience(RECOVERED, strength, sentence, (weak.run_id, latest.run_id))


def _improving(weak: AreaPoint, latest: AreaPoint, area: str, today: datetime.date) -> Experience:
    sentence = (
        f"Weak in {area} {_when(weak, today)}; its indicators have moved up since, from a "
        f"mean quartile of {weak.mean_quartile:.1f} to {latest.mean_quartile:.1f} "
        f"{_when(latest, today)}, where it scores {latest.score}."
    )
    strength = STRENGTH[(IMPROVING, None)]
    return Experience(IMPROVING, strength, sentence, (weak.run_id, latest.run_id))


def _none(latest: AreaPoint, area: str, today: datetime.date, state: str) -> Experience:
    sentence = f"No evidence of relevant experience in {area}: {state} {_when(latest, today)}."
    return Experience(NONE, 0.0, sentence, (latest.run_id,))


def _scoring(point: AreaPoint) -> str:
    return "too little data to score it" if point.score is None else f"scores {point.score}"


def _when(point: AreaPoint, today: datetime.date) -> str:
    day = "today" if point.as_of == today else f"{point.as_of.day} {point.as_of:%b %Y}"
    return f"as of {day} (run {point.run_id})"


def series_runs(method: str | None = None, scope: str = "members") -> dict[int, datetime.date]:
    """Run id -> as-of date: the latest run of the method for each as-of date."""
    runs = AssessmentRun.objects.of(method or settings.SUPPORT_METHOD, scope)
    return dict(runs.latest_per_as_of().values_list("pk", "as_of"))


def experiences(
    authorities: Iterable[Authority] | None = None,
    areas: Iterable[ServiceArea] | None = None,
    method: str | None = None,
) -> dict[tuple[int, int], Experience]:
    """(authority id, service area id) -> the evidence, for every pair the runs cover
    (or only the authorities and areas given), read in one query."""
    runs = series_runs(method)
    rows = RunArea.objects.filter(run_id__in=runs)
    if authorities is not None:
        rows = rows.filter(authority__in=list(authorities))
    if areas is not None:
        rows = rows.filter(area__in=list(areas))
    series: dict[tuple[int, int], list[AreaPoint]] = defaultdict(list)
    fields = ("authority_id", "area_id", "run_id", "score", "weak", "mean_quartile")
    for authority, area, run, score, weak, quartile in rows.values_list(*fields):
        series[authority, area].append(AreaPoint(run, runs[run], score, weak, quartile))
    names = dict(ServiceArea.objects.values_list("id", "name"))
    today = datetime.date.today()
    return {
        key: judge(sorted(points, key=lambda p: p.as_of), names[key[1]].lower(), today)
        for key, points in series.items()
    }
