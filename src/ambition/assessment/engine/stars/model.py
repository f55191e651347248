"""The parts of a star rule table (judgements, blocks, levels, rules) and of a council's
rating (the rule that fired, what held it back, what would give more stars)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

SCORES = range(1, 5)
STARS = range(0, 5)
INFERRED = "inferred"


class StarTableError(ValueError):
    """A rule table that cannot be used; the message names the file, the rule and the field."""


@dataclass(frozen=True)
class Judgement:
    key: str
    label: str
    description: str


@dataclass(frozen=True)
class Block:
    name: str
    label: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Level:
    name: str
    label: str
    members: tuple[str, ...]
    min_scored: int


@dataclass(frozen=True)
class Condition:
    """Over a level's scored members: at most `at_most` below `below`, or at least `share` of
    them at `at_or_above` or more. Either way a member under `threshold` counts against it."""

    level: str
    threshold: int
    at_most: int | None = None
    share: Fraction | None = None

    def holds(self, scores: list[int]) -> bool:
        under = sum(score < self.threshold for score in scores)
        if self.share is None:
            return under <= (self.at_most or 0)
        return len(scores) - under >= self.share * len(scores)


@dataclass(frozen=True)
class Rule:
    id: str
    stars: int
    text: str
    source: str
    reasoning: str
    judgements: Mapping[str, frozenset[int]]
    conditions: tuple[Condition, ...]

    @property
    def inferred(self) -> bool:
        return self.source == INFERRED


@dataclass(frozen=True)
class Outcome:
    """A rating that was published: whose and when (`name`), its inputs as published, by
    judgement key and by service area, block or level name, the stars it was given and where
    that was published. The loader refuses a table that does not reproduce it."""

    name: str
    stars: int
    citation: str
    note: str
    judgements: Mapping[str, int]
    scores: Mapping[str, int]


@dataclass(frozen=True)
class StarTable:
    name: str
    title: str
    description: str
    judgements: Mapping[str, Judgement]
    blocks: Mapping[str, Block]
    levels: Mapping[str, Level]
    rules: tuple[Rule, ...]
    outcomes: tuple[Outcome, ...] = ()

    @property
    def service_areas(self) -> tuple[str, ...]:
        """Every service area the table reads, in the order its levels name them."""
        members = (m for level in self.levels.values() for m in level.members)
        areas = (a for m in members for a in self.areas_of(m))
        return tuple(dict.fromkeys(areas))

    @property
    def inputs(self) -> tuple[str, ...]:
        return (*self.judgements, *self.service_areas)

    def areas_of(self, member: str) -> tuple[str, ...]:
        """The service areas behind a level member: none for a judgement."""
        if member in self.blocks:
            return self.blocks[member].areas
        return () if member in self.judgements else (member,)


@dataclass(frozen=True)
class JudgementPart:
    key: str
    label: str
    score: int | None


@dataclass(frozen=True)
class HeldBack:
    """An input whose score stopped the listed rules (each with more stars) from firing."""

    input: str
    score: int
    judgement: bool
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """Raise `input` from one score to another; pages write it as words, the run stores it as
    data (`stored.py`)."""

    input: str
    from_score: int
    to_score: int
    judgement: bool


@dataclass(frozen=True)
class NextStar:
    """Raises that together make a rule with more stars fire: `rule`, giving `stars`."""

    changes: tuple[Change, ...]
    stars: int
    rule: str


@dataclass(frozen=True)
class Missing:
    input: str
    reason: str


@dataclass(frozen=True)
class StarResult:
    stars: int | None
    rule: Rule | None
    held_back: tuple[HeldBack, ...]
    to_next_star: tuple[NextStar, ...]
    judgement_parts: tuple[JudgementPart, ...]
    missing: tuple[Missing, ...]
    left_out: tuple[str, ...]
