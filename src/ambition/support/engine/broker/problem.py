"""What the broker is given and what it returns: plain frozen dataclasses, no database."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Literal

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
    """One run: the open requests, the offers, and the rules (see the package docstring)."""

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
