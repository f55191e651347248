"""A logistic regression of "in the bottom quartile next period" on what is known now,
pooled over every authority and indicator, fitted by iteratively reweighted least squares
(Newton's method) in numpy: closed-form steps, no random start, so the same cases always
give the same coefficients. A small ridge keeps a separable or collinear history finite."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

FEATURES = [
    "position",
    "distance",
    "trend",
    "volatility",
    "bottom",
    "distance_bottom",
    "was_bottom",
]
RIDGE = 1e-3
FEATURE_LIMIT = 1e6
ITERATIONS = 50
TOLERANCE = 1e-10
# Below this many earlier cases with both outcomes a fit is not trusted.
MIN_TRAINING = 200

Matrix = npt.NDArray[np.float64]


def design(frame: pl.DataFrame) -> Matrix:
    """The intercept and the features, one row per case."""
    columns = frame.select(FEATURES).fill_null(0.0).to_numpy().astype(np.float64)
    # A wild stored value (1e300, infinity) makes a wild feature: held to a large finite one,
    # so that one series cannot turn every probability into NaN.
    columns = np.clip(np.nan_to_num(columns, nan=0.0), -FEATURE_LIMIT, FEATURE_LIMIT)
    return np.column_stack([np.ones(len(frame)), columns])


def fit(x: Matrix, y: npt.NDArray[np.float64]) -> Matrix:
    """Coefficients maximising the ridge-penalised likelihood (the intercept unpenalised)."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], RIDGE * len(y))
    penalty[0] = 0.0
    for _ in range(ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        w = np.clip(p * (1 - p), 1e-9, None)
        gradient = x.T @ (y - p) - penalty * beta
        hessian = (x * w[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if float(np.max(np.abs(step))) < TOLERANCE:
            break
    return beta


def predict(beta: Matrix, x: Matrix) -> npt.NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ beta))), dtype=np.float64)


def enough(y: npt.NDArray[np.float64]) -> bool:
    return len(y) >= MIN_TRAINING and 0 < y.sum() < len(y)


def rolling(cases: pl.DataFrame) -> pl.Series:
    """Each case's probability from a fit on the cases whose outcome was known by its
    origin (`next_t` <= `origin`), so no case learns from its own future; null where too
    few such cases exist."""
    x_all = design(cases)
    y_all = cases["in_bottom_quartile"].cast(pl.Float64).to_numpy()
    origin, known = cases["origin"].to_numpy(), cases["next_t"].to_numpy()
    out = np.full(len(cases), np.nan)
    for at in np.unique(origin):
        train = known <= at
        if not enough(y_all[train]):
            continue
        here = origin == at
        out[here] = predict(fit(x_all[train], y_all[train]), x_all[here])
    return pl.Series(out, dtype=pl.Float64).fill_nan(None)


def latest(history: pl.DataFrame, now: pl.DataFrame) -> pl.Series:
    """The probabilities for `now` from a fit on every case in `history`."""
    y = history["in_bottom_quartile"].cast(pl.Float64).to_numpy()
    if not enough(y):
        return pl.Series([None] * now.height, dtype=pl.Float64)
    return pl.Series(predict(fit(design(history), y), design(now)), dtype=pl.Float64)
