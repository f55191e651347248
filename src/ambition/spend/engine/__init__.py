"""The one way spend is queried: a small connection object over the stored Parquet files,
with views registered on it and SQL run as named steps (as Splink's `database_api` does).
DuckDB, in process, is the engine here; the setting AMBITION_SPEND_ENGINE chooses it, so a
distributed engine can stand behind the same interface. Pure: no database, no request."""

from __future__ import annotations

from .base import SpendEngine, Step, UnknownEngine
from .duck import DuckDBEngine

ENGINES: dict[str, type[SpendEngine]] = {"duckdb": DuckDBEngine}


def connect(name: str) -> SpendEngine:
    """A new connection to the engine named (AMBITION_SPEND_ENGINE, for the stored spend)."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise UnknownEngine(
            f"no spend engine {name!r}: choose one of {', '.join(ENGINES)}"
        ) from None


__all__ = ["ENGINES", "DuckDBEngine", "SpendEngine", "Step", "UnknownEngine", "connect"]
