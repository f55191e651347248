"""Rating one council: check its values, say what is missing, fire a rule and explain it."""

from __future__ import annotations

from collections.abc import Mapping

from .evaluation import _fire, _level_scores
from .explanation import _held_back, _to_next_star
from .model import SCORES, JudgementPart, Missing, StarResult, StarTable


def rate(
    table: StarTable,
    judgements: Mapping[str, int | None],
    scores: Mapping[str, int | None],
) -> StarResult:
    """The star rating of one council from its judgements and its service-area scores."""
    values = _values(table, judgements, scores)
    parts = tuple(JudgementPart(j.key, j.label, values[j.key]) for j in table.judgements.values())
    left_out = tuple(area for area in table.service_areas if values[area] is None)
    missing = _missing(table, values)
    if missing:
        return StarResult(None, None, (), (), parts, missing, left_out)
    fired = _fire(table, values)
    held_back = _held_back(table, values, fired)
    to_next = _to_next_star(table, values, fired.stars)
    return StarResult(fired.stars, fired, held_back, to_next, parts, (), left_out)


def _values(
    table: StarTable, judgements: Mapping[str, int | None], scores: Mapping[str, int | None]
) -> dict[str, int | None]:
    values = {key: judgements.get(key) for key in table.judgements}
    values |= {area: scores.get(area) for area in table.service_areas}
    for key, value in values.items():
        if value is not None and (type(value) is not int or value not in SCORES):
            raise ValueError(f"{key}: {value!r} is not a score 1..4 or None")
    return values


def _missing(table: StarTable, values: Mapping[str, int | None]) -> tuple[Missing, ...]:
    missing = [Missing(k, "judgement not entered") for k in table.judgements if values[k] is None]
    for level in table.levels.values():
        scored = len(_level_scores(table, values, level.name))
        if scored < level.min_scored:
            reason = f"{scored} of {len(level.members)} scored; the table needs {level.min_scored}"
            missing.append(Missing(level.name, reason))
    return tuple(missing)
