"""The broker's database side: gather a run's inputs, store its proposals, decide them."""

from .brokering import Decision, Superseded, decide, latest_run, match_support, proposals, weights
from .inputs import MAX_SUPPORTERS, gather

__all__ = [
    "MAX_SUPPORTERS",
    "Decision",
    "Superseded",
    "decide",
    "gather",
    "latest_run",
    "match_support",
    "proposals",
    "weights",
]
