"""How good a list of probabilities is, case by case against what happened: the confusion
counts of the list at its cut-off with precision, recall and F1; the Brier score (mean
squared gap between probability and outcome, 0 perfect, 0.25 a coin toss, 1 always
certain and always wrong); and calibration (mean predicted against observed rate in each
tenth of predicted probability, with the count of cases in it)."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

DECILES = 10


def confusion(cases: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Per group: cases, flagged and the four confusion counts of `flagged` against
    `in_bottom_quartile`, with the Brier score of `p_bottom_quartile`."""
    flagged, actual = pl.col("flagged"), pl.col("in_bottom_quartile")
    p, outcome = pl.col("p_bottom_quartile"), pl.col("in_bottom_quartile").cast(pl.Float64)
    return cases.group_by(by).agg(
        cases=pl.len().cast(pl.Int64),
        flagged=flagged.sum().cast(pl.Int64),
        tp=(flagged & actual).sum().cast(pl.Int64),
        fp=(flagged & ~actual).sum().cast(pl.Int64),
        fn=(~flagged & actual).sum().cast(pl.Int64),
        tn=(~flagged & ~actual).sum().cast(pl.Int64),
        brier=((p - outcome) ** 2).mean(),
    )


def rates(counts: pl.DataFrame) -> pl.DataFrame:
    """Precision, recall and F1 from the counts; null where a ratio has nothing under it."""
    tp, fp, fn = pl.col("tp"), pl.col("fp"), pl.col("fn")
    counts = counts.with_columns(
        precision=pl.when(tp + fp > 0).then(tp / (tp + fp)),
        recall=pl.when(tp + fn > 0).then(tp / (tp + fn)),
    )
    p, r = pl.col("precision"), pl.col("recall")
    return counts.with_columns(f1=pl.when(p + r > 0).then(2 * p * r / (p + r)))


def decile() -> pl.Expr:
    """0 for probabilities in [0, 0.1), ..., 9 for [0.9, 1]."""
    scaled = (pl.col("p_bottom_quartile") * DECILES).floor().cast(pl.Int64)
    return scaled.clip(0, DECILES - 1).alias("decile")


def calibration(cases: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """Per group and decile of predicted probability that holds cases: the count, the mean
    predicted probability and the observed rate, and their gap in percentage points."""
    frame = cases.with_columns(decile())
    return (
        frame.group_by(*by, "decile")
        .agg(
            cases=pl.len().cast(pl.Int64),
            predicted=pl.col("p_bottom_quartile").mean(),
            observed=pl.col("in_bottom_quartile").cast(pl.Float64).mean(),
        )
        .with_columns(gap_points=(pl.col("predicted") - pl.col("observed")).abs() * 100)
        .sort(*by, "decile")
    )
