"""Supplier resolution with Splink: on a synthetic set with a known truth, pairwise F1
above a floor; on the real GLA and Lambeth files, the many spellings of one London borough
cluster together, distinct boroughs and companies stay apart, redacted suppliers stay out,
and the run is kept as Parquet with its manifest."""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from ambition.registry.models import Authority
from ambition.spend.suppliers.resolve import resolve
from ambition.spend.suppliers.runs import latest_run
from ambition.spend.suppliers.synthetic import (
    LEADING,
    TRADES,
    base_names,
    crowding,
    first_word_sharing,
    pairwise_scores,
    truth_set,
)

from .test_store import GLA_SUBSET, LAMBETH_FILES, store_gla, store_lambeth

F1_FLOOR = 0.9  # the bench's goal is 0.95 on 200,000 names; a small set is noisier


def test_a_synthetic_truth_is_found() -> None:
    names = truth_set(1500, 300)
    resolution = resolve(names.select("supplier"))
    found = names.join(resolution.records.select("supplier", "cluster_id"), on="supplier")
    scores = pairwise_scores(found)
    assert scores["f1"] >= F1_FLOOR, scores
    assert resolution.model["comparisons"]  # the trained model is kept


def test_the_kept_model_gives_splinks_own_probabilities() -> None:
    """The pairs are weighed by their patterns of levels (`mixture.weighed`), not by
    Splink's `predict`: the model kept with the run, given to Splink, scores them alike."""
    from splink import DuckDBAPI, Linker

    from ambition.spend.suppliers.resolve import _distinct, _polars, _with_rarest, prepared

    frame = truth_set(3000, 600).select("supplier")
    resolution = resolve(frame)
    records = _with_rarest(_distinct(prepared(frame)))  # the ids the run gave
    linker = Linker(
        records.to_arrow(), resolution.model, db_api=DuckDBAPI(), set_up_basic_logging=False
    )
    ids = ["unique_id_l", "unique_id_r"]
    theirs = _polars(linker.inference.predict(resolution.threshold)).select(
        *ids, pl.col("match_probability").cast(pl.Float64).alias("splink")
    )
    ours = resolution.pairs.filter(pl.col("match_weight").is_not_null())
    assert ours.height > 1000
    both = ours.join(theirs, on=ids, how="full", coalesce=True)
    assert both.height == ours.height == theirs.height
    assert (both["match_probability"] - both["splink"]).abs().max() < 1e-9


@pytest.mark.parametrize("bases", [1_000, 8_000])
def test_the_synthetic_bases_share_words_alike_at_every_size(bases: int) -> None:
    """About three bases to a made-up word, at any size (the vocabulary grows with the
    bases); their words stay less crowded than two or three syllables made them."""
    names = base_names(bases, random.Random(13))
    assert len(set(names)) == bases
    made_up = set(TRADES) | set(LEADING) | {"AND"}
    words = Counter(w for n in names for w in set(n.split()) if w not in made_up)
    assert 2.5 <= sum(words.values()) / len(words) <= 3.5
    assert 0 < crowding(names) < 0.3
    # As in a real register, many names start with a few common words (0.0014 in the GLA's
    # and Lambeth's): never only made-up ones (0.00003 at 40,000 bases).
    assert 0.0008 < first_word_sharing(names) < 0.005


def test_the_same_names_train_the_same_model() -> None:
    """Training samples nothing at random and rounds away the order DuckDB's threads add
    in: the model is a function of the names, so every engine can score with it."""
    names = truth_set(3000, 600).select("supplier")
    first, second = resolve(names), resolve(names.reverse())
    assert first.model == second.model
    assert first.model["probability_two_random_records_match"] > 0


def test_every_level_weighs_something() -> None:
    """A level no pair met still has weights (`mixture.PSEUDO_PAIRS`): never a 0 that leaves
    a pair's weight undefined."""
    model = resolve(truth_set(3000, 600).select("supplier")).model
    levels = [level for c in model["comparisons"] for level in c["comparison_levels"]]
    weighed = [level for level in levels if not level.get("is_null_level")]
    assert all((level.get("u_probability") or 0) > 0 for level in weighed)


def test_words_in_another_order_meet_by_their_rarest_word() -> None:
    """Three words moved (no first word, first two words or start in common) still meet:
    both have the rarest word, so the pair is scored, and joined."""
    names = truth_set(1500, 300).select("supplier")
    moved = pl.DataFrame(
        {"supplier": ["Quokkaville Zebrafold Care Homes", "Care Homes Zebrafold Quokkaville"]}
    )
    resolution = resolve(pl.concat([names, moved]))
    cluster = dict(resolution.records.select("supplier", "cluster_id").iter_rows())
    assert (
        cluster["Quokkaville Zebrafold Care Homes"] == cluster["Care Homes Zebrafold Quokkaville"]
    )


def test_records_with_one_key_are_one_supplier_and_all_kept() -> None:
    """Two authorities writing the same names (and a third writing them in capitals):
    each key is scored once, and every record comes back in its key's cluster, joined to
    the first of them with certainty."""
    names = truth_set(400, 80).select("supplier").unique().sort("supplier")
    frame = pl.concat(
        [
            names.with_columns(pl.lit("A").alias("authority")),
            names.with_columns(pl.lit("B").alias("authority")),
            names.with_columns(
                pl.col("supplier").str.to_uppercase(), pl.lit("C").alias("authority")
            ),
        ]
    )
    resolution = resolve(frame)
    records = resolution.records
    assert records.height == frame.height
    assert records.group_by("key").agg(pl.col("cluster_id").n_unique())["cluster_id"].max() == 1
    keys = records["key"].n_unique()
    certain = resolution.pairs.filter(pl.col("match_probability") == 1.0)
    assert certain.height >= frame.height - keys  # each record but its key's first
    assert records.filter(pl.col("authority") != "A")["match_probability"].min() == 1.0


def test_a_company_number_joins_names_that_differ() -> None:
    """Two candidate pairs are too few to learn from: the number's set weight joins the
    names that share it, and the prior (a pseudo-count of each class) stays short of
    certain, so the pair without one is weighed on its names."""
    frame = pl.DataFrame(
        {"supplier": ["Zebra Holdings Ltd", "Zebra Group", "Quokka Ltd", "Quokka Limited",
                      "Wombat Care"],
         "company_number": ["1234567", "01234567", "7654321", None, None]}
    )  # fmt: skip
    cluster = dict(resolve(frame).records.select("supplier", "cluster_id").iter_rows())
    assert cluster["Zebra Holdings Ltd"] == cluster["Zebra Group"]
    assert cluster["Quokka Ltd"] == cluster["Quokka Limited"] != cluster["Zebra Group"]
    assert cluster["Wombat Care"] not in {cluster["Zebra Group"], cluster["Quokka Ltd"]}


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_real_suppliers_resolve_into_suppliers() -> None:
    store_gla(Authority.objects.get(code="E61000001"), GLA_SUBSET)
    store_lambeth(Authority.objects.get(code="E09000022"), LAMBETH_FILES)
    out = io.StringIO()
    call_command("resolve_suppliers", stdout=out)
    run = latest_run()
    assert run is not None and "Run 1" in out.getvalue()
    records = pl.read_parquet(run / "records.parquet")
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["counts"]["records"] == records.height
    assert pl.read_parquet(run / "pairs.parquet").height == manifest["counts"]["pairs"]
    cluster = dict(records.select("supplier", "cluster_id").iter_rows())
    together = [
        ["LB CAMDEN", "LONDON BOROUGH OF CAMDEN"],
        ["LB NEWHAM", "London Borough of Newham", "LONDON BOROUGH OF NEWHAM"],
        ["LB OF HAMMERSMITH AND FULHAM", "LONDON BOROUGH HAMMERSMITH & FULHAM",
         "London Borough of Hammersmith & Fulham"],
        ["LONDON BOROUGH HACKNEY", "LONDON BOROUGH OF HACKNEY", "LONDON BOROUGH OF HACKNEY - BSP"],
        ["LB TOWER HAMLETS", "LONDON BOROUGH OF TOWER HAMLETS"],
        ["Loughborough EMB", "Loughborough Emb Ltd"],
    ]  # fmt: skip
    for spellings in together:
        assert len({cluster[name] for name in spellings}) == 1, spellings
    apart = [spellings[0] for spellings in together] + [
        "LONDON BOROUGH OF LAMBETH", "LONDON BOROUGH OF SOUTHWARK", "LONDON BOROUGH OF SUTTON",
        "LONDON BOROUGH OF GREENWICH", "LOUGHBOROUGH UNIVERSITY",
    ]  # fmt: skip
    assert len({cluster[name] for name in apart}) == len(apart)
    assert not records.filter(pl.col("supplier").str.contains("(?i)redacted")).height


# Names cut short by a finance system's field width, once a known gap (the model weighed
# "one name is the start of the other" too lightly on this subset): joined since a cut
# name with a slip has its own level and no level's u is left at 0.
@pytest.mark.django_db
def test_names_cut_short_join_their_supplier() -> None:
    store_gla(Authority.objects.get(code="E61000001"), GLA_SUBSET)
    store_lambeth(Authority.objects.get(code="E09000022"), LAMBETH_FILES)
    call_command("resolve_suppliers", stdout=io.StringIO())
    run = latest_run()
    assert run is not None
    records = pl.read_parquet(run / "records.parquet")
    cluster = dict(records.select("supplier", "cluster_id").iter_rows())
    for spellings in (
        ["LONDON BOROUGH OF BARKING & DAGENHA", "LONDON BOROUGH OF BARKING AND DAGEN"],
        ["LONDON BOROUGH OF HAMMERSMITH & FUL", "London Borough of Hammersmith & Fulham"],
    ):
        assert len({cluster[name] for name in spellings}) == 1, spellings


def test_a_slip_is_an_edit_or_two_letters_swapped() -> None:
    """Two letters swapped is one typo but two Levenshtein edits; two distinct words two
    edits apart are not one slip apart. The same answer from DuckDB's SQL."""
    import duckdb

    from ambition.spend.suppliers.resolve import DIALECTS

    def slip(a: str, b: str) -> bool:
        found = duckdb.sql(f"SELECT {DIALECTS['duckdb'].slip(repr(a), repr(b))}").fetchall()
        return bool(found[0][0])

    assert slip("HAMBAJO", "HAMBJAO")  # swapped
    assert slip("HAMBAJO", "HAMBAO")  # a letter dropped
    assert slip("HAMBAJO", "HAMBAJO")
    assert not slip("HAMBAJO", "HAMTIJO")  # another word, two edits away
    assert not slip("HAMBAJO", "HAMJOBA")  # the same letters, more than a swap apart
    assert slip("KASAKA", "SAKAKA")  # two letters apart swapped, in a longer word
    assert slip("ACME", "AMCE") and slip("ACME", "CAME") and slip("ACMEO", "ACMOE")
    assert not slip("CBRE", "CEBR")  # in a short word, a letter moved is another name
    assert not slip("ABCDE", "ADCBE")  # and so are two that are not neighbours
    assert not slip("BDO", "BDP")  # an acronym a letter apart is another body
    assert not slip("2 3", "4 5")  # and so is a number
    assert slip("H M", "HM")  # initials spaced apart or not are one spelling


def test_numbers_and_initials_in_real_names() -> None:
    """Chambers at different numbers of one square stay apart, though every other word is
    shared; initials written apart or together join (names from the GLA's files)."""
    names = truth_set(1500, 300).select("supplier")
    real = pl.DataFrame(
        {"supplier": ["2-3 Gray's Inn Square", "4-5 Gray's Inn Square Chambers Limited",
                      "J C Decaux Uk Ltd", "JC Decaux UK Ltd"]}
    )  # fmt: skip
    resolution = resolve(pl.concat([names, real]))
    cluster = dict(resolution.records.select("supplier", "cluster_id").iter_rows())
    assert cluster["2-3 Gray's Inn Square"] != cluster["4-5 Gray's Inn Square Chambers Limited"]
    assert cluster["J C Decaux Uk Ltd"] == cluster["JC Decaux UK Ltd"]


def test_a_one_word_name_with_letters_swapped_at_its_start_joins() -> None:
    """One-word names are blocked on their ends and on their letters in order: a swap
    in the first letters (which changes both ends of a short word) still meets."""
    names = truth_set(1500, 300).select("supplier")
    swapped = pl.DataFrame({"supplier": ["Lyevoxa Ltd", "LEYVOXA LIMITED", "Leyvoxa"]})
    resolution = resolve(pl.concat([names, swapped]))
    cluster = dict(resolution.records.select("supplier", "cluster_id").iter_rows())
    assert cluster["Lyevoxa Ltd"] == cluster["LEYVOXA LIMITED"] == cluster["Leyvoxa"]
