"""ambition rate: what a council would get from a methodology's star table, for judgements and
scores you choose; nothing is stored. Prints the stars, the rule that fired and why, as the
scorecard says it, or the same result as JSON (the API's) with --format json."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ambition.assessment.diff import stars_text
from ambition.assessment.engine.stars import StarInputError, StarTable
from ambition.assessment.methodology import MethodologyError, available, load
from ambition.assessment.trying import (
    held_back_rows,
    named,
    next_star_options,
    parsed_pairs,
    what_if,
)


class Command(BaseCommand):
    help = (
        "Rate a council you describe: the stars a methodology's star table gives these "
        "judgements and service-area scores (1-4), the rule that fired and why. A --score may "
        "name a block or a level of the star table, which sets each of its members; an area "
        "named on its own wins. An area left out counts as not scored. Nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--method", default="ambition-default", help=f"One of: {', '.join(available())}"
        )
        parser.add_argument(
            "--judgement",
            action="append",
            default=[],
            metavar="KEY=N",
            help="A judgement of the star table, e.g. corporate_assessment=3 (repeatable)",
        )
        parser.add_argument(
            "--score",
            action="append",
            default=[],
            metavar="AREA=N",
            help="A service area, block or level and its score, e.g. housing=2 (repeatable)",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            judgements = parsed_pairs(options["judgement"])
            scores = parsed_pairs(options["score"])
            result = what_if(options["method"], judgements, scores)
        except (StarInputError, MethodologyError) as error:
            raise CommandError(str(error)) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2))
        else:
            table = load(options["method"]).stars
            self.stdout.write("\n".join(why_lines(result, table)))


def why_lines(result: Mapping[str, Any], table: StarTable) -> Iterator[str]:
    """The result in words, as the scorecard's "why" says it."""
    method = result["method"]
    yield f"{method['name']} (version {method['version']}): {stars_text(result['stars'])}"
    if result["stars"] is None:
        yield "Not rated: the star table needs inputs it does not have."
        yield from (
            f"  {named(m['input'], result['names'])}: {m['reason']}." for m in result["missing"]
        )
    else:
        yield from rule_lines(result["rule"])
        yield from held_back_lines(result, table)
        yield from next_star_lines(result)
    if result["left_out"]:
        left_out = ", ".join(named(a, result["names"]) for a in result["left_out"])
        yield f"Left out for insufficient data: {left_out}."
    yield from input_lines(result)


def rule_lines(rule: Mapping[str, Any]) -> Iterator[str]:
    yield f"The first rule of the star table that it meets is {rule['id']}:"
    yield f"  {rule['text']}"
    if rule["inferred"]:
        yield "  This rule could not be found in the published framework and was inferred."
        yield f"  The reasoning: {rule['reasoning']}"
    else:
        yield f"  Source: {rule['source']}"


def held_back_lines(result: Mapping[str, Any], table: StarTable) -> Iterator[str]:
    rows = held_back_rows(result["held_back"], result["names"], table)
    if not rows:
        top = result["stars"] == 4
        yield "Four stars is the highest rating." if top else "No higher rule is within reach."
        return
    yield "What held it back: each rule with more stars failed because of these scores."
    for row in rows:
        judged = " (a judgement)" if row["judgement"] else ""
        rules = ", ".join(f"{r['id']} ({stars_text(r['stars'])})" for r in row["rules"])
        yield f"  {row['name']}{judged}, {row['score']}: stopped {rules}"


def next_star_lines(result: Mapping[str, Any]) -> Iterator[str]:
    judged = {i["input"] for i in result["inputs"] if i["judgement"]}
    options, more = next_star_options(result["to_next_star"], result["names"], judged)
    if not options:
        return
    yield "What would earn more stars: the fewest changes" + (
        ", any one of these:" if len(options) > 1 else ":"
    )
    for option in options:
        changes = " and ".join(
            f"raise {c['name']}{' (a judgement)' if c['judgement'] else ''} "
            f"from {c['before']} to {c['after']}"
            for c in option["changes"]
        )
        yield f"  {changes}: {stars_text(option['stars'])}"
    if more:
        yield f"  And {more} other way{'s' if more > 1 else ''} with as few changes."


def input_lines(result: Mapping[str, Any]) -> Iterator[str]:
    yield "The inputs as understood:"
    for row in result["inputs"]:
        kind = " (judgement)" if row["judgement"] else ""
        score = "not scored" if row["score"] is None else str(row["score"])
        source = row["given_as"]
        given = (
            "" if source in (None, row["input"]) else f" (from {named(source, result['names'])})"
        )
        yield f"  {row['name']}{kind}: {score}{given}"
