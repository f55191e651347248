"""Frames from the store for the impact engine (ambition.fund.impact): each award's target
indicators, its lead council's nearest neighbours as comparators, the councils that had an
award on the same indicator shut out of them, and the observations, on the assessment's
decimal-year time scale. One batch for any number of awards, so an award's page and an
impact run use the same figures. An impact run (`assess_impacts`, `ambition assess-impact`)
stores every award's findings once, for the overview to read."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

import polars as pl
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.groups import computed
from ambition.assessment.making import code_version, fingerprint
from ambition.assessment.methodology import default_method
from ambition.assessment.profiles import load_method
from ambition.indicators.models import Indicator
from ambition.indicators.periods import decimal_year
from ambition.registry.models import Authority

from .impact import (
    BETTER,
    NO_CLEAR_DIFFERENCE,
    NOT_ENOUGH_DATA,
    PEERS,
    RESULT_COLUMNS,
    TOO_EARLY,
    UNKNOWN,
    WORSE,
    Impact,
    ImpactSettings,
    impacts,
)
from .models import ApplicationTarget, Award, AwardImpact, ImpactRun, Partner, TargetFinding

BATCH = 2000
CASES = {"award": pl.Int64, "authority": pl.String, "indicator": pl.String, "awarded": pl.Float64}


@dataclass(frozen=True)
class TargetImpact:
    """One target of an award (the indicator and the change it promised) and what the
    engine found."""

    award_id: int
    indicator: Indicator
    change: Decimal
    impact: Impact


def award_impacts(award: Award, settings: ImpactSettings | None = None) -> list[TargetImpact]:
    return impacts_of([award], settings).get(award.pk, [])


def impacts_of(
    awards: Sequence[Award], settings: ImpactSettings | None = None
) -> dict[int, list[TargetImpact]]:
    """Per award (by id), the impact on each of its target indicators."""
    given = inputs(awards)
    if given is None:
        return {}
    return _grouped(awards, given.targets, given.found(settings))


@dataclass(frozen=True)
class Inputs:
    """What the engine reads for some awards: their targets, and the frames built from them."""

    targets: list[ApplicationTarget]
    obs: pl.DataFrame
    cases: pl.DataFrame
    peers: pl.DataFrame
    polarity: pl.DataFrame
    excluded: pl.DataFrame

    def found(self, settings: ImpactSettings | None) -> pl.DataFrame:
        return impacts(self.obs, self.cases, self.peers, self.polarity, settings, self.excluded)


def inputs(awards: Sequence[Award]) -> Inputs | None:
    """The engine's frames for the awards, or None when none of them has a target."""
    targets = _targets(awards)
    if not targets:
        return None
    cases = _cases(awards, targets)
    codes = set(cases["indicator"].to_list())
    peers = comparators(set(cases["authority"].to_list()))
    places = set(cases["authority"].to_list()) | set(peers["peer"].to_list())
    obs = observation_frame(indicators=codes, authorities=places)
    # Where the source states no polarity, the default methodology's statement gives it, as
    # in an assessment: without it a recycling rate would have no better direction.
    stated = default_method().stated_polarity
    polarity = indicator_frame(codes, stated).select("indicator", "polarity")
    return Inputs(targets, obs, cases, peers, polarity, funded_elsewhere(codes))


def _targets(awards: Sequence[Award]) -> list[ApplicationTarget]:
    applications = [a.application_id for a in awards]
    return list(
        ApplicationTarget.objects.filter(application_id__in=applications)
        .select_related("indicator", "application__lead")
        .order_by("application_id", "id")
    )


def _cases(awards: Sequence[Award], targets: Iterable[ApplicationTarget]) -> pl.DataFrame:
    """One row per award and target indicator, dated when the award was decided."""
    by_application = {a.application_id: a for a in awards}
    rows = {
        (award.pk, t.indicator.code): (t.application.lead.code, decimal_year(award.decided_on))
        for t in targets
        for award in (by_application[t.application_id],)
    }
    return pl.DataFrame(
        [(pk, lead, code, when) for (pk, code), (lead, when) in rows.items()],
        schema=CASES,
        orient="row",
    )


def comparators(leads: set[str]) -> pl.DataFrame:
    """Each lead council's k nearest neighbours among the English councils of its tier
    (data/methodologies/neighbours.toml, its default set) as `focus, peer`."""
    method = load_method()
    kinds = set(Authority.objects.filter(code__in=leads).values_list("kind", flat=True))
    tiers = {tier.key: tier for kind in kinds if (tier := method.tier_of(kind))}
    frames = [
        computed(method, method.variable_set(), tier)
        .filter(pl.col("focus").is_in(list(leads)), pl.col("rank") <= method.k)
        .select("focus", "peer")
        for tier in tiers.values()
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=PEERS)


def funded_elsewhere(codes: set[str]) -> pl.DataFrame:
    """`authority, indicator`: every council that led, or was a partner in, an awarded bid
    that targets the indicator. Its own grant would blur its change, so it is no comparator."""
    awarded = ApplicationTarget.objects.filter(
        indicator__code__in=codes, application__award__isnull=False
    )
    leads = awarded.values_list("application__lead__code", "indicator__code")
    applications = awarded.values("application_id")
    partners = Partner.objects.filter(application_id__in=applications).values_list(
        "authority__code", "application__targets__indicator__code"
    )
    rows = {(a, i) for a, i in [*leads, *partners] if i in codes}
    return pl.DataFrame(
        sorted(rows), schema={"authority": pl.String, "indicator": pl.String}, orient="row"
    )


def _grouped(
    awards: Sequence[Award], targets: Iterable[ApplicationTarget], found: pl.DataFrame
) -> dict[int, list[TargetImpact]]:
    rows = {(row["award"], row["indicator"]): row for row in found.iter_rows(named=True)}
    award_of = {a.application_id: a.pk for a in awards}
    grouped: dict[int, list[TargetImpact]] = {}
    for t in targets:
        pk = award_of[t.application_id]
        row = rows.pop((pk, t.indicator.code), None)  # a second target on one indicator: once
        if row is not None:
            impact = Impact(**{k: row[k] for k in RESULT_COLUMNS[4:]})
            grouped.setdefault(pk, []).append(TargetImpact(pk, t.indicator, t.change, impact))
    return grouped


# An award's overall status code, the most telling of its targets' findings first; the
# overview counts awards by it and ambition.fund.views.impact_words words it.
MIXED, UNTARGETED = "mixed", "untargeted"
OVERALL = (MIXED, BETTER, WORSE, NO_CLEAR_DIFFERENCE, UNKNOWN, TOO_EARLY, NOT_ENOUGH_DATA)


def overall(found: Sequence[TargetImpact]) -> str:
    """Mixed when one target is better and another worse; untargeted with no target."""
    if not found:
        return UNTARGETED
    seen = {f.impact.direction or f.impact.status for f in found}
    if {BETTER, WORSE} <= seen:
        return MIXED
    return next(code for code in OVERALL if code in seen)


def assess_impacts(
    settings: ImpactSettings | None = None, via: str = "command", by: AbstractBaseUser | None = None
) -> ImpactRun:
    """A new impact run over every award, stored whole in one transaction; earlier runs
    stay as they were."""
    started, settings = time.perf_counter(), settings or ImpactSettings()
    awards = list(Award.objects.order_by("pk"))
    given = inputs(awards)
    found = {} if given is None else _grouped(awards, given.targets, given.found(settings))
    with transaction.atomic():
        run = ImpactRun.objects.create(
            data_fingerprint=_fingerprint(given, settings, awards),
            settings=asdict(settings),
            observations=0 if given is None else given.obs.height,
            awards=len(awards),
            code_version=code_version(),
            created_by=by,
            via=via,
            seconds=time.perf_counter() - started,
        )
        _store(run, awards, found)
    return run


def _fingerprint(given: Inputs | None, settings: ImpactSettings, awards: Sequence[Award]) -> str:
    """SHA-256 of everything the run read: the awards, the settings, the observations (as
    the assessment fingerprints them) and the engine's other frames."""
    digest = hashlib.sha256(json.dumps([[a.pk for a in awards], asdict(settings)]).encode())
    if given is not None:
        digest.update(fingerprint(given.obs).encode())
        for frame in (given.cases, given.peers, given.polarity, given.excluded):
            digest.update(json.dumps(frame.sort(frame.columns).rows()).encode())
    return digest.hexdigest()


def _store(run: ImpactRun, awards: Sequence[Award], found: dict[int, list[TargetImpact]]) -> None:
    made = AwardImpact.objects.bulk_create(
        (AwardImpact(run=run, award=a, status=overall(found.get(a.pk, []))) for a in awards),
        batch_size=BATCH,
    )
    TargetFinding.objects.bulk_create(
        (_finding(row, f) for row in made for f in found.get(row.award_id, [])), batch_size=BATCH
    )


def _finding(row: AwardImpact, found: TargetImpact) -> TargetFinding:
    fields = {k: v for k, v in asdict(found.impact).items() if k != "interval"}
    return TargetFinding(award_impact=row, indicator=found.indicator, change=found.change, **fields)


def stored(row: AwardImpact) -> list[TargetImpact]:
    """An award's findings as a run stored them, as the engine gave them."""
    return [
        TargetImpact(row.award_id, f.indicator, f.change, Impact(**_impact_fields(f)))
        for f in row.targets.select_related("indicator")
    ]


def _impact_fields(f: TargetFinding) -> dict[str, Any]:
    return {k.name: getattr(f, k.name) for k in dataclass_fields(Impact) if k.name != "interval"}
