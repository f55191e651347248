"""The min-cost flow relaxation: every rule but the supporter limits, solved exactly."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

from .candidates import Candidate, Load
from .problem import BrokerError, Pair


def flow(live: Sequence[Candidate], bounds: Sequence[int], load: Load) -> dict[Pair, int]:
    """source -> request (its days) -> offer (-points a day) -> supporter (capacity) -> sink
    (fairness cap); days that find no supporter take the bypass arc source -> sink at no
    cost. Arcs go in by the array, pairs first in the order of `live`, so the answer is
    deterministic and the pairs' flows are the first arcs'."""
    if not live:
        return {}
    requests = _numbered((p.request.id for p in live), 2)
    offers = _numbered((p.offer.key for p in live), 2 + len(requests))
    supporters = _numbered((p.offer.supporter for p in live), 2 + len(requests) + len(offers))
    total = sum(load.need[r] for r in requests)
    # pairs first, then the bypass, source -> request, offer -> supporter, supporter -> sink
    tails = [requests[p.request.id] for p in live] + [0] * (1 + len(requests))
    tails += [*offers.values(), *supporters.values()]
    heads = [offers[p.offer.key] for p in live] + [1, *requests.values()]
    heads += [supporters[k[0]] for k in offers] + [1] * len(supporters)
    capacities = [*bounds, total, *(load.need[r] for r in requests)]
    capacities += [load.room[k] for k in offers] + [load.fair[s] for s in supporters]
    costs = [-p.points for p in live] + [0] * (len(tails) - len(live))
    arcs = (np.array(tails), np.array(heads), np.array(capacities), np.array(costs))
    return _solved(*arcs, total, live)


def _numbered(keys: Iterable[Hashable], first: int) -> dict[Any, int]:
    """Node numbers from `first`, in first-seen order (0 is the source, 1 the sink)."""
    return {k: first + n for n, k in enumerate(dict.fromkeys(keys))}


def _solved(
    tails: np.ndarray,
    heads: np.ndarray,
    capacities: np.ndarray,
    costs: np.ndarray,
    total: int,
    live: Sequence[Candidate],
) -> dict[Pair, int]:
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    solver.set_node_supply(0, total)
    solver.set_node_supply(1, -total)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise BrokerError(f"min-cost flow ended {status}")
    days = solver.flows(np.arange(len(live)))
    return {p.key: int(d) for p, d in zip(live, days, strict=True) if d > 0}
