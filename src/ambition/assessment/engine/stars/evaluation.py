"""Which rule of a table fires for a council's values: member and level scores, and the first
rule whose judgements and level conditions all hold."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Rule, StarTable


def _member_score(table: StarTable, values: Mapping[str, int | None], member: str) -> int | None:
    if member in table.blocks:
        scored = [s for a in table.blocks[member].areas if (s := values[a]) is not None]
        return min(scored, default=None)
    return values[member]


def _level_scores(table: StarTable, values: Mapping[str, int | None], level: str) -> list[int]:
    members = table.levels[level].members
    return [s for m in members if (s := _member_score(table, values, m)) is not None]


def _holds(table: StarTable, values: Mapping[str, int | None], rule: Rule) -> bool:
    if any(values[key] not in allowed for key, allowed in rule.judgements.items()):
        return False
    return all(c.holds(_level_scores(table, values, c.level)) for c in rule.conditions)


def _fire(table: StarTable, values: Mapping[str, int | None]) -> Rule:
    # The loader's totality check means some rule always holds.
    return next(rule for rule in table.rules if _holds(table, values, rule))
