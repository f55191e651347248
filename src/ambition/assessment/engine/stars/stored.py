"""A rating's ways to more stars as a run stores them, and back again.

A run stores each way as data, `{"stars": 3, "rule": "ca3-3-stars", "changes": [{"input":
"housing", "from": 1, "to": 2, "judgement": false}]}`, and pages write the words. Runs made
before that stored each change as an English sentence ("raise housing from 1 to 2"); a run is
never edited, so `read_next_stars` still reads that shape, and only there is a sentence parsed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from .model import Change, NextStar, StarResult

# Legacy runs only: the sentence runs stored before changes were stored as data.
LEGACY_CHANGE = re.compile(r"^raise (?P<input>\S+) from (?P<before>\d+) to (?P<after>\d+)$")


def stored_next_star(option: NextStar) -> dict[str, Any]:
    """One way to more stars as a run stores it (JSON: the keys are the stored shape)."""
    return {
        "stars": option.stars,
        "rule": option.rule,
        "changes": [
            {"input": c.input, "from": c.from_score, "to": c.to_score, "judgement": c.judgement}
            for c in option.changes
        ],
    }


def stored_rating(result: StarResult) -> dict[str, Any]:
    """A rating's why as a run stores it (JSON): what held it back, the ways to more stars, its
    judgement parts, what it missed and the areas left out for insufficient data."""
    return {
        "held_back": [{**asdict(h), "rules": list(h.rules)} for h in result.held_back],
        "to_next_star": [stored_next_star(n) for n in result.to_next_star],
        "judgement_parts": [asdict(j) for j in result.judgement_parts],
        "missing": [asdict(m) for m in result.missing],
        "left_out": list(result.left_out),
    }


def read_next_stars(
    entries: Sequence[Mapping[str, Any]], judgements: Collection[str]
) -> tuple[NextStar, ...]:
    """A stored rating's ways to more stars, from either shape a run may hold. `judgements`
    are the star table's judgement keys: a legacy sentence does not say which inputs are
    judgements, so they are told apart by key."""
    return tuple(
        NextStar(
            changes=tuple(_read_change(c, judgements) for c in entry["changes"]),
            stars=entry["stars"],
            rule=entry.get("rule", ""),  # legacy runs did not store the rule
        )
        for entry in entries
    )


def _read_change(entry: Mapping[str, Any] | str, judgements: Collection[str]) -> Change:
    if isinstance(entry, str):
        return _read_legacy_change(entry, judgements)
    return Change(entry["input"], entry["from"], entry["to"], bool(entry["judgement"]))


def _read_legacy_change(text: str, judgements: Collection[str]) -> Change:
    """A change as runs stored it before they stored data: "raise <input> from <n> to <m>"."""
    found = LEGACY_CHANGE.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not a change any run has stored")
    key = found["input"]
    return Change(key, int(found["before"]), int(found["after"]), key in judgements)
