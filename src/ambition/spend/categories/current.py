"""Every authority's current transactions with their procurement category and their supplier
as resolved across authorities: the one reading of categorised spend that every page, report
and check uses, so two of them never disagree about a council.

A row's category is decided by `categories.assign` (a person's label, the word rules, the
model learnt from labels), and for a row that gives nothing but its supplier, by the
supplier's clear category among the other rows (`categories.suppliers`). Its supplier is
the cluster its record is a member of in the latest supplier run, people's decisions
applied.

The rows never leave the spend engine (DuckDB, or Spark for every council in England):
what is worked out in process is small, once per state of the stored data (files,
supplier run, decisions, labels) in each server process: the category of each distinct
combination of the fields the rules read, the run's suppliers, and each supplier's clear
category. Those are written as Parquet files that the engine reads beside the
transactions, and the view `categorised` (`CATEGORISED`) joins them, one row per
transaction; every figure is an aggregate of it, summed by the engine (`Spend.frame`)."""

from __future__ import annotations

import itertools
import shutil
import threading
import uuid
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from django.conf import settings

from ambition.registry.models import Authority

from ..engine import SpendEngine, Step
from ..models import CategoryLabel, SpendFile, SupplierDecision, SupplierMember, SupplierRun
from ..transactions import open_transactions
from .assign import assign
from .rules import FIELDS, Category, Rules, cpv_of, shipped
from .suppliers import clear_categories

UNRESOLVED = "unresolved"  # the supplier key of a name no supplier run has seen yet
NUMBERS = ("company_number", "charity_number", "postcode")

# The tables worked out in process, each a Parquet file of a `Spend`'s folder, as the
# engine's views are named.
COMBINATION_TABLE = "spend_combination_categories"
SUPPLIER_TABLE = "spend_suppliers"
CLEAR_TABLE = "supplier_clear_categories"

# The distinct combinations of the fields the rules read: each is categorised once.
COMBINATIONS = Step("spend_combinations", f"SELECT DISTINCT {', '.join(FIELDS)} FROM transactions")


def _same(left: str, right: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{c} IS NOT DISTINCT FROM {right}.{c}" for c in columns)


# Each current row with its combination's category and its supplier as resolved: by the
# run where the run has its record (authority, spelling, numbers, postcode; a blank number
# is none), else named by its authority and spelling alone until the next run (a digest,
# the same on every engine and from request to request); none where the name is redacted.
SOURCED = Step(
    "sourced_transactions",
    "SELECT t.*, c.category, c.cpv, c.why, c.source, c.procurement, "
    "CASE WHEN t.redacted OR t.supplier IS NULL THEN NULL "
    f"ELSE COALESCE(m.supplier_key, '{UNRESOLVED}-' || md5(t.authority || '|' || t.supplier)) "
    "END AS supplier_key, "
    "CASE WHEN t.redacted OR t.supplier IS NULL THEN NULL "
    "ELSE COALESCE(m.supplier_name, t.supplier) END AS supplier_name "
    "FROM transactions t "
    f"LEFT JOIN {COMBINATION_TABLE} c ON {_same('t', 'c', FIELDS)} "
    f"LEFT JOIN {SUPPLIER_TABLE} m ON t.authority = m.authority AND t.supplier = m.supplier AND "
    + " AND ".join(f"COALESCE(t.{n}, '') = m.{n}" for n in NUMBERS),
)
# What each supplier's categorised rows were spent on: where one category clearly leads, a
# row of the supplier's that gives nothing else takes it.
SUPPLIER_SPEND = Step(
    "supplier_category_spend",
    "SELECT supplier_key, category, SUM(ABS(amount)) AS spend, COUNT(*) AS rows "
    "FROM sourced_transactions WHERE category IS NOT NULL AND supplier_key IS NOT NULL "
    "GROUP BY supplier_key, category",
)
_TAKEN = "t.category IS NULL AND s.category IS NOT NULL"
CATEGORISED = Step(
    "categorised",
    "SELECT t.authority, t.year, t.file_id, t.sheet, t.row, t.date, t.month, t.period_start, "
    "t.period_end, t.coverage_month, t.supplier, t.redacted, t.company_number, "
    "t.charity_number, t.postcode, t.amount, t.expense_type, t.account, t.service, t.purpose, "
    "t.supplier_key, t.supplier_name, "
    + ", ".join(
        f"CASE WHEN {_TAKEN} THEN s.{c} ELSE t.{c} END AS {c}"
        for c in ("category", "cpv", "why", "source")
    )
    + f", COALESCE(CASE WHEN {_TAKEN} THEN s.procurement ELSE t.procurement END, FALSE) "
    "AS procurement FROM sourced_transactions t "
    f"LEFT JOIN {CLEAR_TABLE} s ON t.category IS NULL "
    "AND t.supplier_key = s.supplier_key",
)
YEARS = Step("spend_years", "SELECT DISTINCT year FROM transactions ORDER BY year")
AUTHORITIES = Step("spend_authorities", "SELECT DISTINCT authority FROM transactions")

_STRINGS = (*FIELDS, "category", "cpv", "why", "source")
COMBINATION_SCHEMA = pa.schema(
    [*((name, pa.string()) for name in _STRINGS), ("procurement", pa.bool_())]
)
SUPPLIER_SCHEMA = pa.schema(
    [(n, pa.string()) for n in ("authority", "supplier", *NUMBERS, "supplier_key", "supplier_name")]
)
CLEAR_SCHEMA = pa.schema(
    [*((n, pa.string()) for n in ("supplier_key", "category", "cpv", "why", "source")),
     ("procurement", pa.bool_())]
)  # fmt: skip


# A run's records are read from the database and written this many at a time.
BATCH = 50_000


@dataclass(frozen=True)
class Spend:
    """Every authority's current spend as categorised: what the engine needs beside the
    stored transactions to give each its `category`, `cpv`, `why`, `source`,
    `procurement` (the category buys something), `supplier_key` and `supplier_name` (null
    for a redacted supplier), as the view `categorised`. Those tables are Parquet files in
    `folder` (each engine reads them where they lie, and no server process holds them),
    removed when the Spend is no longer used."""

    categories: dict[str, Category]
    names: dict[str, str]  # authority code -> name
    run: int | None  # the supplier run the suppliers come from
    folder: Path  # COMBINATION_TABLE, SUPPLIER_TABLE and CLEAR_TABLE, as Parquet files
    years: list[int] = field(default_factory=list)

    @contextmanager
    def opened(self) -> Iterator[SpendEngine]:
        """An engine with the view `categorised` (`CATEGORISED`) on it, closed after."""
        engine = open_transactions()
        try:
            _register(engine, self.folder, (COMBINATION_TABLE, SUPPLIER_TABLE, CLEAR_TABLE))
            engine.create_view(SOURCED)
            engine.create_view(CATEGORISED)
            yield engine
        finally:
            engine.close()

    def frame(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pl.DataFrame:
        """A step over `categorised`, run on the engine."""
        with self.opened() as engine:
            return engine.frame(step, parameters)


_KEPT: dict[str, tuple[tuple[object, ...], Spend]] = {}
_LOCK = threading.Lock()


def current_spend() -> Spend:
    """The spend as it stands, worked out once per state of the stored data (files, supplier
    run, decisions, labels) in each server process."""
    state = _state()
    with _LOCK:
        kept = _KEPT.get("spend")
        if kept is not None and kept[0] == state:
            return kept[1]
    run = state[1]
    spend = read_categorised(run if isinstance(run, int) else None)
    with _LOCK:
        _KEPT["spend"] = (state, spend)
    return spend


def _state() -> tuple[object, ...]:
    files = SpendFile.objects.order_by("-id").values_list("id", flat=True).first()
    run = SupplierRun.objects.latest_run()
    decision = SupplierDecision.objects.order_by("-id").values_list("id", flat=True).first()
    label = CategoryLabel.objects.order_by("-id").values_list("id", flat=True).first()
    counted = SpendFile.objects.count()
    return (files, run.pk if run else None, decision, label, counted, str(settings.VAR_DIR))


def read_categorised(run: int | None) -> Spend:
    """The spend read afresh, its suppliers from the given run: `current_spend` keeps it.
    What is read into the process is small: the distinct combinations, and each supplier's
    spend by category; the run's records pass through a batch at a time."""
    rules = shipped()
    folder = Path(settings.VAR_DIR) / "categorised" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    engine = open_transactions()
    try:
        _write(folder, COMBINATION_TABLE, _categorised(engine.frame(COMBINATIONS), rules))
        _write_suppliers(folder / f"{SUPPLIER_TABLE}.parquet", run)
        _register(engine, folder, (COMBINATION_TABLE, SUPPLIER_TABLE))
        engine.create_view(SOURCED)
        clear = clear_categories(engine.frame(SUPPLIER_SPEND), cpv_of(rules))
        _write(folder, CLEAR_TABLE, _with_procurement(clear, rules).to_arrow().cast(CLEAR_SCHEMA))
        years = engine.frame(YEARS).get_column("year").to_list()
        codes = engine.frame(AUTHORITIES).get_column("authority").to_list()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        engine.close()
    names = dict(Authority.objects.filter(code__in=codes).values_list("code", "name"))
    spend = Spend(
        categories={c.code: c for c in rules.categories},
        names=names,
        run=run,
        folder=folder,
        years=[int(y) for y in years],
    )
    weakref.finalize(spend, shutil.rmtree, folder, True)
    return spend


def _write(folder: Path, name: str, table: pa.Table) -> None:
    pq.write_table(table, folder / f"{name}.parquet")


def _register(engine: SpendEngine, folder: Path, names: tuple[str, ...]) -> None:
    """The tables named, from the folder's Parquet files, as views of those names."""
    for name in names:
        engine.register_parquet(name, [folder / f"{name}.parquet"], {})


def _categorised(combinations: pl.DataFrame, rules: Rules) -> pa.Table:
    """Each distinct combination with its category, as `assign` decides it."""
    done = assign(combinations, rules).select(*_STRINGS)
    return _with_procurement(done, rules).to_arrow().cast(COMBINATION_SCHEMA)


def _with_procurement(frame: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """`procurement`: the frame's category buys something (not money passed on)."""
    buys = {c.code: c.procurement for c in rules.categories}
    return frame.with_columns(
        pl.col("category").replace_strict(buys, default=False, return_dtype=pl.Boolean)
        .alias("procurement")
    )  # fmt: skip


def _write_suppliers(path: Path, run: int | None) -> None:
    """Each record of the run (authority, spelling, numbers and postcode, a blank number
    as none) with its supplier's key and name, decisions applied, as Parquet; read from
    the database `BATCH` at a time (a national run has millions)."""
    members = SupplierMember.objects.filter(run_id=run) if run is not None else None
    found = (
        iter(())
        if members is None
        else members.order_by("id")
        .values_list("authority__code", "supplier", *NUMBERS, "cluster__key", "cluster__name")
        .iterator(chunk_size=BATCH)
    )
    columns = SUPPLIER_SCHEMA.names
    with pq.ParquetWriter(path, SUPPLIER_SCHEMA) as writer:
        writer.write_table(SUPPLIER_SCHEMA.empty_table())
        while batch := list(itertools.islice(found, BATCH)):
            writer.write_table(
                pa.table(
                    {name: [row[i] for row in batch] for i, name in enumerate(columns)},
                    schema=SUPPLIER_SCHEMA,
                )
            )


def where(*terms: str, procurement: bool = False, **equal: object) -> tuple[str, dict[str, Any]]:
    """A WHERE clause over `categorised` and its parameters: the conditions given, the rows
    that buy something if `procurement`, and each column named equal to its value (a value
    of None asks nothing of the column)."""
    found = [*terms, *(["procurement"] if procurement else [])]
    parameters = {column: value for column, value in equal.items() if value is not None}
    found += [f"{column} = ${column}" for column in parameters]
    return (f"WHERE {' AND '.join(found)}" if found else ""), parameters
