"""Star ratings (0-4) from a rule table, with why: the rule that fired, the inputs that held
back each rule with more stars, and the smallest raises that would give at least one more.

A table is a TOML file; its format is documented at the top of every shipped table
(`data/methodologies/*-stars.toml`). The inputs are judgements (key -> 1..4, entered by the
performance office) and service-area scores (code -> 1..4). None means insufficient data: the
area is left out of its level's counts, a block scores its weakest scored area, and a level
with fewer scored members than its `min_scored`, or a judgement without a value, gives no
rating, with `missing` saying which.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

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
class StarTable:
    name: str
    title: str
    description: str
    judgements: Mapping[str, Judgement]
    blocks: Mapping[str, Block]
    levels: Mapping[str, Level]
    rules: tuple[Rule, ...]

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
    input: str
    from_score: int
    to_score: int
    judgement: bool

    def __str__(self) -> str:
        return f"raise {self.input} from {self.from_score} to {self.to_score}"


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


# Loading ------------------------------------------------------------------------------------

TABLE_KEYS = {"name", "title", "description", "judgements", "blocks", "levels", "rules"}
RULE_KEYS = {"id", "stars", "text", "source", "reasoning", "judgements", "levels"}
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
    return table


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


# Rating -------------------------------------------------------------------------------------


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
