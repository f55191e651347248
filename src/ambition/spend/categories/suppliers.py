"""A category from the supplier, where a row gives nothing else to go on: many councils
publish only the supplier and the amount (Lambeth's monthly totals by supplier, for one), and a
supplier matched across authorities is mostly bought for one thing. A row left uncategorised
takes its supplier's category when the supplier's categorised spend elsewhere is at least
`CLEAR_SHARE` in one category, over at least `FEWEST_ROWS` rows. Pure Polars, over each
supplier's spend by category (summed by the spend engine: `categories.current`)."""

from __future__ import annotations

import polars as pl

CLEAR_SHARE = 0.8
FEWEST_ROWS = 3
SOURCE = "supplier"


def clear_categories(spent: pl.DataFrame, cpv: dict[str, str | None]) -> pl.DataFrame:
    """Each supplier with a clear category, from its categorised spend in each category
    (`supplier_key`, `category`, `spend`: the amounts' absolute values summed, and `rows`):
    the category, its `cpv`, `why` and `source` for the rows of the supplier's that have
    none."""
    shares = spent.with_columns(
        (pl.col("spend").cast(pl.Float64) / pl.col("spend").cast(pl.Float64).sum()
         .over("supplier_key")).alias("share"),
        pl.col("rows").sum().over("supplier_key").alias("all_rows"),
    )  # fmt: skip
    cpv_expr = pl.col("category").replace_strict(cpv, default=None, return_dtype=pl.String)
    return (
        shares.filter((pl.col("share") >= CLEAR_SHARE) & (pl.col("all_rows") >= FEWEST_ROWS))
        .select(
            pl.col("supplier_key").cast(pl.String),
            pl.col("category").cast(pl.String),
            cpv_expr.alias("cpv"),
            pl.format(
                "the supplier's other spend is {}% in this category, over {} rows",
                (pl.col("share") * 100).round(0).cast(pl.Int64),
                pl.col("all_rows"),
            ).alias("why"),
            pl.lit(SOURCE).alias("source"),
        )
        .sort("supplier_key")
    )
