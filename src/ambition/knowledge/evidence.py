"""Nesta's standards of evidence, levels 1 to 5, in our own words: how strongly a case
study shows that what a council did caused what it claims. The performance office sets a
case study's level; its author never does."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class EvidenceLevel(models.IntegerChoices):
    DESCRIBED = 1, "Level 1: described"
    CHANGE_SEEN = 2, "Level 2: change seen"
    CAUSE_SHOWN = 3, "Level 3: cause shown"
    CONFIRMED = 4, "Level 4: independently confirmed"
    REPEATED = 5, "Level 5: repeated elsewhere"


@dataclass(frozen=True)
class Standard:
    level: int
    name: str
    meaning: str


MEANINGS = {
    EvidenceLevel.DESCRIBED: (
        "The council can say clearly what it did, for whom, and why it expected that to "
        "help. Nothing has been measured yet."
    ),
    EvidenceLevel.CHANGE_SEEN: (
        "The council measured things before and after, and they changed for the better. "
        "It cannot yet say the work caused the change rather than something else."
    ),
    EvidenceLevel.CAUSE_SHOWN: (
        "The change was compared with a similar group or place that did not have the work, "
        "so the work itself, not chance or a wider trend, is the likely cause."
    ),
    EvidenceLevel.CONFIRMED: (
        "Someone independent of the council evaluated it and found the same effect, and "
        "can explain how it works and what it costs."
    ),
    EvidenceLevel.REPEATED: (
        "Other councils or providers have done it from a written method and got the same "
        "results, so it can be taken up elsewhere with confidence."
    ),
}

STANDARDS = [Standard(int(level), level.label, MEANINGS[level]) for level in EvidenceLevel]
NOT_ASSESSED = "Not yet assessed by the performance office"


def standard(level: int | None) -> Standard | None:
    return None if level is None else STANDARDS[int(level) - 1]
