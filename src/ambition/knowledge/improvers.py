"""Who improved on this, and what did they do.

From an indicator (an early warning names one; a weak service area is a set of them), the
authorities whose stored assessment runs show them getting better on it: the viewer's
nearest neighbours first, then the partnership's members, then England. Each comes with
the size of its improvement (the run's Theil-Sen slope, per year, signed so that positive
is better), its significance (the run's own test: Mann-Kendall, or intervals that do not
overlap) and what it did: its case studies, peer reviews and grants in that service area.

Nothing here is computed afresh from observations: the figures are the runs', so the page
agrees with the scorecard that shows the same run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ambition.assessment.engine.trends import EVIDENCE_WORDS, IMPROVING
from ambition.assessment.groups import NoNeighbours, neighbours_of
from ambition.assessment.methodology import DEFAULT_METHOD, used_polarity
from ambition.assessment.models import AssessmentRun, RunIndicator
from ambition.assessment.profiles import load_method
from ambition.fund.models import Application, Award
from ambition.indicators.models import Indicator, ServiceArea
from ambition.registry.models import Authority
from ambition.support.models import PeerReview

from .models import CaseStudy

# Peer reviews are the partners' business: a resident sees the case studies and the grants.
READ_REVIEWS = "support.view_supportrequest"

NEIGHBOURS, MEMBERS, ENGLAND = "neighbours", "members", "england"
TIERS = (NEIGHBOURS, MEMBERS, ENGLAND)
MOST_PER_TIER = 5
ROW_SCHEMA = {
    "authority": pl.Int64,
    "value": pl.Float64,
    "period": pl.String,
    "slope": pl.Float64,
    "p_value": pl.Float64,
    "trend": pl.String,
    "evidence": pl.String,
    "trend_n": pl.Int64,
}


def sign_of(polarity: str) -> int:
    """+1 where higher is better, -1 where lower is, 0 where no better is stated."""
    return {"higher": 1, "lower": -1}.get(polarity, 0)


def ranked(rows: pl.DataFrame, sign: int, most: int = MOST_PER_TIER) -> pl.DataFrame:
    """Of one run's rows for one indicator (ROW_SCHEMA), those getting better: `gain` is the
    slope per year signed so that positive is better. Those whose run found the improvement
    significant come first, then the largest gain; ties by authority id, so the order never
    depends on the database's. With no stated polarity nobody is getting better."""
    if sign == 0 or rows.is_empty():
        return rows.clear().with_columns(gain=pl.lit(None, pl.Float64), significant=pl.lit(False))
    return (
        rows.with_columns(
            gain=pl.col("slope") * sign,
            significant=(pl.col("trend") == pl.lit(IMPROVING)).fill_null(False),
        )
        .filter(pl.col("gain") > 0)
        .sort(["significant", "gain", "authority"], descending=[True, True, False])
        .head(most)
    )


def ranked_in_area(rows: pl.DataFrame, most: int = MOST_PER_TIER) -> pl.DataFrame:
    """Of one run's rows for a service area's indicators (`authority`, `improving`,
    `worsening`, `trend_n`), per authority: how many of its judged indicators improved and
    worsened (the run's own, polarity-aware verdicts). Those with more improving than
    worsening, the largest difference first, then the most improving."""
    return (
        rows.group_by("authority")
        .agg(
            improving=pl.col("improving").sum(),
            worsening=pl.col("worsening").sum(),
            judged=(pl.col("trend_n").fill_null(0) >= 3).sum(),
        )
        .with_columns(net=pl.col("improving") - pl.col("worsening"))
        .filter(pl.col("net") > 0)
        .sort(["net", "improving", "authority"], descending=[True, True, False])
        .head(most)
    )


@dataclass
class Improver:
    """One authority getting better: on an indicator (its value, slope per year, `gain` signed
    so that positive is better, and the run's test), or across a service area (how many of
    its indicators improved, worsened, and were judged)."""

    authority: Authority
    value: float | None = None
    period: str = ""
    slope: float | None = None
    gain: float | None = None
    p_value: float | None = None
    significant: bool = False
    evidence: str = ""
    periods: int | None = None
    improving: int | None = None
    worsening: int | None = None
    judged: int | None = None
    case_studies: list[Any] = field(default_factory=list)
    reviews: list[Any] = field(default_factory=list)
    grants: list[Any] = field(default_factory=list)

    @property
    def evidence_words(self) -> str:
        """The run's test in a sentence's words; a test this code does not know, as named."""
        return EVIDENCE_WORDS.get(self.evidence, self.evidence)


@dataclass
class Tier:
    key: str
    title: str
    run: AssessmentRun | None
    improvers: list[Improver] = field(default_factory=list)
    missing: str = ""


@dataclass
class Improved:
    """The answer for one indicator (or one service area, `indicator` None) and one viewer."""

    area: ServiceArea
    indicator: Indicator | None
    viewer: Authority | None
    tiers: list[Tier]
    polarity: str = ""

    @property
    def count(self) -> int:
        return sum(len(t.improvers) for t in self.tiers)


def latest_runs(method: str = DEFAULT_METHOD) -> dict[str, AssessmentRun | None]:
    """The run each tier reads: the latest rating the members, and the latest rating every
    English council (made with `ambition assess --scope england`), of one methodology."""
    runs = AssessmentRun.objects.of(method)
    return {
        MEMBERS: runs.of(scope="members").latest_run(),
        ENGLAND: runs.of(scope="england").latest_run(),
    }


def run_rows(run: AssessmentRun, indicator: Indicator) -> pl.DataFrame:
    rows = RunIndicator.objects.filter(run=run, indicator=indicator).values_list(
        "authority_id", "value", "period", "slope", "p_value", "trend", "evidence", "trend_n"
    )
    return pl.DataFrame(list(rows), schema=ROW_SCHEMA, orient="row")


def area_rows(run: AssessmentRun, area: ServiceArea) -> pl.DataFrame:
    rows = RunIndicator.objects.filter(run=run, indicator__service_area=area).values_list(
        "authority_id", "improving", "worsening", "trend_n"
    )
    schema = {"authority": pl.Int64, "improving": pl.Int64, "worsening": pl.Int64}
    return pl.DataFrame(list(rows), schema={**schema, "trend_n": pl.Int64}, orient="row")


def nearest_of(viewer: Authority, area: ServiceArea | None, among: str) -> list[int]:
    """The viewer's nearest neighbours (ids), on the variables its service area uses."""
    method = load_method()
    chosen = method.set_for_area(area.code) if area else method.variable_set()
    try:
        codes = [r["code"] for r in neighbours_of(viewer, method, chosen, among).rows]
    except NoNeighbours:
        return []
    return list(Authority.objects.filter(code__in=codes).values_list("id", flat=True))


def _tiers(
    area: ServiceArea, viewer: Authority | None, runs: dict[str, AssessmentRun | None]
) -> Iterable[tuple[Tier, list[int] | None]]:
    """Each tier, with the run it reads and the authorities it is limited to (None: all the
    run assessed), or why it has none."""
    wide = runs[ENGLAND] or runs[MEMBERS]
    among = ENGLAND if runs[ENGLAND] else MEMBERS
    near = Tier(NEIGHBOURS, "Its nearest neighbours", wide)
    pool = nearest_of(viewer, area, among) if viewer and wide else []
    if viewer is None:
        near.missing = "Choose a council to see its nearest neighbours first."
    elif not pool:
        near.missing = f"No nearest neighbours are computed for {viewer.name}."
    else:
        near.title = f"{viewer.name}'s nearest neighbours"
    yield near, pool
    yield Tier(MEMBERS, "Members of the partnership", runs[MEMBERS]), None
    england = Tier(ENGLAND, "English councils", runs[ENGLAND])
    if runs[ENGLAND] is None:
        england.missing = (
            "No stored run rates every English council yet: the office makes one with "
            "ambition assess --scope england."
        )
    yield england, None


def _fill(
    answer: Improved,
    runs: dict[str, AssessmentRun | None],
    rows_of: Callable[[AssessmentRun], pl.DataFrame],
    rank: Callable[[pl.DataFrame], pl.DataFrame],
) -> None:
    """Each tier's improvers, best first; an authority listed in one tier is not listed
    again in a later one, and the viewer is never its own example."""
    seen: set[int] = {answer.viewer.pk} if answer.viewer else set()
    for tier, pool in _tiers(answer.area, answer.viewer, runs):
        answer.tiers.append(tier)
        if tier.run is None:
            tier.missing = tier.missing or "No stored assessment run covers it yet."
        if tier.missing or tier.run is None:
            continue
        rows = rows_of(tier.run)
        if pool is not None:
            rows = rows.filter(pl.col("authority").is_in(pool))
        chosen = rank(rows.filter(~pl.col("authority").is_in(list(seen))))
        tier.improvers = _improvers(chosen)
        seen |= {i.authority.pk for i in tier.improvers}


def improved_on(
    indicator: Indicator,
    viewer: Authority | None,
    user: Any = None,
    method: str = DEFAULT_METHOD,
) -> Improved:
    """Who improved most on an indicator, tier by tier, and what they did."""
    runs = latest_runs(method)
    wide = runs[ENGLAND] or runs[MEMBERS]
    polarity = (
        used_polarity(wide.method_text, indicator.code, indicator.polarity)
        if wide
        else indicator.polarity
    )
    answer = Improved(indicator.service_area, indicator, viewer, [], polarity)
    sign = sign_of(polarity)
    _fill(answer, runs, lambda run: run_rows(run, indicator), lambda rows: ranked(rows, sign))
    what_they_did(answer, user)
    return answer


def improved_in(
    area: ServiceArea, viewer: Authority | None, user: Any = None, method: str = DEFAULT_METHOD
) -> Improved:
    """Who improved most across a service area (a weak one, say), and what they did."""
    runs = latest_runs(method)
    answer = Improved(area, None, viewer, [])
    _fill(answer, runs, lambda run: area_rows(run, area), ranked_in_area)
    what_they_did(answer, user)
    return answer


def _improvers(chosen: pl.DataFrame) -> list[Improver]:
    """An improver for each row of `ranked` (an indicator's columns) or `ranked_in_area` (a
    service area's): the columns the frame lacks stay at their defaults."""
    authorities = Authority.objects.in_bulk(chosen["authority"].to_list())
    return [
        Improver(
            authority=authorities[row["authority"]],
            value=row.get("value"),
            period=row.get("period") or "",
            slope=row.get("slope"),
            gain=row.get("gain"),
            p_value=row.get("p_value"),
            significant=bool(row.get("significant")),
            evidence=row.get("evidence") or "",
            periods=row.get("trend_n"),
            improving=row.get("improving"),
            worsening=row.get("worsening"),
            judged=row.get("judged"),
        )
        for row in chosen.iter_rows(named=True)
    ]


def what_they_did(answer: Improved, user: Any) -> None:
    """Each improver's case studies (those this person may read) on the service area or
    naming the indicator, its peer reviews in that area (for partners only) and the grants
    it led or joined there."""
    area, indicator = answer.area, answer.indicator
    studies = CaseStudy.private_objects.visible_to(user)
    may_read_reviews = bool(user is not None and user.has_perm(READ_REVIEWS))
    for tier in answer.tiers:
        for improver in tier.improvers:
            who = improver.authority
            found = studies.about(who, service_area=area)
            if indicator is not None:
                found = found | studies.about(who, indicator=indicator)
            improver.case_studies = list(found.distinct().order_by("-published_on", "title"))
            improver.grants = list(
                Award.objects.filter(
                    application__in=Application.objects.involving(who.pk),
                    application__service_area=area,
                ).select_related("application")
            )
            if may_read_reviews:
                improver.reviews = list(
                    PeerReview.objects.filter(
                        request__authority=who, request__service_area=area
                    ).select_related("request")
                )
