"""After solving: the matches, and for every pair not chosen the reason why, in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .candidates import Candidate, Load, by_request
from .problem import (
    ALTERNATIVES,
    Accepted,
    Alternative,
    BrokerError,
    BrokerResult,
    Match,
    Offer,
    OfferKey,
    Pair,
    Problem,
    Reason,
    Request,
    Shortfall,
    ShortReason,
    points,
)


def matches(
    problem: Problem, requests: Mapping[str, Request], pairs: list[Candidate], days: dict[Pair, int]
) -> tuple[Match, ...]:
    offers = {o.key: o for o in problem.offers}
    kept = [
        Match(a.request, a.supporter, a.days, _accepted_points(problem, requests, offers, a), True)
        for a in problem.accepted
    ]
    scored = {p.key: p.points for p in pairs}
    proposed = [Match(r, s, d, scored[r, s]) for (r, s), d in days.items()]
    return tuple(sorted(kept + proposed, key=lambda m: (m.request, m.supporter)))


def _accepted_points(
    problem: Problem, requests: Mapping[str, Request], offers: Mapping[OfferKey, Offer], a: Accepted
) -> int:
    """An accepted pair keeps the points its offer would score now; none without an offer."""
    request = requests[a.request]
    offer = offers.get((a.supporter, request.service_area, request.kind))
    return 0 if offer is None else points(problem, request, offer)


def _why_not(p: Candidate, load: Load) -> Alternative:
    """Why a pair takes no more days than it has; at an optimum one reason always holds."""
    if p.barred is not None:
        return Alternative(p.offer.supporter, p.points, p.barred, note=p.note)
    reason = _binding(p, load)
    used_by = tuple(sorted(load.users[p.offer.key])) if reason == "capacity" else ()
    return Alternative(p.offer.supporter, p.points, reason, used_by)


def _binding(p: Candidate, load: Load) -> Reason:
    if load.room[p.offer.key] == 0:
        return "capacity"
    if load.fair[p.offer.supporter] == 0:
        return "fairness"
    if p.offer.supporter not in load.chosen[p.request.id] and load.slots[p.request.id] == 0:
        return "supporters"
    if load.need[p.request.id] == 0:
        return "served"
    raise BrokerError(f"not optimal: {p.key} could take another day")


def _ranked(pairs: Iterable[Candidate]) -> list[Candidate]:
    """Feasible pairs first, each part by points (highest first) then supporter."""
    return sorted(pairs, key=lambda p: (p.barred is not None, -p.points, p.offer.supporter))


def alternatives(
    matched: tuple[Match, ...], pairs: list[Candidate], load: Load
) -> dict[str, tuple[Alternative, ...]]:
    grouped = by_request(pairs)
    return {
        r: _why_nots(
            [p for p in grouped.get(r, []) if p.offer.supporter not in load.chosen[r]], load
        )
        for r in dict.fromkeys(m.request for m in matched)
    }


def _why_nots(pairs: list[Candidate], load: Load) -> tuple[Alternative, ...]:
    return tuple(_why_not(p, load) for p in _ranked(pairs)[:ALTERNATIVES])


def shortfalls(
    requests: Mapping[str, Request], pairs: list[Candidate], load: Load
) -> tuple[Shortfall, ...]:
    """Requests left short; the reason is what stops their best feasible supporter."""
    grouped = by_request(pairs)
    return tuple(
        _shortfall(requests[r], grouped.get(r, []), load)
        for r, need in load.need.items()
        if need > 0
    )


def _shortfall(request: Request, pairs: list[Candidate], load: Load) -> Shortfall:
    short = load.need[request.id]
    best = next((p for p in _ranked(pairs) if p.barred is None), None)
    reason = "no feasible supporter" if best is None else _SHORT[_binding(best, load)]
    return Shortfall(request.id, request.days - short, short, reason, _why_nots(pairs, load))


def explain(result: BrokerResult, request: str) -> list[str]:
    """A request's matches, shortfall and alternatives, in words, for the pages and the CLI."""
    lines = [
        f"{m.supporter}: {m.days} days at {m.points} points{' (accepted)' if m.accepted else ''}"
        for m in result.matches
        if m.request == request
    ]
    short = next((s for s in result.unmatched if s.request == request), None)
    if short is not None:
        lines.append(f"{short.days_short} days unmatched: {SHORT_WORDS[short.reason]}")
    alternatives = short.alternatives if short else result.alternatives.get(request, ())
    return lines + [f"not {a.supporter} ({a.points} points): {_words(a)}" for a in alternatives]


def _words(a: Alternative) -> str:
    if a.reason == "capacity" and a.used_by:
        return f"{REASON_WORDS['capacity']}, by {', '.join(a.used_by)}"
    return a.note or REASON_WORDS[a.reason]


REASON_WORDS: dict[Reason, str] = {
    "capacity": "its offer's days are used up",
    "fairness": "it carries its full share of the load (fairness cap)",
    "supporters": "the request has as many supporters as it allows",
    "served": "the request is already fully served",
    "avoided": "the requester avoids it (conflict of interest)",
    "declined": "the pair was declined",
    "excluded": "excluded",
    "weak": "it is itself weak in this service area",
    "window": "the dates do not overlap",
    "unsuitable": "its suitability is not positive",
}
_SHORT: dict[Reason, ShortReason] = {
    "capacity": "capacity",
    "fairness": "fairness",
    "supporters": "supporters",
}
SHORT_WORDS: dict[ShortReason, str] = {
    "no feasible supporter": "no feasible supporter",
    "capacity": "its supporters' capacity is used up",
    "fairness": "its supporters carry their full share (fairness cap)",
    "supporters": "it has as many supporters as it allows",
}
