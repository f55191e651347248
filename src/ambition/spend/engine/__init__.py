"""The one way spend is queried: a small connection object over the stored Parquet files,
with views registered on it and SQL run as named steps (as Splink's `database_api` does).
DuckDB, in process, is the engine here; Apache Spark stands behind the same interface for
spend beyond one machine. The setting AMBITION_SPEND_ENGINE chooses. Pure: no database, no
request."""

from __future__ import annotations

from collections.abc import Callable

from .base import SpendEngine, Step, UnknownEngine
from .duck import DuckDBEngine


def _spark() -> SpendEngine:
    # Imported on first use: pyspark (and the Java it starts) must not slow the web app.
    from .spark import SparkEngine

    return SparkEngine()


ENGINES: dict[str, Callable[[], SpendEngine]] = {"duckdb": DuckDBEngine, "spark": _spark}


def connect(name: str) -> SpendEngine:
    """A new connection to the engine named (AMBITION_SPEND_ENGINE, for the stored spend)."""
    try:
        make = ENGINES[name]
    except KeyError:
        raise UnknownEngine(
            f"no spend engine {name!r}: choose one of {', '.join(ENGINES)}"
        ) from None
    return make()


__all__ = ["ENGINES", "DuckDBEngine", "SpendEngine", "Step", "UnknownEngine", "connect"]
