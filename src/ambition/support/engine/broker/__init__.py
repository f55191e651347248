"""The broker: proposes support matches for all open requests at once, provably optimally.

Plain dataclasses in (`Problem`), plain dataclasses out (`BrokerResult`); no database.

The rules, exactly:
- A **pair** is a request and a supporter holding an offer in the request's service area and
  kind (at most one offer per supporter, area and kind, so the pair names its offer). An
  authority is never a candidate for its own request. A pair is **barred**, and never
  proposed, when the requester avoids the supporter (conflict of interest), the pair was
  declined, the caller excludes it (with its reason), the supporter is itself weak in the
  area, the windows do not overlap (an offer with no window is open all year), or its score
  is not positive.
- **Suitability** is the caller's: a mapping (request id, supporter) -> score, or a function
  of (request, offer). A missing pair scores 0. Scores become integer **points**,
  `round(score * score_scale)` (float rounding is deterministic), so floats are welcome.
- **Objective**: maximise the sum of points x days over all matches (accepted ones included,
  as a constant). Per day rather than per matched request, because a day of good support is
  the unit the partnership gives and the ledger counts: a 30-day review weighs more than a
  2-day piece of advice. It also keeps the problem linear (a flow when nothing else binds).
- **Partial service is allowed**: a request receives at most its days, possibly fewer, and
  possibly none; any shortfall is reported with its reason. Half a review team found today
  is worth more to an adviser than an all-or-nothing answer, and it keeps the problem a flow.
- **Splitting**: `max_supporters` per request caps how many supporters serve it (1 for a
  secondment, one person from one place; several for a peer review, whose team comes from
  several authorities; None for no cap).
- **Capacity**: each offer's days per year, less the accepted matches' days.
- **Fairness**: no supporter carries more than `floor(max_share x D)` days in all, where D
  is the total days wanted by the run's requests (accepted days included). The cap is taken
  on demand, not on days matched: a share of the matched total would depend on the answer
  itself and would forbid a lone secondment unless max_share is 1. Set max_share to 1 to
  switch the rule off.
- **Accepted matches** are kept exactly as agreed: their days use the request's days, the
  offer's capacity, the fairness cap and one of the request's supporters; the broker adds
  no days to an accepted pair.

Solver: first OR-Tools min-cost flow, ignoring `max_supporters` (source -> request ->
offer -> supporter -> sink, with a zero-cost bypass for days left unmatched). That is a
relaxation, so when its answer respects every limit it is optimal, and the result says
"min-cost flow"; it always does when every request is splittable. Otherwise CP-SAT (one worker,
fixed seed) enforces the limits the answer broke, and again, until an answer breaks none (lazy
constraints: each round is a relaxation too, so that answer is optimal; most limits never bind
and never enter the model, which keeps it small). Before CP-SAT, a few restricted flows (each
broken request keeping only its most valuable supporters, until none is broken) give it a
feasible start and the limits likely to bind (they, and every one-supporter request the
flow serves from one, are enforced at once), so that one round usually suffices. Inputs are
sorted by id before any model is built, so the answer depends on the inputs only, never on
their order. After solving, every feasible pair not chosen gets its reason (capacity used by
which requests, the fairness cap, the request's supporter limit, or the request already
served); at an optimum one always holds, and the broker raises if none does.

Modules: `problem` (what goes in and out), `candidates` (pairs, barring, what is left),
`flow` and `sat` (solving), `reasons` (why not, in words).
"""

from __future__ import annotations

from .candidates import candidate_pairs, checked_requests, initial_load
from .problem import (
    ALTERNATIVES,
    Accepted,
    Alternative,
    BrokerError,
    BrokerResult,
    Match,
    Offer,
    OfferKey,
    Pair,
    Problem,
    Reason,
    Request,
    Shortfall,
    ShortReason,
    Solver,
    Suitability,
    Window,
    fairness_cap,
    points,
)
from .reasons import REASON_WORDS, SHORT_WORDS, alternatives, explain, matches, shortfalls
from .sat import solve

__all__ = [
    "ALTERNATIVES",
    "REASON_WORDS",
    "SHORT_WORDS",
    "Accepted",
    "Alternative",
    "BrokerError",
    "BrokerResult",
    "Match",
    "Offer",
    "OfferKey",
    "Pair",
    "Problem",
    "Reason",
    "Request",
    "ShortReason",
    "Shortfall",
    "Solver",
    "Suitability",
    "Window",
    "explain",
    "fairness_cap",
    "points",
    "propose",
]


def propose(problem: Problem) -> BrokerResult:
    """The optimal matches for every open request, with their alternatives and shortfalls."""
    requests = checked_requests(problem)
    pairs = candidate_pairs(problem, requests)
    cap = fairness_cap(problem)
    load = initial_load(problem, requests, cap)
    days, solver = solve([p for p in pairs if p.barred is None], load)
    for key, d in days.items():
        load.take(requests[key[0]], key[1], d)
    matched = matches(problem, requests, pairs, days)
    return BrokerResult(
        matches=matched,
        objective=sum(m.points * m.days for m in matched),
        unmatched=shortfalls(requests, pairs, load),
        alternatives=alternatives(matched, pairs, load),
        fairness_cap=cap,
        solver=solver,
        status="OPTIMAL",
    )
