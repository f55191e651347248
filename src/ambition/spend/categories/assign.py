"""Every transaction's procurement category, the one way it is decided: a person's label for
its combination of fields first, then the word rules (`rules`). What every page, report and
check that speaks of a transaction's category calls."""

from __future__ import annotations

import polars as pl

from .rules import Rules, categorise

SOURCE = "source"  # how the category was decided: "rules" (or null where none was)


def assign(frame: pl.DataFrame, rules: Rules | None = None) -> pl.DataFrame:
    """The frame, rows as they were, with `category` (a code or null), `cpv`, `why` and
    `source` (how the category was decided)."""
    done = categorise(frame, rules)
    return done.with_columns(
        pl.when(pl.col("category").is_not_null()).then(pl.lit("rules")).alias(SOURCE)
    )
