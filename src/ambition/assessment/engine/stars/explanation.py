"""Why a council has its stars and what would have to change: the inputs that held back each
rule with more stars, and the smallest raises that would give at least one more."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

from .evaluation import _fire, _level_scores
from .model import SCORES, STARS, Change, HeldBack, NextStar, Rule, StarTable


def _held_back(
    table: StarTable, values: Mapping[str, int | None], fired: Rule
) -> tuple[HeldBack, ...]:
    """For each rule with more stars that a rise could reach, the inputs that failed it. A rule
    that needs a judgement lower than the council's is skipped: rising cannot reach it."""
    blocked: dict[str, list[str]] = {}
    for rule in table.rules:
        if rule.stars > fired.stars and _reachable(rule, values):
            for key in _failures(table, values, rule):
                blocked.setdefault(key, []).append(rule.id)
    return tuple(
        HeldBack(key, values[key] or 0, key in table.judgements, tuple(blocked[key]))
        for key in table.inputs
        if key in blocked
    )


def _reachable(rule: Rule, values: Mapping[str, int | None]) -> bool:
    return all(max(allowed) >= (values[key] or 0) for key, allowed in rule.judgements.items())


def _failures(table: StarTable, values: Mapping[str, int | None], rule: Rule) -> Iterator[str]:
    for key, allowed in rule.judgements.items():
        if values[key] not in allowed:
            yield key
    for condition in rule.conditions:
        if not condition.holds(_level_scores(table, values, condition.level)):
            for member in table.levels[condition.level].members:
                for key in table.areas_of(member) or (member,):
                    score = values[key]
                    if score is not None and score < condition.threshold:
                        yield key


def _to_next_star(
    table: StarTable, values: Mapping[str, int | None], stars: int
) -> tuple[NextStar, ...]:
    """The fewest raised inputs, then the smallest total raise, that give more stars. Rules
    can jump: where no raise gives exactly one more star, these give the least more."""
    if stars == max(STARS):
        return ()  # nothing to search: no rule gives more than the most
    raisable = [k for k in table.inputs if (values[k] or max(SCORES)) < max(SCORES)]
    for count in range(1, len(raisable) + 1):
        enough = [
            keys
            for keys in itertools.combinations(raisable, count)
            if _fire(table, _raised(values, {k: max(SCORES) for k in keys})).stars > stars
        ]
        if enough:
            return _smallest_raises(table, values, stars, enough)
    return ()


def _smallest_raises(
    table: StarTable,
    values: Mapping[str, int | None],
    stars: int,
    candidates: list[tuple[str, ...]],
) -> tuple[NextStar, ...]:
    for extra in itertools.count():
        found = []
        for keys in candidates:
            caps = [max(SCORES) - (values[k] or 0) for k in keys]
            for steps in _spreads(len(keys) + extra, caps):
                raised = {k: (values[k] or 0) + step for k, step in zip(keys, steps, strict=True)}
                rule = _fire(table, _raised(values, raised))
                if rule.stars > stars:
                    found.append(NextStar(_changes(table, values, raised), rule.stars, rule.id))
        if found:
            return tuple(found)
    raise AssertionError("unreachable: every candidate reaches more stars at its caps")


def _spreads(total: int, caps: list[int]) -> Iterator[tuple[int, ...]]:
    """Every way to share `total` steps among the inputs, at least one each, within caps."""
    if not caps:
        if total == 0:
            yield ()
        return
    for first in range(1, min(caps[0], total - len(caps) + 1) + 1):
        for rest in _spreads(total - first, caps[1:]):
            yield (first, *rest)


def _raised(values: Mapping[str, int | None], raised: Mapping[str, int]) -> dict[str, int | None]:
    return {**values, **raised}


def _changes(
    table: StarTable, values: Mapping[str, int | None], raised: Mapping[str, int]
) -> tuple[Change, ...]:
    return tuple(Change(k, values[k] or 0, to, k in table.judgements) for k, to in raised.items())
