"""Solving: the flow relaxation first, then CP-SAT for the supporter limits it breaks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .candidates import Candidate, Load, by_request, grouped
from .flow import flow
from .problem import BrokerError, Pair, Solver


def solve(feasible: list[Candidate], load: Load) -> tuple[dict[Pair, int], Solver]:
    """Lazy supporter limits: the flow ignores them all; CP-SAT then enforces those the flow
    broke, and those that bind once they are enforced, until an answer breaks none. Each
    round solves a relaxation of the problem, so that answer is optimal; most limits never
    bind and never enter the model."""
    live = [p for p in feasible if load.bound(p) > 0]
    bounds = [load.bound(p) for p in live]
    limited = {
        r
        for r, group in by_request(live).items()
        if (slots := load.slots[r]) is not None and slots < len(group)
    }
    days = flow(live, bounds, load)
    if not _broken(days, load, limited):
        return days, "min-cost flow"
    start, enforced = _restricted(days, live, bounds, load, limited)
    enforced |= _tight(days, load, limited)
    while True:
        days = _Sat(load, live, bounds, start).days(enforced)
        if not (broken := _broken(days, load, limited - enforced)):
            return days, "CP-SAT"
        enforced |= broken
        start = _repaired(days, live, load, enforced)


def _broken(days: Mapping[Pair, int], load: Load, limited: set[str]) -> set[str]:
    """The requests served by more supporters than they allow."""
    count = Counter(r for r, _ in days)
    return {r for r in limited if count[r] > (load.slots[r] or 0)}


def _tight(days: Mapping[Pair, int], load: Load, limited: set[str]) -> set[str]:
    """Requests for one supporter that the flow already serves from one: once others are
    held to their limits, these are the ones that break next (measured at national scale:
    every limit a later round added was one). Enforcing them at once costs less than the
    rounds they would take."""
    count = Counter(r for r, _ in days)
    return {r for r in limited if load.slots[r] == 1 and count[r] == 1}


def _restricted(
    days: dict[Pair, int],
    live: list[Candidate],
    bounds: list[int],
    load: Load,
    limited: set[str],
) -> tuple[dict[Pair, int], set[str]]:
    """A feasible answer and the limits likely to bind, from flows alone: each request over
    its limit keeps only its most valuable supporters, and the flow runs again, until no
    limit is broken. Each flow costs milliseconds; each CP-SAT round it saves, a second."""
    allowed: dict[str, set[str]] = {}
    while broken := _broken(days, load, limited - allowed.keys()):
        kept = _repaired(days, live, load, broken)
        for r in broken:
            allowed[r] = {s for (q, s) in kept if q == r}
        chosen = [
            n
            for n, p in enumerate(live)
            if p.offer.supporter in allowed.get(p.request.id, (p.offer.supporter,))
        ]
        days = flow([live[n] for n in chosen], [bounds[n] for n in chosen], load)
    return days, set(allowed)


def _repaired(
    days: Mapping[Pair, int], live: list[Candidate], load: Load, enforced: set[str]
) -> dict[Pair, int]:
    """The answer, each enforced request keeping only its most valuable supporters: a
    feasible start for CP-SAT."""
    value = {p.key: p.points * days.get(p.key, 0) for p in live}
    kept: dict[Pair, int] = {}
    for r, group in by_request(p for p in live if days.get(p.key)).items():
        ranked = sorted(group, key=lambda p: (-value[p.key], p.offer.supporter))
        limit = (load.slots[r] or 0) if r in enforced else len(ranked)
        kept.update((p.key, days[p.key]) for p in ranked[:limit])
    return kept


@dataclass
class _Sat:
    """The CP-SAT model: days per live pair, and for each enforced request a used-or-not
    literal per pair. Days <= bound x used is a plain inequality so that the LP relaxation
    sees it; CP-SAT's presolve would turn it into an encoding the LP leaves out, and then its
    bound stays at the pure flow's (measured: no proof in minutes at national scale)."""

    load: Load
    live: Sequence[Candidate]
    bounds: Sequence[int]
    hint: Mapping[Pair, int]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Pair, cp_model.IntVar] = field(default_factory=dict)

    def days(self, enforced: set[str]) -> dict[Pair, int]:
        new_int_var = self.model.new_int_var
        self.x = {p.key: new_int_var(0, b, "") for p, b in zip(self.live, self.bounds, strict=True)}
        self._hint(self.x.values(), [self.hint.get(key, 0) for key in self.x])
        self._limits(enforced)
        coefficients = [p.points for p in self.live]
        self.model.maximize(cp_model.LinearExpr.weighted_sum(list(self.x.values()), coefficients))
        return self._solved()

    def _hint(self, variables: Iterable[cp_model.IntVar], values: list[int]) -> None:
        """All at once into the model: add_hint one by one costs more than the solve's start."""
        hint = self.model.proto.solution_hint
        hint.vars.extend(v.index for v in variables)
        hint.values.extend(values)

    def _limits(self, enforced: set[str]) -> None:
        bound = dict(zip((p.key for p in self.live), self.bounds, strict=True))
        for r, group in by_request(self.live).items():
            self._at_most(group, bound, self.load.need[r])
            if r in enforced:
                self._few_supporters(group, bound, self.load.slots[r] or 0)
        for key, group in grouped(self.live, lambda p: p.offer.key).items():
            self._at_most(group, bound, self.load.room[key])  # type: ignore[index]
        for s, group in grouped(self.live, lambda p: p.offer.supporter).items():
            self._at_most(group, bound, self.load.fair[s])  # type: ignore[index]

    def _at_most(self, group: list[Candidate], bound: Mapping[Pair, int], most: int) -> None:
        """Only where it can bind: a smaller model for the same answer."""
        if sum(bound[p.key] for p in group) > most:
            self.model.add(cp_model.LinearExpr.sum([self.x[p.key] for p in group]) <= most)

    def _few_supporters(self, group: list[Candidate], bound: Mapping[Pair, int], most: int) -> None:
        used = [self.model.new_bool_var("") for _ in group]
        for p, u in zip(group, used, strict=True):
            self.model.add(self.x[p.key] <= bound[p.key] * u)
        self._hint(used, [int(self.hint.get(p.key, 0) > 0) for p in group])
        self.model.add(cp_model.LinearExpr.sum(used) <= most)

    def _solved(self) -> dict[Pair, int]:
        """One worker and a fixed seed: the same model always gives the same optimum."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 2006
        solver.parameters.cp_model_presolve = False
        status = solver.solve(self.model)
        if status != cp_model.OPTIMAL:
            raise BrokerError(f"CP-SAT ended {solver.status_name(status)}")
        days = {key: int(solver.value(v)) for key, v in self.x.items()}
        return {key: d for key, d in days.items() if d > 0}
