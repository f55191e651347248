"""Which supplier names are one supplier: Splink's probabilistic linkage (Fellegi-Sunter,
trained on the names themselves) on the spend engine's backend (DuckDB, or Spark where
AMBITION_SPEND_ENGINE says so), then clusters at a threshold. Pure: a frame of
names in, a `Resolution` out; reading the stored spend and keeping runs is `runs`'s work.

The engine does the work at scale, once per pair: Splink's blocking makes the candidate
pairs and its comparisons' SQL finds each pair's level of each comparison (`_compared`);
the weights are fitted in process to how often each pattern of levels occurs (`mixture`:
a few dozen counts), and each pattern's probability is joined back to its pairs on the
engine, which Splink then clusters. Both engines find the same clusters: they compute the
same levels (names are compared with Levenshtein's distance, which both compute alike;
their Jaro-Winkler functions do not agree), every pair is counted and nothing is drawn at
random, so they fit the same model.

A record is one (authority, supplier as written, company number, charity number,
postcode). Records whose key, numbers and postcode agree are one supplier without a
model, so Splink sees each distinct key once. Names are compared by their keys
(`names.supplier_key`) two ways: as strings (typos, truncation, words reordered) and as
sets of words, where the words the two do not share must be alike (so "London Borough of
Hackney" and "London Borough of Lambeth", alike as strings, stay apart).
Numbers and postcodes, where given, are compared exactly."""

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
from splink.internals.blocking import block_using_rules_sqls
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_vector_values import (
    compute_comparison_vector_values_from_id_pairs_sqls,
)
from splink.internals.pipeline import CTEPipeline
from splink.internals.splink_dataframe import SplinkDataFrame
from splink.internals.vertically_concatenate import compute_df_concat_with_tf

from . import mixture
from .names import (
    LEGAL_FORMS,
    charity_number,
    company_number,
    name_variants,
    postcode,
    supplier_key,
)

# The match probability at and above which two records are one supplier: likelier one than
# two. The model's probabilities are a mixture's fitted to the pairs scored (`mixture`), so
# they mean the same at every size. On synthetic sets of another seed than the bench's
# (`truth_set(..., seed=7)`), pairwise F1 at 0.5: 10,000 names 0.959, 50,000 0.958,
# 200,000 0.957.
THRESHOLD = 0.5
COLUMNS = ["authority", "supplier", "company_number", "charity_number", "postcode"]

# A finance system cuts names at a column's width (20 to 35 characters seen): a shorter
# name that starts another is a name of its own ("Acme" / "Acme Care"), not a cut.
CUT_WIDTH = 15
# A word at most this many distinct names have is rare enough to block on as a name's second
# rarest (`_with_rarest`). At 200,000 names (with Splink's own training, before `mixture`),
# 12 gave a pairwise F1 of 0.939, 40 and 200 0.938, with more pairs to score.
RARE = 12

# A first word more distinct names than this have is common ("LONDON", "ST", "ROYAL"): a
# name's head then takes its second word too (`_head`), or one block holds every name that
# starts with it: at 200,000 names, 492,000 of the 822,000 candidate pairs, nearly all two
# suppliers. With the second word's last letter, 126,000 of 456,000, and pairwise F1 0.955
# (0.954 before; 0.950 with the whole second word, which loses its typos).
COMMON_FIRST = 100

# Pairs of distinct keys are scored when any rule holds; each catches what the others
# miss, so a variant is lost only if it differs from every other spelling in all of these
# at once. No rule blocks on a common word alone (a trade word such as "CARE" is in
# thousands of names): each block stays small.
BLOCKING_RULES: list[BlockingRuleCreator | dict[str, Any]] = [
    # The first word and the second's first letter (and last, after a common first word:
    # `_head`): a name cut short, a word added or dropped at the end, a typo inside the
    # second word.
    block_on("head"),
    # The words after the first, and the first's first and last letters: a typo inside
    # the first word ("DAWIRI MEDIA" / "DOWIRI MEDIA"). Its own letters keep the blocks of
    # names ending in a trade word small.
    block_on("rest"),
    # The first two words in alphabetical order: the two swapped ("Smith Jones Care" /
    # "Jones Smith Care").
    block_on("first_two"),
    # The key's rarest word (fewest distinct keys have it): the same name with its words
    # in another order, or cut, or with a typo in another word. Never a common word
    # unless the name has nothing rarer, so its blocks stay small.
    block_on("rarest"),
    # The next rarest word, if rare itself (`_with_rarest`): a typo in the rarest word
    # ("SAVOAX WICKNEWORTHRIDGE" / "SAVOXA WICKNEWORTHRIDGE") leaves this one to meet on,
    # whichever of the two is the other name's rarest.
    block_on("second"),
    {"blocking_rule": "l.rarest = r.second"},
    {"blocking_rule": "l.second = r.rarest"},
    # A one-word key's ends: a typo in the middle of the only word.
    block_on("lone_ends"),
    # A one-word key's letters in alphabetical order: two letters swapped, even at its
    # start or end ("LYEVO" / "LEYVO").
    block_on("lone_letters"),
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
    unknown) into suppliers, on the spend engine named (AMBITION_SPEND_ENGINE if none).

    Records whose key, numbers and postcode all agree are one supplier without a model:
    Splink scores the distinct ones only (each stands for its group by its first record's
    id), and every record then takes its group's cluster."""
    started = time.perf_counter()
    records = prepared(frame)
    distinct = _with_rarest(_distinct(records))
    if distinct.height < 2:
        scored = _no_pairs()
        found = distinct.select(
            "unique_id", pl.col("unique_id").cast(pl.String).alias("cluster_id")
        )
        model: dict[str, Any] = {}
    else:
        linker = _linker(distinct, engine or settings.SPEND_ENGINE)
        with _quiet():
            levels = _compared(linker)
            model, patterns = _fitted(linker, levels)
            predicted = _weighed(linker, levels, mixture.weighed(model, patterns), threshold)
            clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predicted, threshold
            )
        scored = _pairs(_polars(predicted))
        found = _polars(clusters).select("unique_id", "cluster_id")
    pairs = pl.concat([scored, _same_key_pairs(records)]).sort(
        "match_probability", descending=True, maintain_order=True
    )
    return Resolution(
        _joined(records, found, pairs), pairs, model, threshold, time.perf_counter() - started
    )


SAME = ["key", "company_number", "charity_number", "postcode"]  # agreeing: one supplier


def _distinct(records: pl.DataFrame) -> pl.DataFrame:
    """One record for each distinct key, numbers and postcode (the first, by id), with
    every trading-name variant of its group."""
    return (
        records.group_by(SAME, maintain_order=True)
        .agg(
            pl.all().exclude(SAME, "variants").first(),
            pl.col("variants")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .unique(maintain_order=True),
        )
        .select(records.columns)
    )


def _with_rarest(records: pl.DataFrame) -> pl.DataFrame:
    """Each record's rarest word: the word of its key that the fewest distinct records
    have (the first alphabetically of equals), counted over these records; its `second`
    rarest, where both it and the rarest are had by at most `RARE` records; and its
    `head`, which needs to know whether its first word is common."""
    counts = (
        records.select(pl.col("tokens").list.unique().explode().alias("word"))
        .group_by("word")
        .len("have")
    )
    words = (
        records.select("unique_id", pl.col("tokens").alias("word"))
        .explode("word")
        .join(counts, on="word")
        .sort("have", "word")
        .group_by("unique_id")
        .agg(
            pl.col("word").first().alias("rarest"),
            pl.col("word").filter(pl.col("have") <= RARE).get(1, null_on_oob=True).alias("second"),
        )
    )
    first = counts.rename({"word": "_first", "have": "_first_have"})
    return (
        records.join(words, on="unique_id", how="left")
        .with_columns(pl.col("tokens").list.first().alias("_first"))
        .join(first, on="_first", how="left", maintain_order="left")
        .with_columns(_head(pl.col("tokens"), pl.col("_first_have") > COMMON_FIRST))
        .drop("_first", "_first_have")
    )


def _head(words: pl.Expr, common: pl.Expr) -> pl.Expr:
    """The name's head: its first word and the second's first letter; and, where the first
    word is common (`COMMON_FIRST`), the second's last letter too."""
    first, second = words.list.first(), words.list.get(1, null_on_oob=True)
    ends = (
        pl.when(common)
        .then(second.str.slice(0, 1) + second.str.slice(-1))
        .otherwise(second.str.slice(0, 1))
    )
    return (first + " " + ends).fill_null(first).alias("head")


def _group(records: pl.DataFrame) -> pl.Expr:
    """Each record's group: the id of the first record with its key, numbers and postcode."""
    return pl.col("unique_id").min().over(SAME).alias("group")


def _same_key_pairs(records: pl.DataFrame) -> pl.DataFrame:
    """The pairs no model scored: each record with the first of its group, certain."""
    grouped = records.select("unique_id", "supplier", _group(records))
    first = grouped.select(
        pl.col("unique_id").alias("unique_id_l"), pl.col("supplier").alias("supplier_l")
    )
    return (
        grouped.filter(pl.col("unique_id") != pl.col("group"))
        .join(first, left_on="group", right_on="unique_id_l")
        .select(
            pl.col("group").alias("unique_id_l"),
            pl.col("unique_id").alias("unique_id_r"),
            "supplier_l",
            pl.col("supplier").alias("supplier_r"),
            pl.lit(1.0).alias("match_probability"),
            pl.lit(None, pl.Float64).alias("match_weight"),
        )
        .cast({"unique_id_l": pl.UInt32, "unique_id_r": pl.UInt32})
    )


def _linker(records: pl.DataFrame, engine: str) -> Linker:
    """A linker on Splink's backend for the spend engine, DuckDB in process or Spark in a
    child session of the engine's one SparkSession (ids as Spark's signed integers), with
    the comparisons in its SQL (`_levels`)."""
    if engine != "spark":
        return Linker(
            records.to_arrow(), _levels("duckdb"), db_api=DuckDBAPI(), set_up_basic_logging=False
        )
    from splink.backends.spark import SparkAPI

    from ambition.spend.engine.spark import spark_session  # starts Java: only when asked

    session = spark_session().newSession()
    table = session.createDataFrame(
        records.with_columns(pl.col("unique_id").cast(pl.Int64)).to_arrow()
    )
    api = SparkAPI(spark_session=session)  # intermediate tables as Parquet, Splink's default
    return Linker(table, _levels("spark"), db_api=api, set_up_basic_logging=False)


def _levels(dialect: str) -> dict[str, Any]:
    """Splink's settings in a backend's SQL, without weights: only the level each pair
    meets is asked of Splink (`_compared`); the model weighs the patterns (`_weighed`)."""
    found = model_settings(dialect).create_settings_dict(dialect)
    found["retain_matching_columns"] = False  # the levels are enough: not the lists compared
    return found


def _compared(linker: Linker) -> SplinkDataFrame:
    """Every candidate pair once, with its level of each comparison (its gammas): the
    first steps of Splink's `predict` (its blocking and its comparisons' SQL), with the
    pairs' columns written out before they are compared. Compared straight off the join,
    as `predict` does, the same pairs took DuckDB twice as long (10.3 s against 5.6 s at
    200,000 names); and the Bayes factors `predict` goes on to compute are not needed."""
    db, found = linker._db_api, linker._settings_obj
    concat, blocked = _blocked(linker)
    joining, comparing = compute_comparison_vector_values_from_id_pairs_sqls(
        found._columns_to_select_for_blocking,
        found._columns_to_select_for_comparison_vector_values,
        sql_dialect_str=linker._sql_dialect_str,
        **_read_from_records(linker),
    )
    pipeline = CTEPipeline([blocked, concat])
    pipeline.enqueue_sql(joining["sql"], joining["output_table_name"])
    joined = db.sql_pipeline_to_splink_dataframe(pipeline)
    pipeline = CTEPipeline([joined])
    pipeline.enqueue_sql(comparing["sql"], comparing["output_table_name"])
    compared = db.sql_pipeline_to_splink_dataframe(pipeline)
    for done in (joined, blocked):
        done.drop_table_from_database_and_remove_from_cache()
    return compared


def _blocked(linker: Linker) -> tuple[SplinkDataFrame, SplinkDataFrame]:
    """The records as Splink reads them, and the candidate pairs its blocking rules make
    (`join_key_l`, `join_key_r`: the records' ids), each pair once."""
    concat = compute_df_concat_with_tf(linker, CTEPipeline())
    pipeline = CTEPipeline([concat])
    pipeline.enqueue_list_of_sqls(
        block_using_rules_sqls(
            blocking_rules=linker._settings_obj._blocking_rules_to_generate_predictions,
            **_read_from_records(linker),
        )
    )
    return concat, linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)


def _read_from_records(linker: Linker) -> dict[str, Any]:
    """What Splink's blocking and comparison SQL are told of the records: the table both
    sides of a pair come from (one table: a dedupe), the link type and the id columns."""
    found = linker._settings_obj
    ids = found.column_info_settings
    return {
        "input_tablename_l": "__splink__df_concat_with_tf",
        "input_tablename_r": "__splink__df_concat_with_tf",
        "link_type": found._link_type,
        "source_dataset_input_column": ids.source_dataset_input_column,
        "unique_id_input_column": ids.unique_id_input_column,
    }


def candidates(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What `resolve` would score, for scoring it another way (the bench's baseline): every
    record of `frame` with its key (`prepared`), and the candidate pairs of distinct records
    its blocking rules make, by their keys (`key_l`, `key_r`), on DuckDB."""
    records = prepared(frame)
    distinct = _with_rarest(_distinct(records))
    _, blocked = _blocked(_linker(distinct, "duckdb"))
    ids = _polars(blocked).select(
        pl.col("join_key_l").cast(pl.UInt32), pl.col("join_key_r").cast(pl.UInt32)
    )
    keys = distinct.select("unique_id", "key")
    pairs = ids.join(keys, left_on="join_key_l", right_on="unique_id").join(
        keys, left_on="join_key_r", right_on="unique_id", suffix="_r"
    )
    return records.select("supplier", "key"), pairs.select(pl.col("key").alias("key_l"), "key_r")


def _gammas(model: dict[str, Any]) -> list[str]:
    return [f"gamma_{c['output_column_name']}" for c in model["comparisons"]]


def _fitted(linker: Linker, levels: SplinkDataFrame) -> tuple[dict[str, Any], pl.DataFrame]:
    """The model, as Splink's settings in DuckDB's SQL (as kept with a run): the weights and
    prior fitted to how often each pattern of levels occurs among the candidate pairs
    (`mixture.fitted`), counted where they were scored. Every pair counts and nothing is
    drawn at random, so both engines, scoring the same pairs alike, fit the same model. With
    it, the patterns' counts (a gamma column per comparison and `pairs`)."""
    settings = model_settings().create_settings_dict("duckdb")
    gammas = ", ".join(_gammas(settings))
    counted = linker.misc.query_sql(
        f"SELECT {gammas}, count(*) AS pairs FROM {levels.physical_name} GROUP BY {gammas}",
        output_type="splink_df",
    )
    patterns = _polars(counted)
    counted.drop_table_from_database_and_remove_from_cache()
    model = mixture.fitted(settings, patterns)
    model.pop("linker_uid", None)  # a random name: the same pairs, the same model
    return _rounded(model), patterns


def _weighed(
    linker: Linker, levels: SplinkDataFrame, weights: pl.DataFrame, threshold: float
) -> SplinkDataFrame:
    """The candidate pairs at or above the threshold, each with its pattern's match weight
    and probability (`weights`: `mixture.weighed`, as Splink's predict would give them),
    joined to the pairs on the engine that scored them: the comparisons run once."""
    gammas = [c for c in weights.columns if c.startswith("gamma_")]
    name = "__ambition_pattern_weights"
    linker.table_management.register_table(weights.to_dict(as_series=False), name, True)
    on = " AND ".join(f"p.{g} = w.{g}" for g in gammas)
    return linker.misc.query_sql(
        "SELECT p.unique_id_l, p.unique_id_r, p.supplier_l, p.supplier_r, w.match_weight, "
        f"w.match_probability FROM {levels.physical_name} p JOIN {name} w ON {on} "
        f"WHERE w.match_probability >= {float(threshold)!r}",
        output_type="splink_df",
    )


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
    written = names.drop_nulls().to_list()
    keys = [supplier_key(name) for name in written]
    # Nearly every name is one name: its variants are its key alone, made in Polars; only
    # a "trading as" name has more, built here (a list per row from Python is slow).
    traded = {
        name: list(found)
        for name, key in zip(written, keys, strict=True)
        if (found := name_variants(name, key)) != ((key,) if key else ())
    }
    keyed = pl.DataFrame(
        {"supplier": written, "key": keys}, schema={"supplier": pl.String, "key": pl.String}
    )
    more = pl.DataFrame(
        {"supplier": list(traded), "more": list(traded.values())},
        schema={"supplier": pl.String, "more": pl.List(pl.String)},
    )
    keyed = (
        keyed.join(more, on="supplier", how="left")
        .with_columns(
            pl.when(pl.col("more").is_not_null())
            .then(pl.col("more"))
            .when(pl.col("key") != "")
            .then(pl.concat_list("key"))
            .otherwise(pl.lit([], pl.List(pl.String)))
            .alias("variants")
        )
        .drop("more")
    )
    words = pl.col("key").str.split(" ")
    # Compared and blocked on without legal forms: one left inside a name ("Acme Ltd
    # Care", a word moved) is no word of the supplier's.
    legal = words.list.filter(~pl.element().is_in(sorted(LEGAL_FORMS)))
    words = pl.when(legal.list.len() > 0).then(legal).otherwise(words)
    return keyed.with_columns(
        words.alias("tokens"),
        (words.list.len() == 1).alias("one_word"),
        pl.when(words.list.len() > 1)
        .then(
            words.list.slice(1).list.join(" ")
            + "|"
            + pl.col("key").str.slice(0, 1)
            + words.list.first().str.slice(-1)
        )
        .alias("rest"),
        words.list.sort().list.join(" ").alias("sorted"),
        words.list.slice(0, 2).list.sort().list.join(" ").alias("first_two"),
        pl.col("key").str.slice(0, 1).alias("initial"),
        (pl.col("key").str.slice(0, 3) + "|" + pl.col("key").str.slice(-3)).alias("ends"),
        pl.when(words.list.len() == 1)
        .then(pl.col("key").str.slice(0, 3) + "|" + pl.col("key").str.slice(-3))
        .alias("lone_ends"),
        pl.when(words.list.len() == 1)
        .then(pl.col("key").str.split("").list.sort().list.join(""))
        .alias("lone_letters"),
    )


@dataclass(frozen=True)
class _Dialect:
    """The SQL of the custom levels that differs between Splink's backends."""

    unshared: str  # the words one name has that the other lacks, sorted and joined
    shared_variant: str  # the two names share a trading-name variant
    starts_with: str  # a function: does the first string start with the second?
    # every word of one name is near a word of the other (`_NEAR`): asked of the words
    # the other lacks, as a word the other has is near itself
    alike: str
    shared_word: str  # the two names have a word in common
    letters: str  # the letters of {x}, sorted (a function of one string, as a format)
    # every word of name {a} is a word of name {b} (a native test: a lambda that lists the
    # words one lacks, sorted and joined, took twice as long)
    has_all: str

    def slip(self, left: str, right: str) -> str:
        """One slip apart: an edit, or two letters swapped (two edits to Levenshtein, one
        typo to whoever wrote it): the same length, the same letters and two edits apart
        (which lets two letters swapped that are not neighbours in too: "KASAKA" /
        "SAKAKA"). Two distinct words two edits apart ("HAMBAJO" / "HAMTIJO") are not one
        slip apart, though Levenshtein alone cannot tell them from a swap. Nor are two
        short ones (under `SHORT` letters): a slip in an acronym or a number is likelier
        another body ("BDO" / "BDP", "2 3" / "4 5"). In a word shorter than `NEIGHBOURS`,
        only two neighbours swap: a letter moved further in a short name is another name
        ("CBRE" / "CEBR")."""
        swap = (
            f"length({left}) = length({right}) AND levenshtein({left}, {right}) = 2"
            f" AND {self.letters.format(x=left)} = {self.letters.format(x=right)}"
            f" AND {_neighbours_swapped(left, right)}"
        )
        # Lengths more than one apart are more than one edit apart: tested first, cheaply.
        near = (
            f"abs(length({left}) - length({right})) <= 1"
            f" AND least(length({left}), length({right})) >= {SHORT}"
        )
        # Initials written apart or together ("H M" / "HM") are one spelling, however short.
        spaced = _spaced(left, right)
        return f"(({near} AND (levenshtein({left}, {right}) <= 1 OR ({swap}))) OR {spaced})"

    def in_other(self, a: str, b: str) -> str:
        return self.has_all.format(a=a, b=b)

    def left_only(self) -> str:
        return self.unshared.format(a="l", b="r")

    def right_only(self) -> str:
        return self.unshared.format(a="r", b="l")

    def words_alike(self) -> str:
        near = _NEAR.format(starts_with=self.starts_with, short=SHORT)
        return " OR ".join(
            f"({self.alike.format(a=a, b=b, near=near)})" for a, b in (("l", "r"), ("r", "l"))
        )

    def sharing(self, condition: str, lone: bool = False) -> str:
        """The condition, asked only of names with a word in common (or, if `lone`, of
        two one-word names): a cheap test first spares the word-by-word ones for most
        pairs (nearly every random pair that trains u has none)."""
        first = f"({self.shared_word} OR {_LONE})" if lone else self.shared_word
        return f"{first} AND ({condition})"


_LONE = "(one_word_l AND one_word_r)"


def _spaced(left: str, right: str) -> str:
    """The same letters, spaced apart otherwise (the SQL is alike on every backend)."""
    return f"replace({left}, ' ', '') = replace({right}, ' ', '')"


def _neighbours_swapped(left: str, right: str) -> str:
    """The strings, if shorter than `NEIGHBOURS`, are one pair of neighbouring letters
    swapped (asked of strings already known to be two edits apart with the same letters)."""
    swaps = " OR ".join(
        f"{right} = substr({left}, 1, {i - 1}) || substr({left}, {i + 1}, 1)"
        f" || substr({left}, {i}, 1) || substr({left}, {i + 2})"
        for i in range(1, NEIGHBOURS - 1)
    )
    return f"(length({left}) >= {NEIGHBOURS} OR {swaps})"


_SPACED = _spaced("key_l", "key_r")
# A word or a name of fewer letters than this is never a slip from another: one letter
# changed in an acronym or a number names another body.
SHORT = 4
# In a word shorter than this, a swap is of two neighbouring letters only (`_Dialect.slip`).
NEIGHBOURS = 6
# A word near another: the start of it (a name cut mid-word), or one slip from the start
# of it (cut, with a typo in what is left), or one edit, or more in a longer word (a
# letter swapped for its neighbour is two edits; a word may have two slips): up to 25
# edits in a hundred letters. At 200,000 names (before the bench's names had common first
# words), 20 / 25 / 30 / 35 gave a pairwise F1 of 0.946 / 0.955 / 0.952 / 0.947: more
# lets two made-up words of two suppliers pass as one ("FEPAFE" / "FEQUAFE"), fewer loses
# a long word's two typos. Lengths differ by no more than the edits between them, so a
# cheap test first spares most of Levenshtein's distances, and one distance is computed,
# not two (at most one edit, or at most 25 in a hundred letters). Words shorter than
# `SHORT` are near only what they start.
_NEAR = (
    "({starts_with}(y, x) OR (length(x) >= {short} AND length(x) < length(y)"
    " AND levenshtein(x, substr(y, 1, length(x))) <= 1)"
    " OR (least(length(x), length(y)) >= {short}"
    " AND 100 * abs(length(x) - length(y)) <= {most}"
    " AND 100 * levenshtein(x, y) <= {most}))"
).replace("{most}", "greatest(100, 25 * greatest(length(x), length(y)))")


DIALECTS = {
    "duckdb": _Dialect(
        "array_to_string(list_sort(list_filter(tokens_{a}, "
        "lambda t: NOT list_contains(tokens_{b}, t))), ' ')",
        "list_has_any(variants_l, variants_r)",
        "starts_with",
        "len(list_filter(list_filter(tokens_{a}, lambda t: NOT list_contains(tokens_{b}, t)), "
        "lambda x: len(list_filter(tokens_{b}, lambda y: {near})) = 0)) = 0",
        "list_has_any(tokens_l, tokens_r)",
        "list_sort(string_split({x}, ''))",
        "list_has_all(tokens_{b}, tokens_{a})",
    ),
    "spark": _Dialect(
        "array_join(array_sort(filter(tokens_{a}, t -> NOT array_contains(tokens_{b}, t))), ' ')",
        "arrays_overlap(variants_l, variants_r)",
        "startswith",
        "NOT exists(filter(tokens_{a}, t -> NOT array_contains(tokens_{b}, t)), "
        "x -> NOT exists(tokens_{b}, y -> {near}))",
        "arrays_overlap(tokens_l, tokens_r)",
        "array_sort(split({x}, ''))",
        "size(array_except(tokens_{a}, tokens_{b})) = 0",
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
            cll.ExactMatchLevel("sorted"),
            _slip(sql),
            _cut(sql),
            _cut_with_slips(),
            # Two bands: a third between them (20%) left F1 at 200,000 names as it was
            # (0.955) and took 6% of the comparisons' time.
            _edits_per_letters(10),
            _edits_per_letters(30),
            cll.ElseLevel(),
        ],
    )
    words = cl.CustomComparison(
        output_column_name="words",
        comparison_levels=[
            cll.NullLevel("key"),
            cll.CustomLevel(
                sql.sharing(f"{sql.in_other('l', 'r')} AND {sql.in_other('r', 'l')}"),
                "the same words",
            ),
            # A name cut short (at a column's width, even mid-word: "Hammersmith & Ful")
            # or with words added at its end is likelier one supplier than words added
            # anywhere ("Enterprise" / "IOI Enterprise"): two levels, weighed apart.
            _cut(sql),
            cll.CustomLevel(
                sql.sharing(f"{sql.in_other('l', 'r')} OR {sql.in_other('r', 'l')}"),
                "one's words in the other",
            ),
            # Or only in how initials are spaced ("J C Decaux" / "JC Decaux"), which splits
            # words and joins them.
            cll.CustomLevel(
                f"{_SPACED} OR "
                + sql.sharing(sql.slip(sql.left_only(), sql.right_only()), lone=True),
                "words differ by a slip",
            ),
            # Words reordered, added or cut, and some written with a slip, at once.
            cll.CustomLevel(
                sql.sharing(sql.words_alike()), "every word of one near a word of the other"
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


def _cut(sql: _Dialect) -> cll.CustomLevel:
    return cll.CustomLevel(
        f"({sql.starts_with}(key_l, key_r) AND length(key_r) >= {CUT_WIDTH}) OR "
        f"({sql.starts_with}(key_r, key_l) AND length(key_l) >= {CUT_WIDTH})",
        "one name the start of the other",
    )


def _cut_with_slips() -> cll.CustomLevel:
    """The shorter key (a column's width or longer) at most one edit in ten letters from
    the start of the longer, as long as itself: a name cut short with a typo in what is
    left."""

    def cut(short: str, long: str) -> str:
        return (
            f"(length(key_{short}) >= {CUT_WIDTH} AND length(key_{long}) > length(key_{short})"
            f" AND 100 * levenshtein(key_{short}, substr(key_{long}, 1, length(key_{short})))"
            f" <= 10 * length(key_{short}))"
        )

    return cll.CustomLevel(f"{cut('l', 'r')} OR {cut('r', 'l')}", "a cut name with slips")


# Sorting the words changes one of the keys: only then can the sorted words be nearer than
# the keys (a cheap test that spares a second Levenshtein's distance for most pairs).
_REORDERED = "(key_l <> sorted_l OR key_r <> sorted_r)"


def _slip(sql: _Dialect) -> cll.CustomLevel:
    """The keys, or their words in alphabetical order, one slip apart (`_Dialect.slip`:
    Levenshtein's distance and sorted letters, the same answer on every backend). More
    edits are weighed by the names' length (`_edits_per_letters`)."""
    return cll.CustomLevel(
        f"{sql.slip('key_l', 'key_r')} OR ({_REORDERED} AND {sql.slip('sorted_l', 'sorted_r')})",
        "one slip apart",
    )


def _edits_per_letters(percent: int) -> cll.CustomLevel:
    """The keys, or their words in alphabetical order, at most `percent` edits in a
    hundred letters of the longer apart: a long name carries more slips than a short one
    (in whole numbers, so every backend draws the line at the same place)."""

    def within(column: str) -> str:
        longer = f"greatest(length({column}_l), length({column}_r))"
        # Lengths differ by no more than the edits between them: a cheap test first spares
        # Levenshtein's distance for most pairs, and draws the same line.
        lengths = f"100 * abs(length({column}_l) - length({column}_r)) <= {percent} * {longer}"
        edits = f"100 * levenshtein({column}_l, {column}_r) <= {percent} * {longer}"
        return f"{lengths} AND {edits}"

    return cll.CustomLevel(
        f"({within('key')}) OR ({_REORDERED} AND {within('sorted')})",
        f"at most {percent}% of letters edited",
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


def _rounded(model: dict[str, Any]) -> dict[str, Any]:
    """The model's probabilities to 9 significant figures, as kept with a run."""

    def rounded(p: float) -> float:
        return float(f"{p:.9g}")

    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                if level.get(key) is not None:
                    level[key] = rounded(level[key])
    prior = "probability_two_random_records_match"
    model[prior] = rounded(model[prior])
    return model


def _pairs(scored: pl.DataFrame) -> pl.DataFrame:
    return scored.select(
        "unique_id_l", "unique_id_r", "supplier_l", "supplier_r", "match_probability",
        "match_weight",
    ).sort("match_probability", descending=True)  # fmt: skip


def _joined(records: pl.DataFrame, clusters: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Each record's cluster (its group's), and the strongest pair joining it to another
    record: scored between groups, or certain within one."""
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
    grouped = records.drop("variants", "tokens", "sorted", "one_word").with_columns(_group(records))
    return (
        grouped.join(
            clusters.with_columns(pl.col("unique_id").cast(pl.UInt32)),
            left_on="group",
            right_on="unique_id",
            how="left",
        )
        .join(ends.with_columns(pl.col("unique_id").cast(pl.UInt32)), on="unique_id", how="left")
        .with_columns(pl.col("cluster_id").fill_null(pl.col("group").cast(pl.String)))
        .drop("group")
    )


def _no_pairs() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"unique_id_l": pl.UInt32, "unique_id_r": pl.UInt32, "supplier_l": pl.String,
                "supplier_r": pl.String, "match_probability": pl.Float64,
                "match_weight": pl.Float64}
    )  # fmt: skip
