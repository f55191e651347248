"""The broker: proposes support matches for all open requests at once, provably optimally.

Plain dataclasses in (`Problem`), plain dataclasses out (`BrokerResult`); no database.

The rules, exactly:
- A **pair** is a request and a supporter holding an offer in the request's service area and
  kind (at most one offer per supporter, area and kind, so the pair names its offer). An
  authority is never a candidate for its own request. A pair is **barred**, and never
  proposed, when the requester avoids the supporter (conflict of interest), the pair was
  declined, the caller excludes it (with its reason), the supporter is itself weak in the
  area, the windows do not overlap (an offer with no window is open all year), or its score
  is not positive.
- **Suitability** is the caller's: a mapping (request id, supporter) -> score, or a function
  of (request, offer). A missing pair scores 0. Scores become integer **points**,
  `round(score * score_scale)` (float rounding is deterministic), so floats are welcome.
- **Objective**: maximise the sum of points x days over all matches (accepted ones included,
  as a constant). Per day rather than per matched request, because a day of good support is
  the unit the partnership gives and the ledger counts: a 30-day review weighs more than a
  2-day piece of advice. It also keeps the problem linear (a flow when nothing else binds).
- **Partial service is allowed**: a request receives at most its days, possibly fewer, and
  possibly none; any shortfall is reported with its reason. Half a review team found today
  is worth more to an adviser than an all-or-nothing answer, and it keeps the problem a flow.
- **Splitting**: `max_supporters` per request caps how many supporters serve it (1 for a
  secondment, one person from one place; several for a peer review, whose team comes from
  several authorities; None for no cap).
- **Capacity**: each offer's days per year, less the accepted matches' days.
- **Fairness**: no supporter carries more than `floor(max_share x D)` days in all, where D
  is the total days wanted by the run's requests (accepted days included). The cap is taken
  on demand, not on days matched: a share of the matched total would depend on the answer
  itself and would forbid a lone secondment unless max_share is 1. Set max_share to 1 to
  switch the rule off.
- **Accepted matches** are kept exactly as agreed: their days use the request's days, the
  offer's capacity, the fairness cap and one of the request's supporters; the broker adds
  no days to an accepted pair.

Solver: first OR-Tools min-cost flow, ignoring `max_supporters` (source -> request ->
offer -> supporter -> sink, with a zero-cost bypass for days left unmatched). That is a
relaxation, so when its answer respects every limit it is optimal, and the result says
"min-cost flow"; it always does when every request is splittable. Otherwise CP-SAT (one worker,
fixed seed) enforces the limits the answer broke, and again, until an answer breaks none (lazy
constraints: each round is a relaxation too, so that answer is optimal; most limits never bind
and never enter the model, which keeps it small). Inputs are sorted by id before any model is
built, so the answer depends on the inputs only, never on their order. After solving, every
feasible pair not chosen gets its reason (capacity used by which requests, the fairness cap,
the request's supporter limit, or the request already served); at an optimum one always holds,
and the broker raises if none does.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from itertools import groupby
from typing import Literal

from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]
from ortools.sat.python import cp_model

Pair = tuple[str, str]
OfferKey = tuple[str, str, str]
Reason = Literal[
    "capacity",
    "fairness",
    "supporters",
    "served",
    "avoided",
    "declined",
    "excluded",
    "weak",
    "window",
    "unsuitable",
]
ShortReason = Literal["no feasible supporter", "capacity", "fairness", "supporters"]
Solver = Literal["min-cost flow", "CP-SAT"]
ALTERNATIVES = 3


class BrokerError(ValueError):
    """A problem the broker cannot take as given; the message names the culprit."""


@dataclass(frozen=True)
class Window:
    start: date
    end: date

    def overlaps(self, other: Window | None) -> bool:
        return other is None or (self.start <= other.end and other.start <= self.end)


@dataclass(frozen=True)
class Request:
    id: str
    authority: str
    service_area: str
    kind: str
    days: int
    window: Window
    avoid: frozenset[str] = frozenset()
    preferences: frozenset[str] = frozenset()  # read by the caller's suitability only
    max_supporters: int | None = None


@dataclass(frozen=True)
class Offer:
    supporter: str
    service_area: str
    kind: str
    days: int
    window: Window | None = None

    @property
    def key(self) -> OfferKey:
        return (self.supporter, self.service_area, self.kind)


@dataclass(frozen=True)
class Accepted:
    request: str
    supporter: str
    days: int


Suitability = Mapping[Pair, float] | Callable[[Request, Offer], float]


@dataclass(frozen=True)
class Problem:
    """One run: the open requests, the offers, and the rules (see the module docstring)."""

    requests: tuple[Request, ...]
    offers: tuple[Offer, ...]
    suitability: Suitability
    max_share: float
    excluded: Mapping[Pair, str] = field(default_factory=dict)
    declined: frozenset[Pair] = frozenset()
    weak: frozenset[tuple[str, str]] = frozenset()  # (authority, service area)
    accepted: tuple[Accepted, ...] = ()
    score_scale: int = 1000


@dataclass(frozen=True)
class Match:
    """Days from a supporter to a request; `points` is the pair's scaled suitability."""

    request: str
    supporter: str
    days: int
    points: int
    accepted: bool = False


@dataclass(frozen=True)
class Alternative:
    """A supporter not chosen for a request, and why: `used_by` names the requests that took
    its capacity; `note` is the caller's reason for an exclusion."""

    supporter: str
    points: int
    reason: Reason
    used_by: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Shortfall:
    """A request given fewer days than it asked; `reason` is what stops its best feasible
    supporter from giving more, and `alternatives` its best three supporters with why not."""

    request: str
    days_matched: int
    days_short: int
    reason: ShortReason
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class BrokerResult:
    """Accepted and proposed matches; the objective (points x days, accepted ones included);
    for each matched request its best three supporters not chosen, and why not."""

    matches: tuple[Match, ...]
    objective: int
    unmatched: tuple[Shortfall, ...]
    alternatives: Mapping[str, tuple[Alternative, ...]]
    fairness_cap: int
    solver: Solver
    status: str


@dataclass(frozen=True)
class _Pair:
    request: Request
    offer: Offer
    points: int
    barred: Reason | None
    note: str = ""

    @property
    def key(self) -> Pair:
        return (self.request.id, self.offer.supporter)


@dataclass
class _Load:
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

    def bound(self, pair: _Pair) -> int:
        """The most days this pair could still take."""
        r, s = pair.key
        if self.slots[r] == 0 and s not in self.chosen[r]:
            return 0
        return min(self.need[r], self.room[pair.offer.key], self.fair[s])


def propose(problem: Problem) -> BrokerResult:
    """The optimal matches for every open request, with their alternatives and shortfalls."""
    requests = _checked_requests(problem)
    pairs = _pairs(problem, requests)
    cap = fairness_cap(problem)
    load = _load(problem, requests, cap)
    days, solver = _solve([p for p in pairs if p.barred is None], load)
    for key, d in days.items():
        load.take(requests[key[0]], key[1], d)
    matches = _matches(problem, requests, pairs, days)
    return BrokerResult(
        matches=matches,
        objective=sum(m.points * m.days for m in matches),
        unmatched=_shortfalls(requests, pairs, load),
        alternatives=_alternatives(matches, pairs, load),
        fairness_cap=cap,
        solver=solver,
        status="OPTIMAL",
    )


def fairness_cap(problem: Problem) -> int:
    """Days any one supporter may carry. max_share is read as the nearest fraction with a
    denominator up to 10,000, so that 0.34 is 17/50 exactly and the cap never drifts."""
    if not 0 <= problem.max_share <= 1:
        raise BrokerError(f"max_share {problem.max_share} is not between 0 and 1")
    share = Fraction(problem.max_share).limit_denominator(10_000)
    return math.floor(share * sum(r.days for r in problem.requests))


def points(problem: Problem, request: Request, offer: Offer) -> int:
    """A pair's suitability as integer points; a pair the mapping lacks scores 0."""
    given = problem.suitability
    if isinstance(given, Mapping):
        score = given.get((request.id, offer.supporter), 0)
    else:
        score = given(request, offer)
    return round(score * problem.score_scale)


def _checked_requests(problem: Problem) -> dict[str, Request]:
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


def _pairs(problem: Problem, requests: Mapping[str, Request]) -> list[_Pair]:
    """Every candidate pair, barred or not, accepted pairs left out, in (request, supporter)
    order."""
    offers: dict[tuple[str, str], list[Offer]] = defaultdict(list)
    for offer in sorted(problem.offers, key=lambda o: o.key):
        offers[offer.service_area, offer.kind].append(offer)
    kept = {(a.request, a.supporter) for a in problem.accepted}
    return [
        _pair(problem, r, o)
        for r in requests.values()
        for o in offers[r.service_area, r.kind]
        if o.supporter != r.authority and (r.id, o.supporter) not in kept
    ]


def _pair(problem: Problem, request: Request, offer: Offer) -> _Pair:
    key = (request.id, offer.supporter)
    score = points(problem, request, offer)
    checks: list[tuple[bool, Reason]] = [
        (offer.supporter in request.avoid, "avoided"),
        (key in problem.declined, "declined"),
        (key in problem.excluded, "excluded"),
        ((offer.supporter, request.service_area) in problem.weak, "weak"),
        (not request.window.overlaps(offer.window), "window"),
        (score <= 0, "unsuitable"),
    ]
    barred = next((reason for failed, reason in checks if failed), None)
    return _Pair(request, offer, score, barred, problem.excluded.get(key, ""))


def _load(problem: Problem, requests: Mapping[str, Request], cap: int) -> _Load:
    load = _Load(
        need={r.id: r.days for r in requests.values()},
        room={o.key: o.days for o in problem.offers},
        fair={o.supporter: cap for o in problem.offers},
        slots={r.id: r.max_supporters for r in requests.values()},
    )
    for a in sorted(problem.accepted, key=lambda a: (a.request, a.supporter)):
        load.take(requests[a.request], a.supporter, a.days)
    return load


def _solve(feasible: list[_Pair], load: _Load) -> tuple[dict[Pair, int], Solver]:
    """Lazy supporter limits: the flow ignores them all; CP-SAT then enforces those the last
    answer broke, until an answer breaks none. Each round solves a relaxation of the problem,
    so that answer is optimal; most limits never bind and never enter the model."""
    live = [p for p in feasible if load.bound(p) > 0]
    limited = {
        r
        for r, group in _by_request(live).items()
        if (slots := load.slots[r]) is not None and slots < len(group)
    }
    days, enforced = _flow(live, load), set[str]()
    while broken := _broken(days, load, limited - enforced):
        enforced |= broken
        days = _Sat(load, _repaired(days, live, load, enforced)).days(live, enforced)
    return days, "CP-SAT" if enforced else "min-cost flow"


def _broken(days: Mapping[Pair, int], load: _Load, limited: set[str]) -> set[str]:
    """The requests served by more supporters than they allow."""
    count = Counter(r for r, _ in days)
    return {r for r in limited if count[r] > (load.slots[r] or 0)}


def _repaired(
    days: Mapping[Pair, int], live: list[_Pair], load: _Load, enforced: set[str]
) -> dict[Pair, int]:
    """The last answer, each enforced request keeping only its most valuable supporters: a
    feasible start for CP-SAT."""
    value = {p.key: p.points * days.get(p.key, 0) for p in live}
    kept: dict[Pair, int] = {}
    for r, group in _by_request(p for p in live if days.get(p.key)).items():
        ranked = sorted(group, key=lambda p: (-value[p.key], p.offer.supporter))
        limit = (load.slots[r] or 0) if r in enforced else len(ranked)
        kept.update((p.key, days[p.key]) for p in ranked[:limit])
    return kept


def _by_request(pairs: Iterable[_Pair]) -> dict[str, list[_Pair]]:
    return {r: list(g) for r, g in groupby(pairs, key=lambda p: p.request.id)}


def _flow(live: list[_Pair], load: _Load) -> dict[Pair, int]:
    """source -> request (its days) -> offer (score) -> supporter (capacity) -> sink (fair);
    days that find no supporter take the bypass arc source -> sink at no cost."""
    flow = min_cost_flow.SimpleMinCostFlow()
    node: dict[object, int] = {"source": 0, "sink": 1}

    def arc(tail: object, head: object, capacity: int, cost: int = 0) -> int:
        ends = [node.setdefault(n, len(node)) for n in (tail, head)]
        return int(flow.add_arc_with_capacity_and_unit_cost(*ends, capacity, cost))

    total = sum(load.need[r] for r in _by_request(live))
    arc("source", "sink", total)
    arcs = {p.key: arc(("r", p.request.id), p.offer.key, load.bound(p), -p.points) for p in live}
    for r in dict.fromkeys(p.request.id for p in live):
        arc("source", ("r", r), load.need[r])
    for key in dict.fromkeys(p.offer.key for p in live):
        arc(key, ("s", key[0]), load.room[key])
    for s in dict.fromkeys(p.offer.supporter for p in live):
        arc(("s", s), "sink", load.fair[s])
    return _flows(flow, arcs, total)


def _flows(
    flow: min_cost_flow.SimpleMinCostFlow, arcs: dict[Pair, int], total: int
) -> dict[Pair, int]:
    flow.set_node_supply(0, total)
    flow.set_node_supply(1, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise BrokerError(f"min-cost flow ended {status}")
    days = {key: int(flow.flow(a)) for key, a in arcs.items()}
    return {key: d for key, d in days.items() if d > 0}


@dataclass
class _Sat:
    """The CP-SAT model: days per live pair, and for each enforced request a used-or-not
    literal per pair. Days <= bound x used is a plain inequality so that the LP relaxation
    sees it; CP-SAT's presolve would turn it into an encoding the LP leaves out, and then its
    bound stays at the pure flow's (measured: no proof in minutes at national scale)."""

    load: _Load
    hint: dict[Pair, int]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Pair, cp_model.IntVar] = field(default_factory=dict)

    def days(self, live: list[_Pair], enforced: set[str]) -> dict[Pair, int]:
        for p in live:
            self.x[p.key] = self.model.new_int_var(0, self.load.bound(p), f"{p.key}")
            self.model.add_hint(self.x[p.key], self.hint.get(p.key, 0))
        self._limits(live, enforced)
        coefficients = [p.points for p in live]
        self.model.maximize(cp_model.LinearExpr.weighted_sum(list(self.x.values()), coefficients))
        return self._solved()

    def _limits(self, live: list[_Pair], enforced: set[str]) -> None:
        for r, group in _by_request(live).items():
            self._at_most(group, self.load.need[r])
            if r in enforced:
                self._few_supporters(group, self.load.slots[r] or 0)
        for key, group in _grouped(live, lambda p: p.offer.key).items():
            self._at_most(group, self.load.room[key])  # type: ignore[index]
        for s, group in _grouped(live, lambda p: p.offer.supporter).items():
            self._at_most(group, self.load.fair[s])  # type: ignore[index]

    def _at_most(self, group: list[_Pair], most: int) -> None:
        """Only where it can bind: a smaller model for the same answer."""
        if sum(self.load.bound(p) for p in group) > most:
            self.model.add(cp_model.LinearExpr.sum([self.x[p.key] for p in group]) <= most)

    def _few_supporters(self, group: list[_Pair], most: int) -> None:
        used = [self.model.new_bool_var(f"uses {p.key}") for p in group]
        for p, u in zip(group, used, strict=True):
            self.model.add(self.x[p.key] <= self.load.bound(p) * u)
            self.model.add_hint(u, self.hint.get(p.key, 0) > 0)
        self.model.add(cp_model.LinearExpr.sum(used) <= most)

    def _solved(self) -> dict[Pair, int]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 2006
        solver.parameters.cp_model_presolve = False
        status = solver.solve(self.model)
        if status != cp_model.OPTIMAL:
            raise BrokerError(f"CP-SAT ended {solver.status_name(status)}")
        days = {key: int(solver.value(v)) for key, v in self.x.items()}
        return {key: d for key, d in days.items() if d > 0}


def _grouped(pairs: Iterable[_Pair], key: Callable[[_Pair], object]) -> dict[object, list[_Pair]]:
    groups: dict[object, list[_Pair]] = defaultdict(list)
    for p in pairs:
        groups[key(p)].append(p)
    return groups


def _matches(
    problem: Problem, requests: Mapping[str, Request], pairs: list[_Pair], days: dict[Pair, int]
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


def _why_not(p: _Pair, load: _Load) -> Alternative:
    """Why a pair takes no more days than it has; at an optimum one reason always holds."""
    if p.barred is not None:
        return Alternative(p.offer.supporter, p.points, p.barred, note=p.note)
    reason = _binding(p, load)
    used_by = tuple(sorted(load.users[p.offer.key])) if reason == "capacity" else ()
    return Alternative(p.offer.supporter, p.points, reason, used_by)


def _binding(p: _Pair, load: _Load) -> Reason:
    if load.room[p.offer.key] == 0:
        return "capacity"
    if load.fair[p.offer.supporter] == 0:
        return "fairness"
    if p.offer.supporter not in load.chosen[p.request.id] and load.slots[p.request.id] == 0:
        return "supporters"
    if load.need[p.request.id] == 0:
        return "served"
    raise BrokerError(f"not optimal: {p.key} could take another day")


def _ranked(pairs: Iterable[_Pair]) -> list[_Pair]:
    """Feasible pairs first, each part by points (highest first) then supporter."""
    return sorted(pairs, key=lambda p: (p.barred is not None, -p.points, p.offer.supporter))


def _alternatives(
    matches: tuple[Match, ...], pairs: list[_Pair], load: _Load
) -> dict[str, tuple[Alternative, ...]]:
    grouped = _by_request(pairs)
    return {
        r: _why_nots(
            [p for p in grouped.get(r, []) if p.offer.supporter not in load.chosen[r]], load
        )
        for r in dict.fromkeys(m.request for m in matches)
    }


def _why_nots(pairs: list[_Pair], load: _Load) -> tuple[Alternative, ...]:
    return tuple(_why_not(p, load) for p in _ranked(pairs)[:ALTERNATIVES])


def _shortfalls(
    requests: Mapping[str, Request], pairs: list[_Pair], load: _Load
) -> tuple[Shortfall, ...]:
    """Requests left short; the reason is what stops their best feasible supporter."""
    grouped = _by_request(pairs)
    return tuple(
        _shortfall(requests[r], grouped.get(r, []), load)
        for r, need in load.need.items()
        if need > 0
    )


def _shortfall(request: Request, pairs: list[_Pair], load: _Load) -> Shortfall:
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
