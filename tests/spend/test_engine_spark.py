"""The Spark engine against DuckDB's: the same stored GLA files summarised to the penny
alike by year, month, supplier and service (and as plain `csv` + `Decimal` sums say), and
the same supplier clusters from Splink on either backend. In Spark local mode, one
SparkSession for the module (the process's own)."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from ambition.registry.models import Authority
from ambition.spend.engine import Step, connect
from ambition.spend.suppliers.resolve import COLUMNS, Resolution, resolve
from ambition.spend.suppliers.runs import SUPPLIERS
from ambition.spend.suppliers.synthetic import truth_set
from ambition.spend.transactions import open_transactions, summarise

from .test_store import GLA, GLA_SUBSET, as_plain, gla_sums, store_gla

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17: make java"),
]
BY = ("year", "month", "supplier", "service")


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


def summaries(authority: Authority, settings: object, engine: str) -> dict[str, list[dict]]:
    """Every summary of the authority's spend, and its distinct suppliers (sorted), as the
    engine finds them."""
    settings.SPEND_ENGINE = engine  # type: ignore[attr-defined]
    found = {by: summarise(authority, by).to_pylist() for by in BY}
    transactions = open_transactions(authority)
    try:
        suppliers = transactions.frame(SUPPLIERS).sort(COLUMNS, nulls_last=True)
    finally:
        transactions.close()
    return found | {"suppliers": suppliers.to_dicts()}


@pytest.mark.skipif(not GLA.exists(), reason="the shared data is not here")
@pytest.mark.django_db
def test_both_engines_summarise_the_stored_gla_files_to_the_penny(settings: object) -> None:
    gla = Authority.objects.get(code="E61000001")
    store_gla(gla, GLA_SUBSET)
    duck = summaries(gla, settings, "duckdb")
    spark = summaries(gla, settings, "spark")
    assert spark == duck  # every group, in the same order, with its count and total
    assert len(spark["suppliers"]) > 100
    expected = as_plain(gla_sums(GLA_SUBSET))
    for by in ("year", "month", "supplier"):
        assert {row[by]: row["amount"] for row in spark[by]} == expected[by]
    assert all(isinstance(row["amount"], Decimal) for row in spark["year"])
    assert sum(r["transactions"] for r in spark["year"]) > 1000


def test_parameters_are_bound_not_pasted() -> None:
    engine = connect("spark")
    try:
        engine.register_table(
            "rows",
            pa.table({"code": ["E1", "E2", "$code"], "day": [date(2020, 1, 31), None, None]}),
        )
        step = Step("picked", "SELECT code, day FROM rows WHERE code = $code OR code = '$code'")
        found = engine.run(step, {"code": "E1"}).to_pylist()
        assert found == [{"code": "E1", "day": date(2020, 1, 31)}, {"code": "$code", "day": None}]
        assert engine.frame(step, {"code": "nobody"}).height == 1
    finally:
        engine.close()


def test_the_views_of_two_engines_stay_apart() -> None:
    first, second = connect("spark"), connect("spark")
    try:
        first.register_table("rows", pa.table({"n": [1, 2]}))
        second.register_table("rows", pa.table({"n": [3]}))
        count = Step("counted", "SELECT COUNT(*) AS n FROM rows")
        assert first.run(count).to_pylist() == [{"n": 2}]
        assert second.run(count).to_pylist() == [{"n": 1}]
    finally:
        first.close()
        second.close()


def test_both_backends_find_the_same_suppliers() -> None:
    """Splink on DuckDB and on Spark score with one model, trained in process without
    random samples, and compare names with functions both backends compute alike
    (Levenshtein's distance, not Jaro-Winkler, whose two implementations differ): the same
    pairs with the same probabilities, so the same suppliers. The real files' case is
    test_suppliers_engines."""
    names = truth_set(150, 40).select("supplier")
    found = {engine: resolve(names, engine=engine) for engine in ("duckdb", "spark")}
    duck, spark = clusters(found["duckdb"]), clusters(found["spark"])
    assert spark == duck
    assert sum(len(group) > 1 for group in duck) >= 20  # not every name alone
    assert found["spark"].model == found["duckdb"].model
    assert probabilities(found["spark"]) == pytest.approx(probabilities(found["duckdb"]), abs=1e-9)


def clusters(resolution: Resolution) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for supplier, cluster in resolution.records.select("supplier", "cluster_id").iter_rows():
        groups.setdefault(cluster, set()).add(supplier)
    return {frozenset(group) for group in groups.values()}


def probabilities(resolution: Resolution) -> dict[tuple[str, str], float]:
    pairs = resolution.pairs.select("supplier_l", "supplier_r", "match_probability")
    return {(left, right): p for left, right, p in pairs.iter_rows()}
