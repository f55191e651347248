"""Where an authority stands among others on an indicator once its intervals are allowed
for: the range of ranks it could hold (`intervals.rank_range`), read from the published
observations. The assessment's scorecard asks this before it colours a position."""

from __future__ import annotations

from collections.abc import Iterable

from .intervals import Estimate, rank_range
from .models import Observation


def rank_spans(
    indicator_id: int, period_label: str, authority_ids: Iterable[int], polarity: str
) -> dict[int, tuple[int, int]]:
    """Each authority's (best, worst) rank among `authority_ids` in the period, where every
    value has an interval; empty where any value lacks one (the plain ranks then stand)."""
    rows = list(
        Observation.public_objects.latest_revision()
        .filter(
            indicator_id=indicator_id,
            period__label=period_label,
            authority_id__in=list(authority_ids),
            value__isnull=False,
        )
        .values_list("authority_id", "value", "lower", "upper")
    )
    if not rows or any(lower is None or upper is None for _, _, lower, upper in rows):
        return {}
    spans = rank_range([Estimate(v, lo, hi) for _, v, lo, hi in rows], polarity)
    return {a: span for (a, *_), span in zip(rows, spans, strict=True) if span is not None}
