"""Section (a) of the pack: the member's performance and direction of travel, read from the
latest assessment run exactly as the scorecard reads it, with the run named so that every
figure can be traced to it."""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass

from django.urls import reverse  # type: ignore[import-untyped]

from ambition.assessment.diff import star_glyphs, stars_text
from ambition.assessment.methodology import DEFAULT_METHOD, kept_parts
from ambition.assessment.models import AssessmentRun
from ambition.assessment.scorecards import AreaScore, EarlyWarning, scorecard_of
from ambition.assessment.views.runs import SHORT
from ambition.registry.models import Authority

DEFAULT_MIN_STARS = 2  # the partnership's target when a run's method file names none


@dataclass(frozen=True)
class RunInfo:
    id: int
    method: str
    method_version: str
    method_sha256: str
    data_fingerprint: str
    as_of: datetime.date
    created_at: datetime.datetime
    min_stars: int
    url: str

    @property
    def short_hash(self) -> str:
        return self.method_sha256[:SHORT]


@dataclass(frozen=True)
class Performance:
    run: RunInfo
    stars: int | None
    rule_id: str
    rule_text: str
    missing: tuple[str, ...]
    direction: str
    improving_share: float | None
    worsening_share: float | None
    judged: int
    areas: tuple[AreaScore, ...]
    warnings: tuple[EarlyWarning, ...]
    scorecard_url: str

    @property
    def stars_text(self) -> str:
        return stars_text(self.stars)

    @property
    def star_glyphs(self) -> str:
        return star_glyphs(self.stars)

    @property
    def weak_areas(self) -> tuple[AreaScore, ...]:
        return tuple(a for a in self.areas if a.weak)

    @property
    def below_target(self) -> bool:
        return self.stars is not None and self.stars < self.run.min_stars


def latest_run() -> AssessmentRun | None:
    """The run the scorecard shows by default, so the pack and the scorecard agree."""
    found: AssessmentRun | None = AssessmentRun.objects.shown(DEFAULT_METHOD)
    return found


def min_stars_of(run: AssessmentRun) -> int:
    """The partnership's star target as the run's own method file set it."""
    try:
        targets = kept_parts(run.method_text)[0].get("targets", {})
    except tomllib.TOMLDecodeError:
        return DEFAULT_MIN_STARS
    return int(targets.get("min_stars", DEFAULT_MIN_STARS))


def run_info(run: AssessmentRun) -> RunInfo:
    return RunInfo(
        id=run.pk,
        method=run.method,
        method_version=run.method_version,
        method_sha256=run.method_sha256,
        data_fingerprint=run.data_fingerprint,
        as_of=run.as_of,
        created_at=run.created_at,
        min_stars=min_stars_of(run),
        url=run.get_absolute_url(),
    )


def performance_of(authority: Authority, run: AssessmentRun | None) -> Performance | None:
    """None when there is no run, or the run did not assess this authority."""
    card = scorecard_of(run, authority, indicators=False) if run else None
    if run is None or card is None:
        return None
    rating = card.rating
    return Performance(
        run=run_info(run),
        stars=rating.stars,
        rule_id=rating.rule_id,
        rule_text=rating.rule_text,
        missing=tuple(str(m.get("reason", m)) for m in rating.missing),
        direction=rating.direction,
        improving_share=rating.improving_share,
        worsening_share=rating.worsening_share,
        judged=rating.judged,
        areas=card.areas,
        warnings=card.warnings,
        scorecard_url=reverse("assessment-scorecard", args=[authority.code]) + f"?run={run.pk}",
    )
