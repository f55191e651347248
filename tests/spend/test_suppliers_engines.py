"""Supplier resolution on the real GLA and Lambeth files, on DuckDB and on Spark: the same
clusters, name for name, and the same pairs with the same probabilities. Each engine finds
the pairs' levels, and the model is fitted to their counts deterministically, so the same
levels give the same model. In Spark local mode, one SparkSession for the
module (the process's own)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from ambition.registry.models import Authority
from ambition.spend.suppliers.resolve import Resolution, resolve
from ambition.spend.suppliers.runs import stored_suppliers

from .test_store import GLA, LAMBETH_FILES, store_gla, store_lambeth

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17: make java"),
    pytest.mark.skipif(not GLA.exists(), reason="the shared data is not here"),
]
GLA_FILES = ["2013-P01.csv.gz", "2019-P05.csv.gz"]
LAMBETH_SOME = LAMBETH_FILES[:2]


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_both_engines_cluster_the_real_suppliers_alike() -> None:
    store_gla(Authority.objects.get(code="E61000001"), GLA_FILES)
    store_lambeth(Authority.objects.get(code="E09000022"), LAMBETH_SOME)
    suppliers = stored_suppliers()
    assert suppliers["authority"].n_unique() == 2 and suppliers.height > 1000
    duck, spark = resolve(suppliers, engine="duckdb"), resolve(suppliers, engine="spark")
    assert spark.model == duck.model  # the same counts, the same model
    assert clusters(spark) == clusters(duck)
    assert sum(len(group) > 1 for group in clusters(duck)) > 50  # not every name alone
    assert pairs(spark) == pytest.approx(pairs(duck), abs=1e-9)


def clusters(resolution: Resolution) -> set[frozenset[tuple[str, str]]]:
    """Each cluster as the set of its records (authority, supplier as written)."""
    grouped = resolution.records.group_by("cluster_id").agg(
        pl.struct("authority", "supplier").alias("members")
    )
    return {
        frozenset((m["authority"], m["supplier"]) for m in members)
        for members in grouped["members"]
    }


def pairs(resolution: Resolution) -> dict[tuple[int, int], float]:
    found = resolution.pairs.select("unique_id_l", "unique_id_r", "match_probability")
    return {(left, right): p for left, right, p in found.iter_rows()}
