"""The candidate pairs of a run, why some are barred, and what is left to give and take."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from .problem import BrokerError, Offer, OfferKey, Pair, Problem, Reason, Request, points


@dataclass(frozen=True)
class Candidate:
    """A request and a supporter's offer in its service area and kind, with its points and,
    when it may never be proposed, why."""

    request: Request
    offer: Offer
    points: int
    barred: Reason | None
    note: str = ""

    @property
    def key(self) -> Pair:
        return (self.request.id, self.offer.supporter)


@dataclass
class Load:
    """What is left: before solving (after the accepted matches) and after the proposals."""

    need: dict[str, int]
    room: dict[OfferKey, int]
    fair: dict[str, int]
    slots: dict[str, int | None]
    users: dict[OfferKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    chosen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def take(self, request: Request, supporter: str, days: int) -> None:
        key = (supporter, request.service_area, request.kind)
        self.need[request.id] = max(0, self.need[request.id] - days)
        if key in self.room:
            self.room[key] = max(0, self.room[key] - days)
            self.users[key].add(request.id)
        if supporter in self.fair:
            self.fair[supporter] = max(0, self.fair[supporter] - days)
        self._choose(request.id, supporter)

    def _choose(self, request: str, supporter: str) -> None:
        slots = self.slots[request]
        if supporter not in self.chosen[request] and slots is not None:
            self.slots[request] = max(0, slots - 1)
        self.chosen[request].add(supporter)

    def bound(self, pair: Candidate) -> int:
        """The most days this pair could still take."""
        r, s = pair.key
        if self.slots[r] == 0 and s not in self.chosen[r]:
            return 0
        return min(self.need[r], self.room[pair.offer.key], self.fair[s])


def checked_requests(problem: Problem) -> dict[str, Request]:
    """The requests by id, in id order, once the problem is known to make sense."""
    requests = {r.id: r for r in sorted(problem.requests, key=lambda r: r.id)}
    _unique("request", [r.id for r in problem.requests])
    _unique("offer", [o.key for o in problem.offers])
    _unique("accepted match", [(a.request, a.supporter) for a in problem.accepted])
    for a in problem.accepted:
        if a.request not in requests or a.days <= 0:
            raise BrokerError(f"accepted match {a} names no open request or has no days")
    for r in problem.requests:
        if r.days < 0 or (r.max_supporters is not None and r.max_supporters < 1):
            raise BrokerError(f"request {r.id}: days {r.days}, max {r.max_supporters}")
    if any(o.days < 0 for o in problem.offers):
        raise BrokerError("an offer has negative days")
    return requests


def _unique(what: str, keys: Iterable[object]) -> None:
    seen: set[object] = set()
    for key in keys:
        if key in seen:
            raise BrokerError(f"{what} {key} appears twice")
        seen.add(key)


def candidate_pairs(problem: Problem, requests: Mapping[str, Request]) -> list[Candidate]:
    """Every candidate pair, barred or not, accepted pairs left out, in (request, supporter)
    order."""
    offers: dict[tuple[str, str], list[Offer]] = defaultdict(list)
    for offer in sorted(problem.offers, key=lambda o: o.key):
        offers[offer.service_area, offer.kind].append(offer)
    kept = {(a.request, a.supporter) for a in problem.accepted}
    return [
        _candidate(problem, r, o)
        for r in requests.values()
        for o in offers[r.service_area, r.kind]
        if o.supporter != r.authority and (r.id, o.supporter) not in kept
    ]


def _candidate(problem: Problem, request: Request, offer: Offer) -> Candidate:
    score = points(problem, request, offer)
    barred = _barred(problem, request, offer, score)
    return Candidate(
        request, offer, score, barred, problem.excluded.get((request.id, offer.supporter), "")
    )


def _barred(problem: Problem, request: Request, offer: Offer, score: int) -> Reason | None:
    """The first rule that bars the pair, in the order the rules are listed; checked one by
    one because nearly every pair passes them all."""
    key = (request.id, offer.supporter)
    if offer.supporter in request.avoid:
        return "avoided"
    if key in problem.declined:
        return "declined"
    if key in problem.excluded:
        return "excluded"
    if (offer.supporter, request.service_area) in problem.weak:
        return "weak"
    if not request.window.overlaps(offer.window):
        return "window"
    return "unsuitable" if score <= 0 else None


def initial_load(problem: Problem, requests: Mapping[str, Request], cap: int) -> Load:
    load = Load(
        need={r.id: r.days for r in requests.values()},
        room={o.key: o.days for o in problem.offers},
        fair={o.supporter: cap for o in problem.offers},
        slots={r.id: r.max_supporters for r in requests.values()},
    )
    for a in sorted(problem.accepted, key=lambda a: (a.request, a.supporter)):
        load.take(requests[a.request], a.supporter, a.days)
    return load


def by_request(pairs: Iterable[Candidate]) -> dict[str, list[Candidate]]:
    """Pairs grouped by request; the pairs come in request order."""
    return {r: list(g) for r, g in groupby(pairs, key=lambda p: p.request.id)}


def grouped(
    pairs: Iterable[Candidate], key: Callable[[Candidate], object]
) -> dict[object, list[Candidate]]:
    groups: dict[object, list[Candidate]] = defaultdict(list)
    for p in pairs:
        groups[key(p)].append(p)
    return groups
