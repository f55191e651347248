"""The spend engine on Apache Spark: Spark SQL over the same hive-partitioned Parquet files,
for spend too large for one machine. One SparkSession per process (starting Java takes
seconds), at `AMBITION_SPARK_MASTER`: `local[2]` here and in CI, a cluster's URL at scale.
Each engine works in its own child session of it, so the views of two engines never meet.

The steps are written once, in the SQL of the engine here (DuckDB); sqlglot, which Splink
uses for the same purpose, turns each into Spark SQL, `$name` parameters included."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import sqlglot
from django.conf import settings  # type: ignore[import-untyped]
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import from_arrow_type
from pyspark.sql.types import StructField, StructType
from splink.backends.spark import similarity_jar_location

from .base import Step, view_name

WRITTEN_IN = "duckdb"  # the dialect the steps are written in


@cache
def spark_session() -> SparkSession:
    """The process's SparkSession, started on first use."""
    folder = Path(settings.VAR_DIR) / "spark"
    if settings.SPARK_MASTER.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no network interface used
    builder = SparkSession.builder.master(settings.SPARK_MASTER).appName("ambition-spend")
    for key, value in _configuration(folder).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # Where Splink writes its intermediate tables, to cut their lineage short.
    session.sparkContext.setCheckpointDir(str(folder / "checkpoints"))
    return session


def _configuration(folder: Path) -> dict[str, str]:
    tmp = folder / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    configuration = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={tmp}",
        "spark.sql.session.timeZone": "UTC",  # dates are days, never shifted by a zone
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        # Splink's iterated queries make plans whose text, written for every query, would
        # fill the driver's memory.
        "spark.sql.maxPlanStringLength": "100000",
        "spark.pyspark.python": sys.executable,
        # Splink's similarity functions (Jaro-Winkler and others), from the jar it ships.
        "spark.jars": similarity_jar_location(),
    }
    if settings.SPARK_MASTER.startswith("local"):
        # One machine: few shuffle partitions (the default 200 is for clusters), and
        # nothing listens beyond this machine.
        configuration |= {
            "spark.sql.shuffle.partitions": "2",
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
        }
    return configuration


class SparkEngine:
    name = "spark"

    def __init__(self) -> None:
        self.session: SparkSession = spark_session().newSession()

    def register_table(self, view: str, table: pa.Table) -> None:
        self.session.createDataFrame(table).createOrReplaceTempView(view_name(view))

    def register_parquet(
        self, view: str, paths: Sequence[Path], partitions: Mapping[str, pa.DataType]
    ) -> None:
        roots = {path.parents[len(partitions)] for path in paths}
        if len(roots) != 1:
            raise ValueError(f"the Parquet files of {view!r} lie under more than one root")
        reader = self.session.read.option("basePath", str(roots.pop()))
        rows = reader.schema(_schema(paths[0], partitions)).parquet(*map(str, paths))
        rows.createOrReplaceTempView(view_name(view))

    def create_view(self, step: Step) -> None:
        self.session.sql(f"CREATE OR REPLACE TEMP VIEW {view_name(step.name)} AS {spark_sql(step)}")

    def run(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pa.Table:
        return self._query(step, parameters).toArrow()

    def frame(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pl.DataFrame:
        result = pl.from_arrow(self.run(step, parameters))
        assert isinstance(result, pl.DataFrame)
        return result

    def _query(self, step: Step, parameters: Mapping[str, Any] | None) -> DataFrame:
        return self.session.sql(spark_sql(step), args=dict(parameters or {}))

    def close(self) -> None:
        for table in self.session.catalog.listTables():
            if table.isTemporary:
                self.session.catalog.dropTempView(table.name)

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def spark_sql(step: Step) -> str:
    """The step's SQL as Spark SQL, its `$name` parameters as Spark's `:name`."""
    return _translated(step.sql)


@cache
def _translated(sql: str) -> str:
    (translated,) = sqlglot.transpile(sql, read=WRITTEN_IN, write="spark")
    return translated


def _schema(path: Path, partitions: Mapping[str, pa.DataType]) -> StructType:
    """The files' own columns (from one of them: they share one schema) and the partition
    keys with their types, so `year=2019` is read as the number it is for every file."""
    fields = [(f.name, f.type) for f in pq.read_schema(path)]
    fields += [(name, kind) for name, kind in partitions.items()]
    return StructType([StructField(name, from_arrow_type(kind), True) for name, kind in fields])
