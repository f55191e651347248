"""Columns to canonical fields, by name and by content, with a confidence for each column
and the questions a person must answer: two columns that could each be the amount, or no
column for a field a record needs. An ambiguous mapping is asked, never guessed.

A mapping a person has confirmed is saved as {heading: field} (None for a column left
out), and applied to the next file whose headings are the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ambition.indicators.layouts import column_letter

from .content import filled, fit, looks_like
from .fields import REQUIRED, AmountKind, Field, folded, named_field

# A heading beats a rival for its field when it is this much more certain; closer, a
# person decides.
MARGIN = 0.25
BY_CONTENT_ONLY = 0.5  # the confidence of a column named by its content, at best

SavedMapping = dict[str, str | None]


class Question(StrEnum):
    CONTESTED = "contested"  # more than one column could be the field
    MISSING = "missing"  # no column for a field a record needs


@dataclass(frozen=True, slots=True)
class Ambiguity:
    field: Field
    question: Question
    columns: tuple[str, ...]  # the columns that could be it (none when missing)


@dataclass(frozen=True, slots=True)
class Mapping:
    labels: list[str]  # each column's heading, or "column H" where it has none
    fields: dict[int, Field]  # column index -> field
    confidence: dict[int, float]  # column index -> 0..1
    ambiguities: list[Ambiguity] = field(default_factory=list)
    amount_kind: AmountKind | None = None
    saved: bool = False  # whether a confirmed mapping was applied

    def column(self, wanted: Field) -> int | None:
        return next((index for index, name in self.fields.items() if name is wanted), None)

    @property
    def unmapped(self) -> list[str]:
        """The columns read into no field."""
        return [label for index, label in enumerate(self.labels) if index not in self.fields]

    def as_saved(self) -> SavedMapping:
        """The mapping as a person confirms it and the next file reuses it."""
        return {label: _field_name(self.fields.get(i)) for i, label in enumerate(self.labels)}


def labels_of(headings: Sequence[str], width: int) -> list[str]:
    """Each column's heading, trimmed, or its letter where the header leaves it empty."""
    padded = [*headings, *[""] * (width - len(headings))]
    return [text.strip() or f"column {column_letter(i)}" for i, text in enumerate(padded)]


def map_columns(
    labels: list[str],
    columns: list[list[str]],
    saved: SavedMapping | None = None,
    period_given: bool = False,
) -> Mapping:
    """The mapping of columns (`labels`, and each column's values) to fields. `saved` is
    applied when its headings are this file's; `period_given` says the caller has a
    period for the whole file, so no date column is needed."""
    if saved is not None and _same_headings(saved, labels):
        return _applied(labels, saved, period_given)
    samples = [filled(values) for values in columns]
    candidates = _by_name(labels, samples)
    _add_by_content(candidates, samples)
    return _decided(labels, candidates, period_given)


def _same_headings(saved: SavedMapping, labels: list[str]) -> bool:
    return sorted(map(folded, saved)) == sorted(map(folded, labels))


def _applied(labels: list[str], saved: SavedMapping, period_given: bool) -> Mapping:
    by_heading = {folded(heading): name for heading, name in saved.items()}
    fields = {
        i: Field(name) for i, label in enumerate(labels) if (name := by_heading[folded(label)])
    }
    kinds = [named_field(labels[i]) for i, name in fields.items() if name is Field.AMOUNT]
    kind = kinds[0].amount_kind if kinds and kinds[0] else None
    mapping = Mapping(labels, fields, dict.fromkeys(fields, 1.0), [], kind, saved=True)
    mapping.ambiguities.extend(_missing(mapping, period_given))
    return mapping


Candidates = dict[Field, list[tuple[int, float]]]


def _by_name(labels: list[str], samples: list[list[str]]) -> Candidates:
    candidates: Candidates = {}
    for index, label in enumerate(labels):
        naming = named_field(label)
        if naming is None or not samples[index]:
            continue  # an empty column is no rival to a filled one
        confidence = naming.strength * (0.5 + 0.5 * fit(naming.field, samples[index]))
        candidates.setdefault(naming.field, []).append((index, confidence))
    return candidates


def _add_by_content(candidates: Candidates, samples: list[list[str]]) -> None:
    """Columns no heading names, offered for the fields no heading names either."""
    named = {index for found in candidates.values() for index, _ in found}
    for index, values in enumerate(samples):
        if index in named or len(values) < 2:
            continue
        for field_, share in looks_like(values)[:1]:
            if field_ not in candidates or _by_content(candidates[field_]):
                candidates.setdefault(field_, []).append((index, BY_CONTENT_ONLY * share))


def _by_content(found: list[tuple[int, float]]) -> bool:
    return all(confidence <= BY_CONTENT_ONLY for _, confidence in found)


def _decided(labels: list[str], candidates: Candidates, period_given: bool) -> Mapping:
    fields: dict[int, Field] = {}
    confidence: dict[int, float] = {}
    ambiguities: list[Ambiguity] = []
    for field_, found in candidates.items():
        ranked = sorted(found, key=lambda pair: -pair[1])
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
            rivals = tuple(labels[i] for i, c in ranked if ranked[0][1] - c < MARGIN)
            ambiguities.append(Ambiguity(field_, Question.CONTESTED, rivals))
            continue
        fields[ranked[0][0]], confidence[ranked[0][0]] = field_, ranked[0][1]
    mapping = Mapping(labels, fields, confidence, ambiguities, _kind(labels, fields))
    mapping.ambiguities.extend(_missing(mapping, period_given))
    return mapping


def _kind(labels: list[str], fields: dict[int, Field]) -> AmountKind | None:
    index = next((i for i, name in fields.items() if name is Field.AMOUNT), None)
    naming = named_field(labels[index]) if index is not None else None
    return naming.amount_kind if naming else None


def _missing(mapping: Mapping, period_given: bool) -> list[Ambiguity]:
    contested = {ambiguity.field for ambiguity in mapping.ambiguities}
    needed = list(REQUIRED)
    if not period_given and mapping.column(Field.PERIOD) is None:
        needed.append(Field.DATE)
    return [
        Ambiguity(name, Question.MISSING, ())
        for name in needed
        if mapping.column(name) is None and name not in contested
    ]


def _field_name(name: Field | None) -> str | None:
    return name.value if name is not None else None
