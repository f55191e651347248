"""The broker on a national-scale synthetic instance: 400 support requests against 400
authorities' offers (seeded), beside scipy's `linear_sum_assignment` on the equivalent
unconstrained problem (the same 400 x 400 suitability matrix, one supporter per request and
one request per supporter, no days, capacities, windows, exclusions or fairness) in the same
run.

Two runs of the broker on the same data. First with the issue's constraints: every offer's
staff days, each request's days, the windows, the exclusions (weak supporters, conflicts,
declined pairs), the fairness cap and the accepted matches kept: a pure flow, so min-cost
flow. The goal, the whole matching under 1 s, is for this run. Then with our own extra
rule, a cap on supporters per request (a secondee or a mentor from one place, a review
team from up to four), which needs CP-SAT. Each figure is the fastest of three, and
includes building the pairs, the solve, and the alternatives and shortfalls."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

AUTHORITIES = REQUESTS = 400
AREAS = [f"area-{k}" for k in range(8)]
# kind -> (max_supporters, days a request wants, days an offer holds): a review team comes
# from several authorities; a secondment or a mentor is one person from one place, and an
# authority that offers a secondment offers that person's time, months of it.
KINDS = {
    "peer review": (4, (10, 30), (10, 40)),
    "mentoring": (1, (3, 12), (6, 24)),
    "secondment": (1, (20, 60), (40, 200)),
    "member development": (2, (2, 10), (5, 20)),
    "specialist advice": (2, (2, 15), (5, 30)),
}
OFFERS_PER_AUTHORITY = 4
MAX_SHARE = 0.01
ACCEPTED = 20
ROUNDS = 3
GOAL_S = 1.0
YEAR = date(2026, 4, 1)


def window(rng: np.random.Generator, shortest: int, longest: int) -> Any:
    from ambition.support.engine.broker import Window

    start = YEAR + timedelta(days=int(rng.integers(0, 300)))
    return Window(start, start + timedelta(days=int(rng.integers(shortest, longest))))


def offers(rng: np.random.Generator, codes: list[str]) -> tuple[Any, ...]:
    """Each authority offers days in a few (service area, kind)s; a fifth only for a while."""
    from ambition.support.engine.broker import Offer

    made = []
    kinds = list(KINDS)
    for code in codes:
        for combo in rng.choice(len(AREAS) * len(KINDS), OFFERS_PER_AUTHORITY, replace=False):
            area, kind = AREAS[combo // len(KINDS)], kinds[combo % len(KINDS)]
            low, high = KINDS[kind][2]
            limited = rng.random() < 0.2
            days = int(rng.integers(low, high + 1))
            made.append(Offer(code, area, kind, days, window(rng, 90, 180) if limited else None))
    return tuple(made)


def requests(rng: np.random.Generator, codes: list[str]) -> tuple[Any, ...]:
    from ambition.support.engine.broker import Request

    made = []
    for n in range(REQUESTS):
        kind = list(KINDS)[int(rng.integers(len(KINDS)))]
        most, (low, high), _ = KINDS[kind]
        made.append(
            Request(
                id=f"R{n:03d}",
                authority=codes[int(rng.integers(AUTHORITIES))],
                service_area=AREAS[int(rng.integers(len(AREAS)))],
                kind=kind,
                days=int(rng.integers(low, high + 1)),
                window=window(rng, 60, 200),
                avoid=frozenset({codes[int(rng.integers(AUTHORITIES))]}),
                max_supporters=most,
            )
        )
    return tuple(made)


def problem() -> tuple[Any, np.ndarray]:
    """The instance and its request x authority suitability matrix (scores 1 to 100)."""
    from ambition.support.engine.broker import Problem

    rng = np.random.default_rng(2006)
    codes = [f"E{n:08d}" for n in range(AUTHORITIES)]
    scores = rng.integers(1, 101, (REQUESTS, AUTHORITIES))
    column = {code: k for k, code in enumerate(codes)}
    built = Problem(
        requests=requests(rng, codes),
        offers=offers(rng, codes),
        suitability=lambda r, o: int(scores[int(r.id[1:]), column[o.supporter]]),
        max_share=MAX_SHARE,
        weak=frozenset((c, a) for c in codes for a in AREAS if rng.random() < 0.1),
        declined=frozenset(
            (f"R{n:03d}", codes[int(rng.integers(AUTHORITIES))]) for n in range(0, REQUESTS, 4)
        ),
        score_scale=1,
    )
    return dataclasses.replace(built, accepted=accepted(built)), scores


def accepted(built: Any) -> tuple[Any, ...]:
    """Some proposals of an earlier run, one per request, as if people had accepted them."""
    from ambition.support.engine.broker import Accepted, propose

    splittable = dataclasses.replace(built, requests=splittable_requests(built))
    first: dict[str, Any] = {}
    for m in propose(splittable).matches:
        first.setdefault(m.request, m)
    return tuple(Accepted(m.request, m.supporter, m.days) for m in list(first.values())[:ACCEPTED])


def splittable_requests(built: Any) -> tuple[Any, ...]:
    return tuple(dataclasses.replace(r, max_supporters=None) for r in built.requests)


def fastest(run: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> list[str]:
    from scipy.optimize import linear_sum_assignment

    from ambition.support.engine.broker import propose

    mixed, scores = problem()
    splittable = dataclasses.replace(mixed, requests=splittable_requests(mixed))
    lines = [
        f"support matching: {REQUESTS} requests against {AUTHORITIES} authorities ({len(mixed.offers)} offers)"
    ]
    # The constraints are capacity, each request's days, windows, exclusions and
    # fairness: the splittable instance. The supporter limits per request (a secondee from
    # one place, a review team of up to 4) are our own addition, timed beside it.
    for label, instance, goal in (
        ("the issue's constraints", splittable, f"goal < {GOAL_S:.0f} s"),
        ("+ supporter limits", mixed, "our extra rule; no goal set"),
    ):
        seconds, result = fastest(lambda instance=instance: propose(instance))
        lines.append(describe(label, seconds, result, goal))
    seconds, (rows, cols) = fastest(lambda: linear_sum_assignment(scores, maximize=True))
    lines.append(
        f"  scipy linear_sum_assignment 400 x 400 (no constraints) {seconds * 1000:7.1f} ms, "
        f"total score {int(scores[rows, cols].sum())}"
    )
    return lines


def describe(label: str, seconds: float, result: Any, goal: str) -> str:
    days = sum(m.days for m in result.matches)
    return (
        f"  broker, {label:<24} {seconds * 1000:7.1f} ms ({result.solver}, {result.status}):"
        f" {len(result.matches)} matches, {days} days, objective {result.objective},"
        f" {len(result.unmatched)} requests short; {goal}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print("\n".join(main()))
