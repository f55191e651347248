"""The engine interface every spend engine keeps: register tables and Parquet files as
views, run named SQL steps, get Arrow or Polars back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]


class UnknownEngine(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Step:
    """One named piece of SQL: its name says what it is for in errors and timings.
    Parameters are written `$name` and passed to `run`, never pasted into the text."""

    name: str
    sql: str


class SpendEngine(Protocol):
    name: str

    def register_table(self, view: str, table: pa.Table) -> None:
        """An Arrow table, as a view by this name."""

    def register_parquet(
        self, view: str, paths: Sequence[Path], partitions: Mapping[str, pa.DataType]
    ) -> None:
        """Parquet files laid out in hive partitions (`key=value/` folders), or of one
        folder where `partitions` is empty, as a view."""

    def create_view(self, step: Step) -> None:
        """The step's query as a view named for the step."""

    def run(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pa.Table:
        """The step's result, as Arrow."""

    def frame(self, step: Step, parameters: Mapping[str, Any] | None = None) -> pl.DataFrame:
        """The step's result, as Polars."""

    def close(self) -> None: ...


def view_name(view: str) -> str:
    """A view's name, checked to be one: it is written into every engine's SQL."""
    if not view.isidentifier():
        raise ValueError(f"{view!r} is not a name for a view")
    return view
