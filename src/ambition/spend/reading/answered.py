"""A file read with the mapping that counts: a person's answers over the authority's
confirmed mapping for the file's headings, over the automatic one. Pure, like the rest of
`reading`: the confirmed mappings come in as a dictionary (`Confirmed`), so a file can be
read in a process of its own while another is stored."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ambition.indicators.periods import Period

from .decoding import EXPANDED_LIMIT
from .fields import folded
from .mapping import SavedMapping
from .rows import Reading, read_spend

# The authority's confirmed mappings, by `headings_key` of their headings: the newest each.
Confirmed = Mapping[str, SavedMapping]
Answers = dict[str, str | None]  # heading -> field (None: leave the column out)


class UnknownHeading(ValueError):
    pass


def headings_key(headings: Iterable[str]) -> str:
    """One key for a set of headings, as the reader compares them (folded, any order)."""
    return hashlib.sha256(json.dumps(sorted(map(folded, headings))).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Answered:
    reading: Reading
    # The mapping a person's answers made, to be confirmed for these headings; None where
    # no answer applied.
    headings: list[str] | None = None
    fields: SavedMapping | None = None


def read_answered(
    data: bytes,
    period: Period | None,
    answers: Answers,
    confirmed: Confirmed,
    limit: int = EXPANDED_LIMIT,
) -> Answered:
    """The file read with the mapping that counts. UnknownHeading where an answer names a
    column the file does not have."""
    reading = read_spend(data, period=period, limit=limit)
    known = {folded(label) for layout in reading.layouts for label in layout.mapping.labels}
    if unknown := [heading for heading in answers if folded(heading) not in known]:
        raise UnknownHeading(f"no column is headed {', '.join(map(repr, unknown))}")
    for layout in reading.layouts:
        labels = layout.mapping.labels
        saved = confirmed.get(headings_key(labels))
        mine = {h: f for h, f in answers.items() if folded(h) in set(map(folded, labels))}
        if saved is None and not mine:
            continue
        fields = _answered(saved if saved is not None else layout.mapping.as_saved(), mine)
        again = read_spend(data, saved=fields, period=period, limit=limit)
        return Answered(again, labels, fields) if mine else Answered(again)
    return Answered(reading)


def _answered(fields: SavedMapping, answers: Answers) -> SavedMapping:
    """A mapping with the answers applied: a field a person gives one column is taken from
    any other column that had it."""
    by_fold = {folded(heading): heading for heading in fields}
    given = {by_fold[folded(h)]: f for h, f in answers.items()}
    taken = {f for f in given.values() if f}
    kept = {h: (None if f in taken else f) for h, f in fields.items()}
    return {**kept, **given}
