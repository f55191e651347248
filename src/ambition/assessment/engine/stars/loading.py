"""Reading a star rule table from TOML and checking it: every field known and of the right
kind, every name defined, a catch-all rule for every combination of judgements, and every
published outcome the table records reproduced."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

from .evaluation import _fire
from .inputs import StarInputError, understood
from .model import (
    INFERRED,
    SCORES,
    STARS,
    Block,
    Condition,
    Judgement,
    Level,
    Outcome,
    Rule,
    StarTable,
    StarTableError,
)
from .rating import _missing, _values

TABLE_KEYS = {
    "name",
    "title",
    "description",
    "judgements",
    "blocks",
    "levels",
    "rules",
    "outcomes",
}
RULE_KEYS = {"id", "stars", "text", "source", "reasoning", "judgements", "levels"}
OUTCOME_KEYS = {"name", "stars", "citation", "note", "judgements", "scores"}
COUNT_KEYS = {"level", "below", "at_most"}
SHARE_KEYS = {"level", "at_or_above", "at_least_share"}
KINDS = {int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a table"}


def load_table(path: Path | str, service_areas: Collection[str] | None = None) -> StarTable:
    """Read and check a rule table. Given `service_areas` (codes), every area it names must be
    one of them. Raises StarTableError naming the rule and field at fault."""
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise StarTableError(f"{path.name}: not valid TOML: {error}") from error
    _only(document, {"stars"}, path.name)
    raw = _get(document, "stars", dict, path.name)
    where = f"{path.name} [stars]"
    _only(raw, TABLE_KEYS, where)
    judgements = _judgements(_get(raw, "judgements", dict, where, {}), where)
    blocks = _blocks(_get(raw, "blocks", dict, where, {}), judgements, service_areas, where)
    levels = _levels(raw, judgements, blocks, service_areas, where)
    rules = _rules(_get(raw, "rules", list, where), judgements, levels, path.name)
    table = StarTable(
        _get(raw, "name", str, where),
        _get(raw, "title", str, where, ""),
        _get(raw, "description", str, where, ""),
        judgements,
        blocks,
        levels,
        rules,
    )
    _check_total(table, path.name)
    return _with_outcomes(table, _get(raw, "outcomes", list, where, []), path.name)


def _only(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise StarTableError(f"{where}: unknown field {unknown[0]!r} (known: {sorted(allowed)})")


def _get(raw: Mapping[str, Any], key: str, kind: type, where: str, default: Any = ...) -> Any:
    if key not in raw:
        if default is ...:
            raise StarTableError(f"{where}: field {key!r} is required")
        return default
    value = raw[key]
    # bool is an int to Python, never to a table's reader.
    if type(value) is not kind and not (kind is float and type(value) is int):
        raise StarTableError(f"{where}: field {key!r} must be {KINDS[kind]}, not {value!r}")
    return value


def _judgements(raw: Mapping[str, Any], where: str) -> dict[str, Judgement]:
    judgements = {}
    for key, spec in raw.items():
        here = f"{where} judgement {key!r}"
        _only(_get(raw, key, dict, where), {"label", "description"}, here)
        judgements[key] = Judgement(
            key, _get(spec, "label", str, here), _get(spec, "description", str, here, "")
        )
    return judgements


def _blocks(
    raw: Mapping[str, Any],
    judgements: Mapping[str, Judgement],
    service_areas: Collection[str] | None,
    where: str,
) -> dict[str, Block]:
    blocks = {}
    for name, spec in raw.items():
        here = f"{where} block {name!r}"
        _only(_get(raw, name, dict, where), {"label", "areas", "combine"}, here)
        if _get(spec, "combine", str, here, "min") != "min":
            raise StarTableError(f"{here}: field 'combine' must be 'min'")
        areas = _names(spec, "areas", here)
        for area in areas:
            if area in judgements or (service_areas is not None and area not in service_areas):
                raise StarTableError(f"{here}: field 'areas': {area!r} is not a service area")
        blocks[name] = Block(name, _get(spec, "label", str, here), areas)
    return blocks


def _names(spec: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    names = _get(spec, key, list, where)
    if not names or not all(isinstance(name, str) for name in names):
        raise StarTableError(f"{where}: field {key!r} must name at least one, as strings")
    if len(set(names)) < len(names):
        raise StarTableError(f"{where}: field {key!r} names something twice")
    return tuple(names)


def _levels(
    raw: Mapping[str, Any],
    judgements: Mapping[str, Judgement],
    blocks: Mapping[str, Block],
    service_areas: Collection[str] | None,
    where: str,
) -> dict[str, Level]:
    levels, seen = {}, set[str]()
    for name, spec in _get(raw, "levels", dict, where).items():
        here = f"{where} level {name!r}"
        _only(_get(raw["levels"], name, dict, where), {"label", "members", "min_scored"}, here)
        members = _names(spec, "members", here)
        for member in members:
            known = member in judgements or member in blocks
            if not known and service_areas is not None and member not in service_areas:
                raise StarTableError(f"{here}: field 'members': {member!r} names nothing known")
            # An area counted twice would weigh twice in every rule; a block's areas count too.
            for key in blocks[member].areas if member in blocks else (member,):
                if key in seen:
                    raise StarTableError(f"{here}: field 'members': {key!r} is in two levels")
                seen.add(key)
        min_scored = _get(spec, "min_scored", int, here, 1)
        if not 1 <= min_scored <= len(members):
            raise StarTableError(f"{here}: field 'min_scored' must be 1 to {len(members)}")
        levels[name] = Level(name, _get(spec, "label", str, here), members, min_scored)
    if not levels:
        raise StarTableError(f"{where}: field 'levels' must define at least one level")
    return levels


def _rules(
    raw: list[Any],
    judgements: Mapping[str, Judgement],
    levels: Mapping[str, Level],
    filename: str,
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for number, spec in enumerate(raw, start=1):
        if not isinstance(spec, dict):
            raise StarTableError(f"{filename}: rule {number} must be a table")
        rule = _rule(spec, judgements, levels, f"{filename}: rule {spec.get('id', number)!r}")
        if any(rule.id == other.id for other in rules):
            raise StarTableError(f"{filename}: rule {rule.id!r}: field 'id' is used twice")
        rules.append(rule)
    return tuple(rules)


def _rule(
    spec: Mapping[str, Any],
    judgements: Mapping[str, Judgement],
    levels: Mapping[str, Level],
    where: str,
) -> Rule:
    _only(spec, RULE_KEYS, where)
    stars = _get(spec, "stars", int, where)
    if stars not in STARS:
        raise StarTableError(f"{where}: field 'stars': {stars} is outside 0..4")
    source = _get(spec, "source", str, where)
    reasoning = _get(spec, "reasoning", str, where, "")
    if source == INFERRED and not reasoning.strip():
        raise StarTableError(f"{where}: field 'reasoning' is required when source is inferred")
    conditions = tuple(_condition(c, levels, where) for c in _get(spec, "levels", list, where, []))
    allowed = _judgement_values(_get(spec, "judgements", dict, where, {}), judgements, where)
    text = _get(spec, "text", str, where)
    return Rule(_get(spec, "id", str, where), stars, text, source, reasoning, allowed, conditions)


def _judgement_values(
    raw: Mapping[str, Any], judgements: Mapping[str, Judgement], where: str
) -> dict[str, frozenset[int]]:
    allowed = {}
    for key, value in raw.items():
        if key not in judgements:
            raise StarTableError(f"{where}: field 'judgements': {key!r} is not a judgement")
        values = value if isinstance(value, list) else [value]
        if not values or any(type(v) is not int or v not in SCORES for v in values):
            raise StarTableError(f"{where}: field 'judgements': {key} must be scores 1..4")
        allowed[key] = frozenset(values)
    return allowed


def _condition(spec: Any, levels: Mapping[str, Level], where: str) -> Condition:
    if not isinstance(spec, dict):
        raise StarTableError(f"{where}: field 'levels' must hold tables")
    level = _get(spec, "level", str, where)
    if level not in levels:
        raise StarTableError(f"{where}: field 'levels': level {level!r} is not defined")
    if "below" in spec:
        _only(spec, COUNT_KEYS, where)
        at_most = _get(spec, "at_most", int, where, 0)
        below = _score(spec, "below", where)
        if below == 1 or at_most < 0:
            raise StarTableError(f"{where}: field 'below' must be 2..4 and 'at_most' 0 or more")
        return Condition(level, below, at_most=at_most)
    _only(spec, SHARE_KEYS, where)
    share = Fraction(str(_get(spec, "at_least_share", float, where)))
    if not 0 < share <= 1:
        raise StarTableError(f"{where}: field 'at_least_share' must be more than 0, at most 1")
    return Condition(level, _score(spec, "at_or_above", where), share=share)


def _score(spec: Mapping[str, Any], key: str, where: str) -> int:
    score: int = _get(spec, key, int, where)
    if score not in SCORES:
        raise StarTableError(f"{where}: field {key!r}: {score} is not a score 1..4")
    return score


def _check_total(table: StarTable, filename: str) -> None:
    """Every combination of judgement values needs a catch-all (a rule with no level
    conditions), so that every council is rated by some rule."""
    keys = sorted({key for rule in table.rules for key in rule.judgements})
    for values in itertools.product(SCORES, repeat=len(keys)):
        judged = dict(zip(keys, values, strict=True))
        if not any(_catches_all(rule, judged) for rule in table.rules):
            case = ", ".join(f"{k}={v}" for k, v in judged.items()) or "every council"
            raise StarTableError(f"{filename}: no catch-all rule (without 'levels') for {case}")


def _catches_all(rule: Rule, judged: Mapping[str, int]) -> bool:
    return not rule.conditions and all(judged[k] in v for k, v in rule.judgements.items())


def _with_outcomes(table: StarTable, raw: list[Any], filename: str) -> StarTable:
    """The table with its published outcomes, each checked to be reproduced."""
    outcomes = tuple(_outcome(table, spec, filename) for spec in raw)
    for outcome in outcomes:
        _check_outcome(table, outcome, filename)
    return replace(table, outcomes=outcomes)


def _outcome(table: StarTable, spec: Any, filename: str) -> Outcome:
    if not isinstance(spec, dict):
        raise StarTableError(f"{filename}: every outcome must be a table")
    where = f"{filename}: outcome {spec.get('name', '')!r}"
    _only(spec, OUTCOME_KEYS, where)
    stars = _get(spec, "stars", int, where)
    if stars not in STARS:
        raise StarTableError(f"{where}: field 'stars': {stars} is outside 0..4")
    judgements = _get(spec, "judgements", dict, where, {})
    scores = _get(spec, "scores", dict, where, {})
    try:
        understood(table, judgements, scores)
    except StarInputError as error:
        raise StarTableError(f"{where}: {error}") from error
    return Outcome(
        _get(spec, "name", str, where),
        stars,
        _get(spec, "citation", str, where),
        _get(spec, "note", str, where, ""),
        judgements,
        scores,
    )


def _check_outcome(table: StarTable, outcome: Outcome, filename: str) -> None:
    """The table must give a published outcome its published stars: a table that does not is
    wrong about at least one council, whatever its sources say."""
    given = understood(table, outcome.judgements, outcome.scores)
    values = _values(table, given.judgements, given.scores)
    where = f"{filename}: outcome {outcome.name!r}"
    if missing := _missing(table, values):
        raise StarTableError(f"{where}: not rated, {missing[0].input}: {missing[0].reason}")
    fired = _fire(table, values)
    if fired.stars != outcome.stars:
        raise StarTableError(
            f"{where}: published {outcome.stars} stars, but the table gives {fired.stars} "
            f"(rule {fired.id!r})"
        )
