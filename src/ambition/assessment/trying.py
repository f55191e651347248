"""What would a council get? A what-if star rating for any methodology, from judgements and
service-area scores that anyone may choose: `ambition rate`, `POST /api/v1/methods/{name}/rate`
and the try page all call `what_if` and show its one plain result.

Inputs are judgements {KEY: N} and scores {NAME: N}, N 1-4. NAME is a service area, or the name
of a block or a level of the method's star table: a block name sets every area of the block, a
level name sets every member of the level (every area of a block it counts, and a judgement it
counts, such as CPA's use of resources); an area or judgement named on its own wins over its
block's or level's value (`engine.stars.understood`). An area left out is not scored, as it
would be for insufficient data. An unknown name or a value outside 1-4 raises StarInputError
naming it; an unknown method raises MethodologyError.

The result is what a run stores of a rating (`engine.stars.stored_rating`: held back, the ways
to more stars, judgement parts, missing, left out) with the stars, the rule that fired (its id,
text, source and reasoning), the method's name, version and hash, and every input as understood.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ambition.indicators.models import ServiceArea

from .diff import judgement_label
from .engine.stars import (
    Rule,
    StarInputError,
    StarResult,
    StarTable,
    Understood,
    rate,
    read_next_stars,
    stored_rating,
    understood,
)
from .methodology import Methodology, load

NEXT_STAR_OPTIONS = 5
AREA_NAMES_KEY = "assessment:service-area-names"
AREA_NAMES_SECONDS = 60  # a service area renamed elsewhere shows within a minute
PAIR = re.compile(r"^\s*(?P<name>[^=:\s]+)\s*[=:]\s*(?P<score>\S*)\s*$")


def what_if(
    method: str, judgements: Mapping[str, object], scores: Mapping[str, object]
) -> dict[str, Any]:
    """The rating the method called `method` gives these inputs, as the plain result every
    front end shows."""
    return rating_by(load(method), judgements, scores)


def rating_by(
    method: Methodology, judgements: Mapping[str, object], scores: Mapping[str, object]
) -> dict[str, Any]:
    given = understood(method.stars, judgements, scores)
    return result_of(method, given, rate(method.stars, given.judgements, given.scores))


def result_of(method: Methodology, given: Understood, result: StarResult) -> dict[str, Any]:
    """The one serialiser of a what-if (JSON): the API answers it, the command prints it."""
    names = input_names(method.stars)
    scores = {**given.judgements, **given.scores}
    return {
        "method": {"name": method.name, "version": method.version, "sha256": method.sha256},
        "stars": result.stars,
        "rule": rule_of(result.rule),
        **stored_rating(result),
        "inputs": [
            {
                "input": key,
                "name": named(key, names),
                "judgement": key in method.stars.judgements,
                "score": scores[key],
                "given_as": given.given_as.get(key),
            }
            for key in method.stars.inputs
        ],
        "names": names,
    }


def rule_of(rule: Rule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {
        "id": rule.id,
        "stars": rule.stars,
        "text": rule.text,
        "source": rule.source,
        "reasoning": rule.reasoning,
        "inferred": rule.inferred,
    }


# Reading inputs as people type them --------------------------------------------------------


def parsed_pairs(pairs: Iterable[str]) -> dict[str, int | None]:
    """Scores typed as NAME=N (the command) or NAME:N (the try page's address), a later one for
    the same name winning. NAME= with no score says "not scored", which wins over a block's or
    level's value as a score would; an empty pair (a select left blank) says nothing."""
    found: dict[str, int | None] = {}
    for pair in pairs:
        if not pair.strip():
            continue
        match = PAIR.match(pair)
        if match is None:
            raise StarInputError(f"{pair!r} is not NAME=N")
        name, score = match["name"], match["score"]
        if score and score not in {"1", "2", "3", "4"}:
            raise StarInputError(f"{name}: {score!r} is not a score 1-4")
        found[name] = int(score) if score else None
    return found


# Names and words ---------------------------------------------------------------------------


def input_names(table: StarTable | None) -> dict[str, str]:
    """Every service area's name, and the table's judgements', blocks' and levels' labels."""
    names = area_names()
    if table is not None:
        names |= {k: j.label for k, j in table.judgements.items()}
        names |= {k: b.label for k, b in table.blocks.items()}
        names |= {k: level.label for k, level in table.levels.items()}
    return names


def area_names() -> dict[str, str]:
    """Every service area's name, kept for AREA_NAMES_SECONDS: a what-if then asks nothing of
    the database, whose connection would cost each request more than the rating does."""
    names: dict[str, str] | None = cache.get(AREA_NAMES_KEY)
    if names is None:
        names = dict(ServiceArea.objects.values_list("code", "name"))
        cache.set(AREA_NAMES_KEY, names, timeout=AREA_NAMES_SECONDS)
    return dict(names)


@receiver([post_save, post_delete], sender=ServiceArea)
def _forget_area_names(**kwargs: object) -> None:
    """A service area saved here is named anew at once (other processes wait out the minute)."""
    cache.delete(AREA_NAMES_KEY)


def named(key: str, names: Mapping[str, str]) -> str:
    return names.get(key) or judgement_label(key)


def held_back_rows(
    entries: Sequence[Mapping[str, Any]], names: Mapping[str, str], table: StarTable | None
) -> list[dict[str, Any]]:
    """What held a rating back (as a run stores it), weakest first, each input named and each
    rule it stopped with the stars that rule gives."""
    stars = {r.id: r.stars for r in table.rules} if table else {}
    rows = []
    for held in entries:
        rules = list(dict.fromkeys(held["rules"]))
        rows.append(
            {
                "input": held["input"],
                "name": named(held["input"], names),
                "score": held["score"],
                "judgement": held["judgement"],
                "rules": [{"id": r, "stars": stars.get(r)} for r in rules],
                "best": max((stars.get(r) or 0 for r in rules), default=None),
            }
        )
    return sorted(rows, key=lambda r: (r["score"], r["name"]))


def next_star_options(
    entries: Sequence[Mapping[str, Any]], names: Mapping[str, str], judged: set[str]
) -> tuple[list[dict[str, Any]], int]:
    """The ways to more stars (as a run stores them), fewest changes first, then the smallest
    raise: at most NEXT_STAR_OPTIONS of them, and how many more there are."""
    options: list[dict[str, Any]] = []
    for option in read_next_stars(entries, judged):
        changes = [
            {
                "input": c.input,
                "name": named(c.input, names),
                "before": c.from_score,
                "after": c.to_score,
                "judgement": c.judgement,
            }
            for c in option.changes
        ]
        raise_by = sum(c.to_score - c.from_score for c in option.changes)
        options.append({"changes": changes, "stars": option.stars, "raise": raise_by})
    options.sort(key=lambda o: (len(o["changes"]), o["raise"], -o["stars"]))
    return options[:NEXT_STAR_OPTIONS], max(0, len(options) - NEXT_STAR_OPTIONS)
