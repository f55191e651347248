"""A council's inputs as a person gives them, read against a star table: judgements by key, and
scores by service area or by the name of one of the table's blocks or levels.

A block name sets every service area of the block. A level name sets every member of the level:
its service areas, every area of a block it counts, and a judgement it counts (CPA's level 1
counts the use of resources judgement). The most specific name wins: an area named on its own
over its block, either over its level, and a judgement given as a judgement over its level's
value. An input left out is not scored (None), as is one given as None.

Used by the what-if (`ambition rate`, the API and the try page) and by the loader, which reads
a table's published outcomes the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import SCORES, StarTable


class StarInputError(ValueError):
    """An input the table cannot read; the message names it."""


@dataclass(frozen=True)
class Understood:
    """Every input of the table with its score (None: not scored), and for each input that was
    given a score the name it was given under: itself, its block or its level."""

    judgements: dict[str, int | None]
    scores: dict[str, int | None]
    given_as: dict[str, str]


def understood(
    table: StarTable, judgements: Mapping[str, object], scores: Mapping[str, object]
) -> Understood:
    """Read judgements {KEY: N} and scores {NAME: N} (N 1-4 or None) against the table.
    Raises StarInputError naming the first unknown name or bad value."""
    judged = {key: _judgement(table, key, value) for key, value in judgements.items()}
    # Levels first, then blocks, then areas: the more specific name is written last, and wins.
    order = sorted(scores, key=lambda name: _specificity(table, name))
    values: dict[str, int | None] = dict.fromkeys(table.inputs)
    given_as: dict[str, str] = {}
    for name in order:
        targets = _targets(table, name)
        value = _check(name, scores[name])
        for key in targets:
            values[key], given_as[key] = value, name
    for key, score in judged.items():
        values[key], given_as[key] = score, key
    return Understood(
        {k: values[k] for k in table.judgements},
        {a: values[a] for a in table.service_areas},
        {k: given_as[k] for k in table.inputs if k in given_as},
    )


def _judgement(table: StarTable, key: str, value: object) -> int | None:
    if key not in table.judgements:
        raise StarInputError(
            f"{key!r} is not a judgement of {table.name}: {_known_judgements(table)}"
        )
    return _check(key, value)


def _check(name: str, value: object) -> int | None:
    # bool is an int to Python, never a score to a person.
    if value is not None and (type(value) is not int or value not in SCORES):
        raise StarInputError(f"{name}: {value!r} is not a score 1-4")
    return value


def _specificity(table: StarTable, name: str) -> int:
    if name in table.levels:
        return 0
    return 1 if name in table.blocks else 2


def _targets(table: StarTable, name: str) -> tuple[str, ...]:
    """The inputs a score given under `name` sets."""
    if name in table.judgements:
        raise StarInputError(f"{name!r} is a judgement of {table.name}: give it as a judgement")
    if name in table.levels:
        members = table.levels[name].members
        return tuple(k for m in members for k in (table.areas_of(m) or (m,)))
    if name in table.blocks:
        return table.blocks[name].areas
    if name in table.service_areas:
        return (name,)
    known = [*table.service_areas, *table.blocks, *table.levels]
    raise StarInputError(
        f"{name!r} is not a service area, block or level of {table.name}: one of {', '.join(known)}"
    )


def _known_judgements(table: StarTable) -> str:
    if not table.judgements:
        return "it has none"
    return f"one of {', '.join(table.judgements)}"
