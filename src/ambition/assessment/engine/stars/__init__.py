"""Star ratings (0-4) from a rule table, with why: the rule that fired, the inputs that held
back each rule with more stars, and the smallest raises that would give at least one more.

A table is a TOML file; its format is documented at the top of every shipped table
(`data/methodologies/*-stars.toml`). The inputs are judgements (key -> 1..4, entered by the
performance office) and service-area scores (code -> 1..4). None means insufficient data: the
area is left out of its level's counts, a block scores its weakest scored area, and a level
with fewer scored members than its `min_scored`, or a judgement without a value, gives no
rating, with `missing` saying which.

A table may record published outcomes (a council's inputs and the stars it was given), and the
loader refuses a table that does not reproduce them. People give inputs by service area, block
or level name (`inputs.understood`), and so do a table's outcomes.
"""

from __future__ import annotations

from .inputs import StarInputError, Understood, understood
from .loading import (
    COUNT_KEYS,
    KINDS,
    OUTCOME_KEYS,
    RULE_KEYS,
    SHARE_KEYS,
    TABLE_KEYS,
    load_table,
)
from .model import (
    INFERRED,
    SCORES,
    STARS,
    Block,
    Change,
    Condition,
    HeldBack,
    Judgement,
    JudgementPart,
    Level,
    Missing,
    NextStar,
    Outcome,
    Rule,
    StarResult,
    StarTable,
    StarTableError,
)
from .rating import rate
from .stored import read_next_stars, stored_next_star, stored_rating

__all__ = [
    "COUNT_KEYS",
    "INFERRED",
    "KINDS",
    "OUTCOME_KEYS",
    "RULE_KEYS",
    "SCORES",
    "SHARE_KEYS",
    "STARS",
    "TABLE_KEYS",
    "Block",
    "Change",
    "Condition",
    "HeldBack",
    "Judgement",
    "JudgementPart",
    "Level",
    "Missing",
    "NextStar",
    "Outcome",
    "Rule",
    "StarInputError",
    "StarResult",
    "StarTable",
    "StarTableError",
    "Understood",
    "load_table",
    "rate",
    "read_next_stars",
    "stored_next_star",
    "stored_rating",
    "understood",
]
