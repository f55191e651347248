"""Which supplier names are one supplier: Splink's probabilistic linkage (Fellegi-Sunter,
trained on the names themselves) on the spend engine's backend (DuckDB, or Spark where
AMBITION_SPEND_ENGINE says so), then clusters at a threshold. Pure: a frame of
names in, a `Resolution` out; reading the stored spend and keeping runs is `runs`'s work.

A record is one (authority, supplier as written, company number, charity number,
postcode). Names are compared by their keys (`names.supplier_key`) two ways: as strings
(typos, truncation) and as sets of words, where the words the two do not share must be
alike (so "London Borough of Hackney" and "London Borough of Lambeth", alike as strings,
stay apart). Numbers and postcodes, where given, are compared exactly."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import polars as pl
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from django.conf import settings
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.splink_dataframe import SplinkDataFrame

from .names import charity_number, company_number, name_variants, postcode, supplier_key

U_PAIRS = 300_000
THRESHOLD = 0.9  # the match probability at and above which two records are one supplier
COLUMNS = ["authority", "supplier", "company_number", "charity_number", "postcode"]

# Pairs are scored when any rule holds; each catches what the others miss, so a variant
# is lost only if it differs from every other spelling in all of these at once.
BLOCKING_RULES: list[BlockingRuleCreator | dict[str, Any]] = [
    # The first two words: a name cut short, a word added or dropped at the end, a typo
    # after the second word.
    block_on("first_words"),
    # The words in alphabetical order, their first characters: the same words in
    # another order ("Smith & Jones" / "Jones and Smith").
    block_on("sorted_prefix"),
    # The last word and the first letter: a typo or a short form in the first words.
    block_on("last_word", "initial"),
    # The key's ends: one-word names with a typo in the middle.
    block_on("ends"),
    # The registers' numbers and the postcode with an initial: names written quite
    # differently for one registered body or one address.
    block_on("company_number"),
    block_on("charity_number"),
    block_on("postcode", "initial"),
]


@dataclass(frozen=True)
class Resolution:
    """A resolution's results: every record with its cluster and the highest match
    probability that joins it there (None alone), the scored pairs at or above the
    threshold, and the trained model as Splink's settings."""

    records: pl.DataFrame
    pairs: pl.DataFrame
    model: dict[str, Any]
    threshold: float
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        clusters = self.records["cluster_id"].n_unique() if self.records.height else 0
        return {"records": self.records.height, "clusters": clusters, "pairs": self.pairs.height}


def resolve(
    frame: pl.DataFrame, threshold: float = THRESHOLD, engine: str | None = None
) -> Resolution:
    """Cluster the records of `frame` (the columns of `COLUMNS`; missing ones are taken as
    unknown) into suppliers, on the spend engine named (AMBITION_SPEND_ENGINE if none)."""
    started = time.perf_counter()
    records = prepared(frame)
    if records.height < 2:
        return _alone(records, threshold, started)
    linker = _linker(records, engine or settings.SPEND_ENGINE)
    with _quiet():
        train(linker)
        scored = linker.inference.predict(threshold_match_probability=threshold)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(scored, threshold)
    pairs = _pairs(_polars(scored))
    found = _polars(clusters).select("unique_id", "cluster_id")
    model = linker.misc.save_model_to_json()
    return Resolution(
        _joined(records, found, pairs), pairs, model, threshold, time.perf_counter() - started
    )


def _linker(records: pl.DataFrame, engine: str) -> Linker:
    """A linker on Splink's backend for the spend engine: DuckDB in process, or Spark in a
    child session of the engine's one SparkSession (ids as Spark's signed integers)."""
    if engine != "spark":
        return Linker(
            records.to_arrow(), model_settings(), db_api=DuckDBAPI(), set_up_basic_logging=False
        )
    from splink.backends.spark import SparkAPI

    from ambition.spend.engine.spark import spark_session  # starts Java: only when asked

    session = spark_session().newSession()
    table = session.createDataFrame(
        records.with_columns(pl.col("unique_id").cast(pl.Int64)).to_arrow()
    )
    api = SparkAPI(spark_session=session)  # intermediate tables as Parquet, Splink's default
    return Linker(table, model_settings("spark"), db_api=api, set_up_basic_logging=False)


def _polars(table: SplinkDataFrame) -> pl.DataFrame:
    """A Splink result as Polars, with ids as `prepared` numbers them, on either backend."""
    if table.db_api.sql_dialect.sql_dialect_str == "spark":
        found = pl.from_arrow(table.as_spark_dataframe().toArrow())
    else:
        found = table.as_duckdbpyrelation().pl()
    assert isinstance(found, pl.DataFrame)
    ids = [c for c in found.columns if c in {"unique_id", "unique_id_l", "unique_id_r"}]
    return found.with_columns(pl.col(ids).cast(pl.UInt32))


@contextmanager
def _quiet() -> Iterator[None]:
    """Splink warns of every level training never saw and logs its progress: expected
    here (numbers and postcodes have set weights), so only its errors are let through."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def prepared(frame: pl.DataFrame) -> pl.DataFrame:
    """The records with an id, their name keys and variants, blocking keys, and numbers
    and postcodes in their registers' forms. Each distinct name is keyed once."""
    frame = (
        frame.with_columns(
            pl.lit(None, pl.String).alias(c) for c in COLUMNS if c not in frame.columns
        )
        .select(COLUMNS)
        .sort(COLUMNS, nulls_last=True)
    )  # the same ids for the same records
    keys = _keys(frame["supplier"].unique())
    records = frame.join(keys, on="supplier", how="left").with_columns(
        pl.col("company_number").map_elements(company_number, pl.String),
        pl.col("charity_number").map_elements(charity_number, pl.String),
        pl.col("postcode").map_elements(postcode, pl.String),
    )
    return records.filter(pl.col("key") != "").with_row_index("unique_id")


def _keys(names: pl.Series) -> pl.DataFrame:
    keyed = pl.DataFrame({"supplier": names}).with_columns(
        pl.col("supplier").map_elements(supplier_key, pl.String).alias("key"),
        pl.col("supplier").map_elements(lambda n: list(name_variants(n)), pl.List(pl.String))
        .alias("variants"),
    )  # fmt: skip
    words = pl.col("key").str.split(" ")
    return keyed.with_columns(
        words.alias("tokens"),
        words.list.head(2).list.join(" ").alias("first_words"),
        words.list.sort().list.join(" ").str.slice(0, 8).alias("sorted_prefix"),
        words.list.last().alias("last_word"),
        pl.col("key").str.slice(0, 1).alias("initial"),
        (pl.col("key").str.slice(0, 3) + "|" + pl.col("key").str.slice(-3)).alias("ends"),
    )


@dataclass(frozen=True)
class _Dialect:
    """The SQL of the custom levels that differs between Splink's backends."""

    unshared: str  # the words one name has that the other lacks, sorted and joined
    shared_variant: str  # the two names share a trading-name variant
    starts_with: str  # a function: does the first string start with the second?
    jaro_winkler: str  # a function: Jaro-Winkler similarity, 0 to 1

    def left_only(self) -> str:
        return self.unshared.format(a="l", b="r")

    def right_only(self) -> str:
        return self.unshared.format(a="r", b="l")


DIALECTS = {
    "duckdb": _Dialect(
        "array_to_string(list_sort(list_filter(tokens_{a}, "
        "lambda t: NOT list_contains(tokens_{b}, t))), ' ')",
        "list_has_any(variants_l, variants_r)",
        "starts_with",
        "jaro_winkler_similarity",
    ),
    # jaro_winkler is the function Splink registers from the jar it ships.
    "spark": _Dialect(
        "array_join(array_sort(filter(tokens_{a}, t -> NOT array_contains(tokens_{b}, t))), ' ')",
        "arrays_overlap(variants_l, variants_r)",
        "startswith",
        "jaro_winkler",
    ),
}


def model_settings(dialect: str = "duckdb") -> SettingsCreator:
    sql = DIALECTS[dialect]
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("key"),
            cll.ExactMatchLevel("key"),
            # Rare in training pairs, so its weight is set, not learnt: strong evidence.
            cll.CustomLevel(sql.shared_variant, "a trading name shared").configure(
                m_probability=0.05, u_probability=1e-6
            ),
            cll.LevenshteinLevel("key", 1),
            cll.JaroWinklerLevel("key", 0.95),
            cll.JaroWinklerLevel("key", 0.88),
            cll.ElseLevel(),
        ],
    )
    words = cl.CustomComparison(
        output_column_name="words",
        comparison_levels=[
            cll.NullLevel("key"),
            cll.CustomLevel(
                f"{sql.left_only()} = '' AND {sql.right_only()} = ''", "the same words"
            ),
            # A name cut short (at a column's width, even mid-word: "Hammersmith & Ful")
            # or with words added at its end is likelier one supplier than words added
            # anywhere ("Enterprise" / "IOI Enterprise"): two levels, weighed apart.
            cll.CustomLevel(
                f"{sql.starts_with}(key_l, key_r) OR {sql.starts_with}(key_r, key_l)",
                "one name the start of the other",
            ),
            cll.CustomLevel(
                f"{sql.left_only()} = '' OR {sql.right_only()} = ''", "one's words in the other"
            ),
            cll.CustomLevel(
                f"{sql.jaro_winkler}({sql.left_only()}, {sql.right_only()}) >= 0.9",
                "words differ a little",
            ),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name,
            words,
            *_registered(),
        ],
        additional_columns_to_retain=["authority", "supplier"],
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=True,
    )


def _registered() -> list[ComparisonCreator]:
    """Numbers and postcodes, with weights set beforehand: where files give none (most
    do), training never sees them, and a number shared is near proof of one body while two
    different numbers are two bodies (or one group's companies)."""
    return [
        cl.ExactMatch("company_number").configure(
            m_probabilities=[0.95, 0.05], u_probabilities=[1e-5, 1 - 1e-5]
        ),
        cl.ExactMatch("charity_number").configure(
            m_probabilities=[0.95, 0.05], u_probabilities=[1e-5, 1 - 1e-5]
        ),
        cl.PostcodeComparison("postcode").configure(
            m_probabilities=[0.6, 0.15, 0.1, 0.05, 0.1],
            u_probabilities=[1e-4, 1e-3, 1e-2, 5e-2, 1 - 0.0611],
        ),
    ]


def train(linker: Linker) -> None:
    """u by random sampling; the prior from the names that are the same key; m by EM over
    pairs sharing their first words, then over pairs sharing their sorted words (each
    session leaves the comparisons it blocks on untrained, the other trains them)."""
    linker.training.estimate_probability_two_random_records_match([block_on("key")], recall=0.8)
    # A few hundred thousand random pairs settle u for every level (most of them fall in
    # "else"); a million took four times as long for the same weights.
    linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=1)
    for rule in (block_on("first_words"), block_on("sorted_prefix")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)


def _pairs(scored: pl.DataFrame) -> pl.DataFrame:
    return scored.select(
        "unique_id_l", "unique_id_r", "supplier_l", "supplier_r", "match_probability",
        "match_weight",
    ).sort("match_probability", descending=True)  # fmt: skip


def _joined(records: pl.DataFrame, clusters: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each record's cluster, and the strongest pair joining it to another record."""
    ends = (
        pl.concat(
            [
                pairs.select(pl.col("unique_id_l").alias("unique_id"), "match_probability"),
                pairs.select(pl.col("unique_id_r").alias("unique_id"), "match_probability"),
            ]
        )
        .group_by("unique_id")
        .agg(pl.col("match_probability").max())
    )
    return (
        records.drop("variants", "tokens")
        .join(clusters, on="unique_id", how="left")
        .join(ends.with_columns(pl.col("unique_id").cast(pl.UInt32)), on="unique_id", how="left")
        .with_columns(pl.col("cluster_id").fill_null(pl.col("unique_id").cast(pl.String)))
    )


def _alone(records: pl.DataFrame, threshold: float, started: float) -> Resolution:
    """Fewer than two records: each its own supplier, nothing to train."""
    alone = records.drop("variants", "tokens").with_columns(
        pl.col("unique_id").cast(pl.String).alias("cluster_id"),
        pl.lit(None, pl.Float64).alias("match_probability"),
    )
    pairs = pl.DataFrame(
        schema={"unique_id_l": pl.UInt32, "unique_id_r": pl.UInt32, "supplier_l": pl.String,
                "supplier_r": pl.String, "match_probability": pl.Float64,
                "match_weight": pl.Float64}
    )  # fmt: skip
    return Resolution(alone, pairs, {}, threshold, time.perf_counter() - started)
