"""Frames from the store for the impact engine (ambition.fund.impact): each award's target
indicators, its lead council's nearest neighbours as comparators, the councils that had an
award on the same indicator shut out of them, and the observations, on the assessment's
decimal-year time scale. One batch for any number of awards, so the overview's chart and an
award's page use the same figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.groups import computed
from ambition.assessment.profiles import load_method
from ambition.indicators.models import Indicator
from ambition.indicators.periods import decimal_year
from ambition.registry.models import Authority

from .impact import PEERS, RESULT_COLUMNS, Impact, ImpactSettings, impacts
from .models import ApplicationTarget, Award, Partner

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
    targets = _targets(awards)
    if not targets:
        return {}
    cases = _cases(awards, targets)
    codes = set(cases["indicator"].to_list())
    peers = comparators(set(cases["authority"].to_list()))
    places = set(cases["authority"].to_list()) | set(peers["peer"].to_list())
    obs = observation_frame(indicators=codes, authorities=places)
    polarity = indicator_frame(codes).select("indicator", "polarity")
    found = impacts(obs, cases, peers, polarity, settings, funded_elsewhere(codes))
    return _grouped(awards, targets, found)


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
