"""The key of one combination of expense type, account, service and purpose: a digest of the
four texts as the rules read them (`rules.normalised`), so texts the rules cannot tell apart
("LEGAL FEES", "Legal-fees ") share a key. A label is stored under it and looked up by it;
this module is the one place it is made."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import polars as pl

from .rules import FIELDS, normalised

# Between two normalised texts: a character normalisation never leaves in one.
_SEPARATOR = "\x1f"


def combination_key(texts: Sequence[str | None]) -> str:
    """The key of one combination, its four texts in the order of `rules.FIELDS`."""
    if len(texts) != len(FIELDS):
        raise ValueError(f"a combination has {len(FIELDS)} texts ({', '.join(FIELDS)})")
    frame = pl.DataFrame({f: [t] for f, t in zip(FIELDS, texts, strict=True)})
    return str(combination_keys(frame).item())


def combination_keys(frame: pl.DataFrame) -> pl.Series:
    """The key of each row's combination (`rules.FIELDS` columns; a missing one counts as
    not given), normalising each field once for all rows."""
    columns = [
        normalised([t or "" for t in frame.get_column(f).cast(pl.String).to_list()])
        if f in frame.columns
        else [None] * frame.height
        for f in FIELDS
    ]
    keys = [_digest(texts) for texts in zip(*columns, strict=True)] if frame.height else []
    return pl.Series("key", keys, dtype=pl.String)


def _digest(texts: Sequence[str | None]) -> str:
    joined = _SEPARATOR.join((t or "").strip() for t in texts)
    return hashlib.sha256(joined.encode()).hexdigest()
