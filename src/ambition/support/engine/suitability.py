"""How suitable one authority is to support another's request, in parts that explain it.

Each part is a number in [0, 1]; the score is their weighted sum, with the weights of the
`AMBITION_SUPPORT_WEIGHTS` setting, so a score is at most the sum of the weights and every
match can say where its score came from:
- experience: evidence of relevant experience in the service area (strong now, or weak
  and recovered), from the stored assessment runs (`ambition.support.experience`);
- similarity: how alike the two authorities' contexts are, from their nearest-neighbour
  distance d (Euclidean over standardised profile variables):
  `similarity = HALF_DISTANCE / (HALF_DISTANCE + d)`: 1 for identical profiles, one half
  at d = HALF_DISTANCE, towards 0 as they differ; 0 when the pair was not compared;
- neighbour: 1 when the two share a boundary;
- control: 1 when the same party (or no overall control) runs both;
- history: a past relationship, `1 - 1 / (1 + n)` for n accepted matches between the two
  (either way): 0, then 1/2, 2/3, 3/4...;
- preference: 1 when the requester's preference (a boundary neighbour, or the same
  political control) is met, else 0; a requester with no preference gives no one a bonus.

Exclusions are not parts: a supporter that is the requester, is on its avoid list, or is
itself weak in the service area is never proposed (`exclusions` says which and why).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

PARTS = ("experience", "similarity", "neighbour", "control", "history", "preference")
DEFAULT_WEIGHTS = "experience=3,similarity=2,neighbour=1,control=1,history=1,preference=2"
# The distance at which similarity is one half: about the median distance between two
# London boroughs on the default profile variables (2.6 in the shipped data).
HALF_DISTANCE = 2.5
NEIGHBOUR, CONTROL, NEITHER = "neighbour", "control", "neither"

SAME_AUTHORITY = "is the requesting authority"
AVOIDED = "is on the requester's list of authorities to avoid"
WEAK = "is itself weak in this service area"


class WeightsError(ValueError):
    pass


def parse_weights(text: str) -> dict[str, float]:
    """`experience=3,similarity=2,...` as part -> weight; a part left out weighs 0, and
    at least one must weigh more."""
    weights = dict.fromkeys(PARTS, 0.0)
    for item in filter(None, (piece.strip() for piece in text.split(","))):
        name, equals, number = (piece.strip() for piece in item.partition("="))
        if name not in weights or not equals:
            raise WeightsError(f"{item!r} is not part=weight, with a part one of {PARTS}")
        weights[name] = _weight(name, number)
    if not any(weights.values()):
        raise WeightsError(f"no part has a weight above 0 in {text!r}")
    return weights


def _weight(name: str, number: str) -> float:
    try:
        value = float(number)
    except ValueError:
        raise WeightsError(f"the weight of {name} is not a number: {number!r}") from None
    if not math.isfinite(value) or value < 0:
        raise WeightsError(f"the weight of {name} must be a number 0 or more, not {number}")
    return value


def similarity(distance: float | None, half: float = HALF_DISTANCE) -> float:
    """1 for identical contexts, 1/2 at `half`, towards 0 as they differ; 0 if unknown."""
    if distance is None or math.isnan(distance):
        return 0.0
    return half / (half + max(distance, 0.0))


def history(accepted_before: int) -> float:
    """0 with no past relationship, rising towards 1 with each accepted match."""
    return 1.0 - 1.0 / (1.0 + max(accepted_before, 0))


def preference_met(preference: str, neighbour: bool, same_control: bool) -> float:
    met = {NEIGHBOUR: neighbour, CONTROL: same_control}.get(preference, False)
    return 1.0 if met else 0.0


@dataclass(frozen=True)
class Pair:
    """What is known about one (request, supporter) pair."""

    experience: float
    distance: float | None
    neighbour: bool
    same_control: bool
    accepted_before: int = 0
    preference: str = NEITHER


@dataclass(frozen=True)
class Suitability:
    score: float
    parts: dict[str, float]  # each in [0, 1]
    weighted: dict[str, float]  # part x its weight: what each added to the score


def parts_of(pair: Pair) -> dict[str, float]:
    return {
        "experience": min(max(pair.experience, 0.0), 1.0),
        "similarity": similarity(pair.distance),
        "neighbour": float(pair.neighbour),
        "control": float(pair.same_control),
        "history": history(pair.accepted_before),
        "preference": preference_met(pair.preference, pair.neighbour, pair.same_control),
    }


def suitability(pair: Pair, weights: Mapping[str, float]) -> Suitability:
    """The pair's score and its parts: score = sum of weight x part."""
    parts = parts_of(pair)
    weighted = {name: weights.get(name, 0.0) * value for name, value in parts.items()}
    return Suitability(math.fsum(weighted.values()), parts, weighted)


def exclusions(
    requester: Hashable, supporter: Hashable, avoid: Collection[Hashable], supporter_weak: bool
) -> tuple[str, ...]:
    """Why `supporter` may not help `requester`, if it may not: empty when it may."""
    reasons = (
        (supporter == requester, SAME_AUTHORITY),
        (supporter in avoid, AVOIDED),
        (supporter_weak, WEAK),
    )
    return tuple(reason for applies, reason in reasons if applies)


def excluded(
    requester: Hashable, supporter: Hashable, avoid: Collection[Hashable], supporter_weak: bool
) -> bool:
    return bool(exclusions(requester, supporter, avoid, supporter_weak))
