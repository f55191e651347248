"""The broker's database side: gather a run's inputs, store its proposals, decide them."""

from .inputs import MAX_SUPPORTERS, gather
from .runs import Decision, Superseded, decide, latest_run, match_support, proposals, weights

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
