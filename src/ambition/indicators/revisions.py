"""Correcting one observation by hand, from its page or the API: a new revision, made in
one transaction, by someone who may write for its authority, with the reason recorded.
The earlier revision stays; the new one is recorded as a one-row batch like an import."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .models import ImportBatch, Observation
from .values import (
    Status,
    ValueParseError,
    parse_status,
    restricted_until_problem,
    value_range,
)

WRITE = "indicators.add_observation"


class RevisionError(ValueError):
    """The correction cannot be made; `problems` maps each field to why."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Correction:
    value: float | None
    status: str = ""
    lower: float | None = None
    upper: float | None = None
    restricted_until: datetime.date | None = None
    reason: str = ""


def may_revise(user: Any, observation: Observation) -> bool:
    return bool(user.has_perm(WRITE, observation.authority))


def _problems(observation: Observation, change: Correction) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not change.reason.strip():
        problems["reason"] = "say why the value is corrected: it is kept with the revision"
    try:
        status = parse_status(change.status) if change.status else None
    except ValueParseError as error:
        problems["status"] = str(error)
        status = None
    withheld = status in (Status.SUPPRESSED, Status.MISSING)
    if change.value is None and not withheld:
        problems["value"] = "give a value, or a status of suppressed or missing"
    if change.value is not None and withheld:
        problems["status"] = f"a {status} value has no number: change the status or clear it"
    if change.lower is not None and change.upper is not None and change.lower > change.upper:
        problems["lower"] = "the lower end is above the upper end"
    return problems | _out_of_range(observation, change)


def _out_of_range(observation: Observation, change: Correction) -> dict[str, str]:
    """The same ranges as an import's: the indicator's unit bounds the value and its
    interval, and a restriction must end on a plausible day."""
    allowed = value_range(observation.indicator.unit)
    numbers = {"value": change.value, "lower": change.lower, "upper": change.upper}
    problems = {
        name: reason
        for name, number in numbers.items()
        if number is not None and (reason := allowed.problem(number)) is not None
    }
    day = change.restricted_until
    if day is not None and (reason := restricted_until_problem(day)) is not None:
        problems["restricted_until"] = reason
    return problems


def _same(observation: Observation, change: Correction) -> bool:
    return (
        observation.value == change.value
        and observation.status == (change.status or "")
        and observation.lower == change.lower
        and observation.upper == change.upper
        and observation.restricted_until == change.restricted_until
    )


def _batch(observation: Observation, change: Correction, user: Any, origin: str) -> ImportBatch:
    content = json.dumps(
        {"observation": observation.pk, **change.__dict__}, default=str, sort_keys=True
    ).encode()
    return ImportBatch.objects.create(
        file_name=f"Correction of {observation.indicator.code} for "
        f"{observation.authority.code}, {observation.period.label}"[:300],
        sha256=hashlib.sha256(content).hexdigest(),
        size_bytes=len(content),
        layout="one value",
        origin=origin,
        user=user if getattr(user, "is_authenticated", False) else None,
        rows_read=1,
        revised=1,
        finished_at=timezone.now(),
        reason=change.reason.strip(),
    )


@transaction.atomic
def revise(observation: Observation, change: Correction, user: Any, origin: str) -> Observation:
    """The new latest revision. Refused (PermissionDenied) for anyone who may not write for
    the authority; RevisionError for a correction that is not valid or changes nothing."""
    if not may_revise(user, observation):
        raise PermissionDenied("you may not write observations for this authority")
    latest = (
        Observation.private_objects.select_for_update()
        .select_related("indicator", "authority", "period")
        .get(
            authority=observation.authority_id,
            indicator=observation.indicator_id,
            period=observation.period_id,
            is_latest=True,
        )
    )
    problems = _problems(latest, change)
    if not problems and _same(latest, change):
        problems["value"] = "this is the value already stored: nothing to correct"
    if problems:
        raise RevisionError(problems)
    batch = _batch(latest, change, user, origin)
    latest.is_latest = False
    latest.save(update_fields=["is_latest"])  # through the ORM, so the audit log sees it
    return Observation.private_objects.create(
        authority=latest.authority,
        indicator=latest.indicator,
        period=latest.period,
        revision=latest.revision + 1,
        value=change.value,
        status=change.status or "",
        lower=change.lower,
        upper=change.upper,
        restricted_until=change.restricted_until,
        batch=batch,
        is_latest=True,
    )
