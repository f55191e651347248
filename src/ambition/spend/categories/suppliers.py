"""A category from the supplier, where a row gives nothing else to go on: many councils
publish only the supplier and the amount (Lambeth's monthly totals by supplier, for one), and a
supplier matched across authorities is mostly bought for one thing. A row left uncategorised
takes its supplier's category when the supplier's categorised spend elsewhere is at least
`CLEAR_SHARE` in one category, over at least `FEWEST_ROWS` rows. Pure Polars."""

from __future__ import annotations

import polars as pl

CLEAR_SHARE = 0.8
FEWEST_ROWS = 3
SOURCE = "supplier"


def from_suppliers(frame: pl.DataFrame, cpv: dict[str, str | None]) -> pl.DataFrame:
    """The frame (with `supplier_key`, `amount`, `category`, `cpv`, `why`, `source`), each
    uncategorised row with a supplier given its supplier's clear category, if it has one."""
    known = frame.filter(pl.col("category").is_not_null() & pl.col("supplier_key").is_not_null())
    if known.is_empty():
        return frame
    weight = pl.col("amount").cast(pl.Float64).abs()
    each = known.group_by("supplier_key", "category").agg(
        weight.sum().alias("spend"), pl.len().alias("rows")
    )
    clear = (
        each.with_columns(
            (pl.col("spend") / pl.col("spend").sum().over("supplier_key")).alias("share"),
            pl.col("rows").sum().over("supplier_key").alias("all_rows"),
        )
        .filter((pl.col("share") >= CLEAR_SHARE) & (pl.col("all_rows") >= FEWEST_ROWS))
        .select(
            "supplier_key",
            pl.col("category").alias("_supplier_category"),
            pl.format(
                "the supplier's other spend is {}% in this category, over {} rows",
                (pl.col("share") * 100).round(0).cast(pl.Int64),
                pl.col("all_rows"),
            ).alias("_supplier_why"),
        )
    )
    joined = frame.join(clear, on="supplier_key", how="left", maintain_order="left")
    fill = pl.col("category").is_null() & pl.col("_supplier_category").is_not_null()
    return joined.with_columns(
        pl.when(fill).then(pl.col("_supplier_category")).otherwise(pl.col("category"))
        .alias("category"),
        pl.when(fill).then(pl.col("_supplier_category").replace_strict(cpv, default=None))
        .otherwise(pl.col("cpv")).alias("cpv"),
        pl.when(fill).then(pl.col("_supplier_why")).otherwise(pl.col("why")).alias("why"),
        pl.when(fill).then(pl.lit(SOURCE)).otherwise(pl.col("source")).alias("source"),
    ).drop("_supplier_category", "_supplier_why")  # fmt: skip
