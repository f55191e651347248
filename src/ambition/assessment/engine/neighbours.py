"""Nearest neighbours: the authorities most alike on a set of profile variables.

The method, as a council being compared can check it:
- each variable is standardised over the pool (mean 0, standard deviation 1, the sample
  SD); a variable the pool cannot standardise (fewer than two values, or all equal) is
  left out, for everyone;
- the distance between two authorities is Euclidean over the standardised values, each
  squared difference multiplied by the variable's weight (a weight of 2 counts the
  variable twice);
- missing values: a pair is compared on the variables both have, and the sum is scaled
  up by (total weight / shared weight), so that a pair missing a variable is not made to
  look closer than one that has it; a pair sharing less than `min_shared` of the total
  weight is not compared at all;
- an authority is never its own neighbour; equal distances are ordered by ONS code, so
  the same frame always gives the same ranks.

Input `profile`: `authority` (str), `variable` (str), `value` (f64, null when missing).
Output: `focus`, `peer`, `rank` (1..k), `distance`, `variables_used` (how many variables
the pair was compared on), sorted by focus and rank.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

Matrix = npt.NDArray[np.float64]

RESULT_SCHEMA = {
    "focus": pl.String,
    "peer": pl.String,
    "rank": pl.Int32,
    "distance": pl.Float64,
    "variables_used": pl.Int32,
}


@dataclass(frozen=True)
class Standardised:
    """Authorities (rows) by variables (columns), standardised over the pool."""

    authorities: list[str]
    variables: list[str]
    z: Matrix
    weights: Matrix


def nearest_neighbours(
    profile: pl.DataFrame,
    weights: Mapping[str, float] | None = None,
    k: int = 15,
    pool: Collection[str] | None = None,
    focus: Collection[str] | None = None,
    min_shared: float = 0.5,
) -> pl.DataFrame:
    """The k nearest peers in `pool` of each authority in `focus` (both default to every
    authority in the profile). With `weights`, only the variables named there count."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 0.0 < min_shared <= 1.0:
        raise ValueError("min_shared must be in (0, 1]")
    pool_codes = sorted(set(profile["authority"]) if pool is None else set(pool))
    focus_codes = pool_codes if focus is None else sorted(set(focus))
    table = standardise(profile, pool_codes, focus_codes, weights)
    if not table.variables:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    distance, used = pair_distances(table, focus_codes, pool_codes, min_shared)
    return ranked(distance, used, focus_codes, pool_codes, k)


def standardise(
    profile: pl.DataFrame,
    pool: list[str],
    focus: list[str],
    weights: Mapping[str, float] | None,
) -> Standardised:
    """z-scores of every variable with a positive weight, from the pool's mean and SD."""
    wide = _wide(profile, sorted(set(pool) | set(focus)), weights)
    codes = wide["authority"].to_list()
    values = wide.drop("authority").to_numpy().astype(np.float64)
    in_pool = np.isin(np.asarray(codes), np.asarray(pool))
    mean = _nanmean(values[in_pool])
    sd = _nansd(values[in_pool])
    keep = np.isfinite(sd) & (sd > 0)
    names = [name for name, kept in zip(wide.columns[1:], keep, strict=True) if kept]
    z = (values[:, keep] - mean[keep]) / sd[keep]
    w = np.array([1.0 if weights is None else float(weights[n]) for n in names])
    return Standardised(codes, names, z, w)


def _wide(
    profile: pl.DataFrame, codes: list[str], weights: Mapping[str, float] | None
) -> pl.DataFrame:
    """One row per authority in `codes`, in code order (so that sums always add in the
    same order), and one column per variable, in name order."""
    if weights is not None:
        if any(w < 0 for w in weights.values()):
            raise ValueError("weights cannot be negative")
        profile = profile.filter(pl.col("variable").is_in([v for v, w in weights.items() if w > 0]))
    if profile.select(pl.struct("authority", "variable").is_duplicated().any()).item():
        raise ValueError("profile has more than one value for an authority and variable")
    rows = pl.DataFrame({"authority": codes}, schema={"authority": pl.String})
    known = profile.filter(pl.col("authority").is_in(codes))
    if known.is_empty():
        return rows.sort("authority")
    wide = known.with_columns(pl.col("value").cast(pl.Float64)).pivot(
        on="variable", index="authority", values="value", sort_columns=True
    )
    return rows.join(wide, on="authority", how="left").sort("authority")


def _nanmean(values: Matrix) -> Matrix:
    counts = np.sum(~np.isnan(values), axis=0)
    sums = np.nansum(values, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _nansd(values: Matrix) -> Matrix:
    """Sample standard deviation per column; NaN where fewer than two values."""
    counts = np.sum(~np.isnan(values), axis=0)
    deviation = values - _nanmean(values)
    squares = np.nansum(deviation * deviation, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 1, np.sqrt(squares / np.maximum(counts - 1, 1)), np.nan)


def pair_distances(
    table: Standardised, focus: list[str], pool: list[str], min_shared: float
) -> tuple[Matrix, npt.NDArray[np.int32]]:
    """Distance of every focus (rows) to every pool member (columns); inf where not
    comparable (itself, or too few shared variables)."""
    row = {code: i for i, code in enumerate(table.authorities)}
    a = table.z[[row[c] for c in focus]][:, None, :]
    b = table.z[[row[c] for c in pool]][None, :, :]
    shared = ~np.isnan(a) & ~np.isnan(b)
    difference = np.where(shared, a - b, 0.0)
    total = float(table.weights.sum())
    # Summed elementwise rather than by matrix product, so that a to b and b to a add the
    # same numbers in the same order: distances are exactly symmetric.
    shared_weight = np.sum(shared * table.weights, axis=2)
    squares = np.sum(difference * difference * table.weights, axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.sqrt(squares * (total / shared_weight))
    comparable = shared_weight >= min_shared * total - 1e-12
    comparable &= np.asarray(focus)[:, None] != np.asarray(pool)[None, :]
    distance = np.where(comparable & (shared_weight > 0), distance, np.inf)
    return distance, shared.sum(axis=2).astype(np.int32)


def ranked(
    distance: Matrix,
    used: npt.NDArray[np.int32],
    focus: list[str],
    pool: list[str],
    k: int,
) -> pl.DataFrame:
    """The k smallest finite distances of each row, ties broken by the peer's code
    (the pool is sorted by code and the sort is stable)."""
    order = np.argsort(distance, axis=1, kind="stable")[:, :k]
    rows = []
    for i, code in enumerate(focus):
        for rank, j in enumerate(order[i], start=1):
            if np.isfinite(distance[i, j]):
                rows.append((code, pool[j], rank, float(distance[i, j]), int(used[i, j])))
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


def overlap_by_focus(a: pl.DataFrame, b: pl.DataFrame, k: int = 10) -> pl.DataFrame:
    """For each focus in both lists, how many of the k nearest (rank <= k) they share:
    `focus`, `shared`, `compared` (the shorter of the two top-k lists) and `share`."""
    top_a = a.filter(pl.col("rank") <= k).group_by("focus").agg(pl.col("peer").alias("a"))
    top_b = b.filter(pl.col("rank") <= k).group_by("focus").agg(pl.col("peer").alias("b"))
    both = top_a.join(top_b, on="focus", how="inner")
    shared = both.select(
        "focus",
        shared=pl.col("a").list.set_intersection(pl.col("b")).list.len().cast(pl.Int32),
        compared=pl.min_horizontal(pl.col("a").list.len(), pl.col("b").list.len()).cast(pl.Int32),
    )
    return (
        shared.filter(pl.col("compared") > 0)
        .with_columns(share=pl.col("shared") / pl.col("compared"))
        .sort("focus")
    )


def overlap(a: pl.DataFrame, b: pl.DataFrame, k: int = 10) -> float:
    """Mean share of the k nearest that two neighbour lists have in common, over the
    authorities both list (NaN when they list none in common)."""
    shares = overlap_by_focus(a, b, k)["share"]
    return float(shares.mean()) if shares.len() else float("nan")  # type: ignore[arg-type]
