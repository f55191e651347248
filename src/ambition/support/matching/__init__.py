"""The broker's database side: gather a run's inputs, store its proposals, decide them."""

from .inputs import MAX_SUPPORTERS, financial_year, gather
from .runs import Decision, Superseded, decide, latest_run, match_support, proposals, weights

__all__ = [
    "MAX_SUPPORTERS",
    "Decision",
    "Superseded",
    "decide",
    "financial_year",
    "gather",
    "latest_run",
    "match_support",
    "proposals",
    "weights",
]
