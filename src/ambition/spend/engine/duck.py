"""The spend engine on DuckDB: in process, in memory, reading the Parquet files where they
lie."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from .base import Step, view_name

_TYPES = {pa.string(): "VARCHAR", pa.int32(): "INTEGER", pa.int64(): "BIGINT"}


class DuckDBEngine:
    name = "duckdb"

    def __init__(self) -> None:
        self.connection = duckdb.connect(":memory:")
        self._tables: dict[str, pa.Table] = {}  # kept alive while DuckDB reads them

    def register_table(self, view: str, table: pa.Table) -> None:
        self._tables[view] = table
        self.connection.register(view, table)

    def register_parquet(
        self, view: str, paths: Sequence[Path], partitions: Mapping[str, pa.DataType]
    ) -> None:
        files = ", ".join(_literal(str(path)) for path in paths)
        types = ", ".join(f"{_literal(k)}: {_TYPES[t]}" for k, t in partitions.items())
        hive = f", hive_partitioning = true, hive_types = {{{types}}}" if partitions else ""
        self.connection.execute(
            f"CREATE OR REPLACE VIEW {view_name(view)} AS "
            f"SELECT * FROM read_parquet([{files}]{hive})"
        )

    def create_view(self, step: Step) -> None:
        self.connection.execute(f"CREATE OR REPLACE VIEW {view_name(step.name)} AS {step.sql}")

    def run(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pa.Table:
        relation = self.connection.sql(step.sql, params=dict(parameters or {}))
        return relation.to_arrow_table()

    def frame(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pl.DataFrame:
        result = pl.from_arrow(self.run(step, parameters))
        assert isinstance(result, pl.DataFrame)
        return result

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> DuckDBEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
