"""Local area agreements from the store: where each target stands (the engine
`laa.progress` over the stored observations, with the assessment's polarity statements and
forecast window) and the reward it is expected to earn from its latest value; and making an
agreement with its partners and targets, all or nothing, every refusal naming its field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import models, transaction

from ambition.assessment.engine.forecast import LAST_VALUE_METHOD, TREND
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.methodology import default_method
from ambition.indicators.periods import decimal_year, financial_year_dates
from ambition.registry.models import Authority

from .laa import (
    ProgressSettings,
    RewardRule,
    expected_reward,
    progress,
    share_achieved,
)
from .models import AgreementPartner, AgreementTarget, LocalAreaAgreement

ZERO = Decimal("0.00")
# The forecasts `laa.progress` reads at a target's year; the methodology's own warning
# method may be a classifier (logistic) or a damped trend whose phi the settings do not
# carry, and then the straight-line trend is used.
VALUE_FORECASTS = (TREND, LAST_VALUE_METHOD)


@dataclass(frozen=True)
class Point:
    period: str
    t: float
    value: float


@dataclass(frozen=True)
class TargetProgress:
    target: AgreementTarget
    status: str
    direction: int
    latest_value: float | None
    latest_period: str | None
    forecast: float | None
    lower: float | None
    upper: float | None
    level: float
    p_miss: float | None
    method: str | None
    share: Decimal | None
    expected_reward: Decimal
    series: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class AgreementProgress:
    agreement: LocalAreaAgreement
    targets: list[TargetProgress]

    @property
    def rule(self) -> RewardRule:
        return self.agreement.rule

    @property
    def reward_max(self) -> Decimal:
        return sum((t.target.reward_max for t in self.targets), ZERO)

    @property
    def expected_reward(self) -> Decimal:
        return sum((t.expected_reward for t in self.targets), ZERO)


def progress_settings() -> ProgressSettings:
    method = default_method()
    name = method.warning_method.name
    return ProgressSettings(
        window=method.warning_window, method=name if name in VALUE_FORECASTS else TREND
    )


def due(year: int) -> float:
    """A target year's `t`: the last day of the financial year on the frames' scale."""
    return decimal_year(financial_year_dates(year)[1])


def with_targets(agreements: models.QuerySet[LocalAreaAgreement]) -> list[LocalAreaAgreement]:
    """The agreements with what judging and showing them reads, in few queries."""
    return list(
        agreements.select_related("authority").prefetch_related(
            # Prefetching sets each target's agreement: its rule and authority are at hand.
            models.Prefetch("targets", AgreementTarget.objects.select_related("indicator")),
            "partners",
        )
    )


def judge(agreements: Sequence[LocalAreaAgreement]) -> list[AgreementProgress]:
    """Every agreement's targets judged in one engine call; the agreements' targets and
    authorities should be prefetched (`with_targets`)."""
    targets = [t for a in agreements for t in a.targets.all()]
    rows = _judged(targets)
    return [AgreementProgress(a, [rows[t.pk] for t in a.targets.all()]) for a in agreements]


def _judged(targets: Sequence[AgreementTarget]) -> dict[int, TargetProgress]:
    if not targets:
        return {}
    codes = sorted({t.indicator.code for t in targets})
    # Every authority's values: a short series' spread is the indicator's typical change.
    obs = observation_frame(codes)
    indicators = indicator_frame(codes, default_method().stated_polarity)
    judged = progress(obs, indicators, _target_frame(targets), progress_settings())
    by_pk = {t.pk: t for t in targets}
    series = _series(obs, targets)
    return {
        row["target"]: _target_progress(by_pk[row["target"]], row, series)
        for row in judged.iter_rows(named=True)
    }


def _target_frame(targets: Iterable[AgreementTarget]) -> pl.DataFrame:
    rows = [
        (
            t.pk,
            t.agreement.authority.code,
            t.indicator.code,
            float(t.baseline),
            float(t.stretch),
            due(t.target_year),
        )
        for t in targets
    ]
    schema = {
        "target": pl.Int64,
        "authority": pl.String,
        "indicator": pl.String,
        "baseline": pl.Float64,
        "stretch": pl.Float64,
        "due": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _series(
    obs: pl.DataFrame, targets: Iterable[AgreementTarget]
) -> dict[tuple[str, str], list[Point]]:
    """Each target's own series (its authority's values of its indicator), oldest first."""
    wanted = {(t.agreement.authority.code, t.indicator.code) for t in targets}
    mine = obs.filter(
        pl.struct("authority", "indicator").is_in(
            [{"authority": a, "indicator": i} for a, i in wanted]
        )
        & pl.col("value").is_not_null()
    ).sort("t")
    found: dict[tuple[str, str], list[Point]] = {key: [] for key in wanted}
    for row in mine.iter_rows(named=True):
        key = (row["authority"], row["indicator"])
        found[key].append(Point(row["period"], row["t"], row["value"]))
    return found


def _target_progress(
    target: AgreementTarget,
    row: Mapping[str, Any],
    series: Mapping[tuple[str, str], list[Point]],
) -> TargetProgress:
    points = series[(target.agreement.authority.code, target.indicator.code)]
    latest = row["latest_value"]
    at = [p.period for p in points if p.t == row["latest_t"]]
    share, reward = _reward(target, row["direction"], latest)
    return TargetProgress(
        target=target,
        status=row["status"],
        direction=row["direction"],
        latest_value=latest,
        latest_period=at[-1] if at else None,
        forecast=row["forecast"],
        lower=row["lower"],
        upper=row["upper"],
        level=row["level"],
        p_miss=row["p_miss"],
        method=row["method"],
        share=share,
        expected_reward=reward,
        series=points,
    )


def _reward(
    target: AgreementTarget, direction: int, latest: float | None
) -> tuple[Decimal | None, Decimal]:
    """The share of the stretch achieved and the reward the rule pays for it; nothing
    while there is no value to judge by."""
    if latest is None:
        return None, ZERO
    base, goal = target.baseline, target.stretch
    share = share_achieved(base, goal, latest, direction)
    rule = target.agreement.rule
    return share, expected_reward(rule, base, goal, latest, direction, target.reward_max)


# Writing


class AgreementError(ValueError):
    """Input that cannot be stored: `errors` maps each field (`targets[0].stretch` for a
    target's) to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def checked(made: models.Model, where: str = "") -> models.Model:
    """Saved after the model's own checks (its `clean` names the field for each rule the
    database constraints also hold); `where` prefixes each field, for nested input."""
    try:
        made.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise AgreementError({f"{where}{k}": v for k, v in error.message_dict.items()}) from error
    made.save()
    return made


@transaction.atomic
def make_agreement(
    authority: Authority,
    fields: Mapping[str, Any],
    partners: Sequence[Mapping[str, Any]] = (),
    targets: Sequence[Mapping[str, Any]] = (),
    user: Any = None,
    illustrative: bool = False,
) -> LocalAreaAgreement:
    """The agreement, its partners and its targets, or nothing at all."""
    made = LocalAreaAgreement(
        authority=authority, created_by=user, illustrative=illustrative, **fields
    )
    checked(made)
    for n, partner in enumerate(partners):
        checked(AgreementPartner(agreement=made, **partner), f"partners[{n}].")
    for n, target in enumerate(targets):
        checked(AgreementTarget(agreement=made, **target), f"targets[{n}].")
    return made
