"""The supplier model's weights, fitted to the pairs the blocking rules put side by side.

Splink's own training reads u (how two *different* suppliers' names compare) from pairs of
names drawn at random. Almost no random pair is alike, so every level but "else" went
unseen and u was a floor, the same for strong and weak evidence; and the name's two
comparisons (as strings, as sets of words) then counted one likeness twice. At 200,000
names, one pair in eight with a fifth of its letters edited and every word alike was two
suppliers, and all were scored above 0.998.

Here the weights are fitted where they are used. Each pair the rules make is one of a few
dozen patterns (a level of each comparison). A two-class mixture, one supplier or two, is
fitted to how often each pattern occurs by expectation-maximisation: m and u per level, and
the share of the pairs that are one supplier (the prior for a pair the rules make, which
is the only kind ever scored). A level that two suppliers' names often meet among the
candidates (letters edited, in a crowded register) weighs what it should. Levels whose
weights are set beforehand (a shared trading name, registered numbers, postcodes) keep them.

Two comparisons alone do not pin the split down (many pairs of classes make the same
table of two comparisons' counts): the fit starts where it is meant to end, m rising with a
level's strength and u mostly at "else", and the levels with set weights hold it there. On
the real GLA and Lambeth names it finds 1% of the candidate pairs to be one supplier.

Pure and deterministic: counts in, weights out; the same counts, the same model."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

# Each level's counts, and the prior's, start with this many pairs of each class: a level no
# pair met is neither evidence for nor against, no weight is infinite, and a few pairs alike
# cannot make the prior certain (every candidate pair one supplier, whatever its levels).
PSEUDO_PAIRS = 0.5
MAX_ITERATIONS = 1_000
TOLERANCE = 1e-10
INITIAL_PRIOR = 0.1


@dataclass
class _Comparison:
    """One comparison's levels in gamma's order (0 is "else"; the null level is left out),
    which of them are fixed, and their current m and u."""

    column: str
    levels: list[dict[str, Any]]
    fixed: np.ndarray
    m: np.ndarray
    u: np.ndarray

    @classmethod
    def of(cls, comparison: dict[str, Any]) -> _Comparison:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        levels.reverse()  # Splink numbers the last level 0 and the first non-null highest
        fixed = np.array([lv.get("m_probability") is not None for lv in levels])
        n = len(levels)
        strength = np.arange(1, n + 1, dtype=float) ** 2
        m = np.where(fixed, [lv.get("m_probability") or 0.0 for lv in levels], strength)
        u = np.where(fixed, [lv.get("u_probability") or 0.0 for lv in levels], 1.0)
        if not fixed[0]:
            u[0] = 10.0 * n  # two suppliers' names mostly meet no level at all
        column = f"gamma_{comparison['output_column_name']}"
        return cls(column, levels, fixed, cls.share(m, fixed, m), cls.share(u, fixed, u))

    @staticmethod
    def share(weights: np.ndarray, fixed: np.ndarray, held: np.ndarray) -> np.ndarray:
        """The fixed levels' probabilities (`held`), and the learnt levels' `weights` scaled
        to what those leave of 1."""
        out = np.where(fixed, held, 0.0).astype(float)
        learnt = weights[~fixed]
        if learnt.size and learnt.sum() > 0:
            out[~fixed] = learnt / learnt.sum() * max(0.0, 1.0 - out[fixed].sum())
        return out

    def factor(self, gamma: np.ndarray, of: np.ndarray) -> np.ndarray:
        """Each pattern's probability of this comparison's level (1 where it is null)."""
        return np.where(gamma < 0, 1.0, of[np.clip(gamma, 0, None)])

    def refit(self, gamma: np.ndarray, match: np.ndarray, other: np.ndarray) -> float:
        """m and u from the expected pairs of each class at each level; the largest change."""
        if self.fixed.all():
            return 0.0
        seen = gamma >= 0
        levels = np.arange(len(self.levels))
        by_level = gamma[seen][:, None] == levels[None, :]
        m = (match[seen][:, None] * by_level).sum(axis=0) + PSEUDO_PAIRS
        u = (other[seen][:, None] * by_level).sum(axis=0) + PSEUDO_PAIRS
        m, u = self.share(m, self.fixed, self.m), self.share(u, self.fixed, self.u)
        change = float(max(np.abs(m - self.m).max(), np.abs(u - self.u).max()))
        self.m, self.u = m, u
        return change


def _posterior(
    prior: float, comparisons: list[_Comparison], gammas: list[np.ndarray]
) -> np.ndarray:
    """Each pattern's probability of being one supplier, in logs (a product of a dozen
    small probabilities underflows); a pattern neither class can show keeps the prior."""
    with np.errstate(divide="ignore"):
        match = np.log(prior) + sum(
            (np.log(c.factor(g, c.m)) for c, g in zip(comparisons, gammas, strict=True)),
            start=np.zeros(len(gammas[0]) if gammas else 0),
        )
        other = np.log1p(-prior) + sum(
            (np.log(c.factor(g, c.u)) for c, g in zip(comparisons, gammas, strict=True)),
            start=np.zeros(len(gammas[0]) if gammas else 0),
        )
    both = np.logaddexp(match, other)
    with np.errstate(invalid="ignore"):
        found = np.exp(match - both)
    return np.where(np.isfinite(both), found, prior)


def fitted(settings: dict[str, Any], patterns: pl.DataFrame) -> dict[str, Any]:
    """The settings with every learnt level's m and u, and the prior, fitted to `patterns`
    (a gamma column per comparison and `pairs`, how many pairs show that pattern)."""
    comparisons = [_Comparison.of(c) for c in settings["comparisons"]]
    patterns = patterns.sort([c.column for c in comparisons])  # the same sums in any order
    counts = patterns["pairs"].to_numpy().astype(float) if patterns.height else np.zeros(0)
    gammas = [
        patterns[c.column].to_numpy().astype(int) if patterns.height else np.zeros(0, int)
        for c in comparisons
    ]
    prior = INITIAL_PRIOR
    if counts.sum() > 0:
        for _ in range(MAX_ITERATIONS):
            posterior = _posterior(prior, comparisons, gammas)
            expected = posterior * counts
            change = max(
                (
                    c.refit(g, expected, counts - expected)
                    for c, g in zip(comparisons, gammas, strict=True)
                ),
                default=0.0,
            )
            new_prior = float((expected.sum() + PSEUDO_PAIRS) / (counts.sum() + 2 * PSEUDO_PAIRS))
            change, prior = max(change, abs(new_prior - prior)), new_prior
            if change < TOLERANCE:
                break
    model = copy.deepcopy(settings)
    for comparison, fit in zip(model["comparisons"], comparisons, strict=True):
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for level, m, u in zip(reversed(levels), fit.m, fit.u, strict=True):
            level["m_probability"], level["u_probability"] = float(m), float(u)
    model["probability_two_random_records_match"] = prior
    return model


def weighed(model: dict[str, Any], patterns: pl.DataFrame) -> pl.DataFrame:
    """Each pattern of `patterns` (a gamma column per comparison) with its match weight and
    probability under `model` (Splink's settings with every level's m and u): the weight is
    the log, base 2, of the prior's odds times each level's m over u (1 where null), as
    Splink's predict computes it from the same settings."""
    comparisons = [_Comparison.of(c) for c in model["comparisons"]]
    gammas = [patterns[c.column].to_numpy().astype(int) for c in comparisons]
    prior = float(model["probability_two_random_records_match"])
    odds = np.log2(prior) - np.log2(1 - prior)
    weight = odds + sum(
        (np.log2(c.factor(g, c.m)) - np.log2(c.factor(g, c.u)))
        for c, g in zip(comparisons, gammas, strict=True)
    )
    return patterns.select(c.column for c in comparisons).with_columns(
        pl.Series("match_weight", weight, pl.Float64),
        pl.Series("match_probability", _posterior(prior, comparisons, gammas), pl.Float64),
    )
