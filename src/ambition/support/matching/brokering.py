"""A broker run: read the open requests and offers, propose optimal matches, and store them
with their explanations. Accepting and declining a proposal, by either party."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from ..engine import broker
from ..engine.suitability import parse_weights, suitability
from ..models import BrokerRun, Match, SupportRequest
from .inputs import Inputs, gather

Progress = Callable[[str], None]


class Superseded(ValueError):
    """The proposal belongs to an older broker run: a newer one has replaced it."""


def weights() -> dict[str, float]:
    return parse_weights(settings.SUPPORT_WEIGHTS)


def match_support(
    user: Any, via: str, today: datetime.date | None = None, progress: Progress | None = None
) -> BrokerRun:
    """Propose matches for every open request at once and store them as a new run."""
    say = progress or (lambda _: None)
    started = time.perf_counter()
    used = weights()
    say("Reading the open requests, offers and what is known of each pair")
    inputs = gather(used, today or datetime.date.today(), settings.SUPPORT_MAX_SHARE)
    problem = inputs.problem
    say(f"Solving for {len(problem.requests)} requests and {len(problem.offers)} offers")
    result = broker.propose(problem)
    say("Storing the proposals and their explanations")
    return _store(user, via, used, inputs, result, time.perf_counter() - started)


@transaction.atomic
def _store(
    user: Any,
    via: str,
    used: dict[str, float],
    inputs: Inputs,
    result: broker.BrokerResult,
    seconds: float,
) -> BrokerRun:
    run = BrokerRun.objects.create(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        via=via,
        weights=used,
        objective=result.objective / inputs.problem.score_scale,
        solver_status=f"{result.status} ({result.solver})",
        seconds=round(seconds, 3),
        unmatched=[_shortfall(s, inputs) for s in result.unmatched],
        requests=sorted(inputs.requests),
        fairness_cap=result.fairness_cap,
    )
    Match.objects.bulk_create(
        _match(run, m, inputs, used, result) for m in result.matches if not m.accepted
    )
    return run


def _match(
    run: BrokerRun,
    m: broker.Match,
    inputs: Inputs,
    used: dict[str, float],
    result: broker.BrokerResult,
) -> Match:
    scored = suitability(inputs.pairs[m.request, m.supporter], used)
    return Match(
        broker_run=run,
        request=inputs.requests[int(m.request)],
        supporter=inputs.authorities[m.supporter],
        days=m.days,
        score=round(scored.score, 6),
        parts={name: round(value, 6) for name, value in scored.parts.items()},
        alternatives=[_alternative(a, inputs) for a in result.alternatives.get(m.request, ())],
    )


def _alternative(a: broker.Alternative, inputs: Inputs) -> dict[str, Any]:
    authority = inputs.authorities.get(a.supporter)
    return {
        "supporter": a.supporter,
        "name": authority.name if authority else a.supporter,
        "score": a.points / inputs.problem.score_scale,
        "reason": a.reason,
        "why": _why(a, inputs),
    }


def _why(a: broker.Alternative, inputs: Inputs) -> str:
    """The reason in words, naming the requesting authorities that took its capacity."""
    if a.reason == "capacity" and a.used_by:
        names = [str(inputs.requests[int(r)].authority) for r in a.used_by]
        return f"{broker.REASON_WORDS['capacity']}, by {_listed(names)}"
    return a.note or broker.REASON_WORDS[a.reason]


def _listed(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + " and " + unique[-1]


def _shortfall(s: broker.Shortfall, inputs: Inputs) -> dict[str, Any]:
    return {
        "request": int(s.request),
        "days_matched": s.days_matched,
        "days_short": s.days_short,
        "reason": broker.SHORT_WORDS[s.reason],
        "alternatives": [_alternative(a, inputs) for a in s.alternatives],
    }


def latest_run() -> BrokerRun | None:
    return BrokerRun.objects.newest_first().first()


@dataclass(frozen=True)
class Decision:
    match: Match
    changed: bool


def decide(match: Match, user: Any, accept: bool) -> Decision:
    """Accept or decline a proposal of the latest run, once. An accepted match keeps its
    days in every later run; a declined pair is never proposed again. A request whose
    accepted days reach what it asked is matched."""
    newest = latest_run()
    if match.state == Match.State.PROPOSED and newest and match.broker_run_id != newest.pk:
        raise Superseded(
            f"Broker run {newest.pk} has replaced run {match.broker_run_id}: decide its proposals"
        )
    with transaction.atomic():
        changed = match.decide(user, accept)
        if changed and accept:
            _mark_served(match.request)
    return Decision(match, changed)


def _mark_served(request: SupportRequest) -> None:
    given = sum(request.matches.accepted().values_list("days", flat=True))
    if given >= request.staff_days and request.status == SupportRequest.Status.OPEN:
        request.status = SupportRequest.Status.MATCHED
        request.save(update_fields=["status"])


def proposals(run: BrokerRun) -> list[Match]:
    """The run's proposals with the matches accepted before it for the same requests."""
    requests = run.requests or []
    rows = Match.objects.filter(broker_run=run) | Match.objects.accepted().filter(
        request_id__in=requests
    )
    rows = rows.select_related(
        "request__authority", "request__service_area", "supporter", "broker_run", "decided_by"
    )
    return sorted(set(rows), key=lambda m: (m.request_id, -m.score, m.supporter.code))
