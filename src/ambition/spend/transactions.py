"""The stored transactions, opened on a spend engine: the Parquet files of the files the
database knows (a file left by an import that failed is never read) and which months of
them are current. Every query of spend starts here."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
from django.conf import settings

from ambition.registry.models import Authority

from .engine import SpendEngine, connect
from .models import SpendCoverage, SpendFile
from .parquet import PARTITIONS, SCHEMA
from .steps import CURRENT, STORED, summary
from .store import spend_root

COVERAGE = pa.schema([("file_id", pa.int64()), ("month", pa.date32())])
_FILE_ID = re.compile(r"file-(\d+)\.parquet")


def open_transactions(authority: Authority | None = None) -> SpendEngine:
    """An engine with `transactions` (current rows) and `stored_transactions` (every row,
    superseded ones too, with `current`) as views; one authority's, or every one's."""
    files = (
        SpendFile.objects.all() if authority is None else SpendFile.objects.for_authority(authority)
    )
    ids = set(files.values_list("id", flat=True))
    engine = connect(settings.SPEND_ENGINE)
    engine.register_table("current_coverage", _current(ids))
    paths = _paths(ids, authority)
    if paths:
        engine.register_parquet("stored_rows", paths, PARTITIONS)
    else:
        engine.register_table("stored_rows", _empty_rows())
    engine.create_view(STORED)
    engine.create_view(CURRENT)
    return engine


def _current(ids: set[int]) -> pa.Table:
    current = SpendCoverage.objects.current().filter(file_id__in=ids)
    pairs = list(current.values_list("file_id", "month"))
    columns = {"file_id": [f for f, _ in pairs], "month": [m for _, m in pairs]}
    return pa.table(columns, schema=COVERAGE)


def _paths(ids: set[int], authority: Authority | None) -> list[Path]:
    folder = f"authority={authority.code}" if authority is not None else "authority=*"
    found = sorted(spend_root().glob(f"{folder}/year=*/file-*.parquet"))
    return [path for path in found if int(_FILE_ID.fullmatch(path.name)[1]) in ids]  # type: ignore[index]


def _empty_rows() -> pa.Table:
    schema = SCHEMA
    for name, kind in PARTITIONS.items():
        schema = schema.append(pa.field(name, kind))
    return schema.empty_table()


def summarise(authority: Authority, by: str) -> pa.Table:
    """The authority's current transactions counted and totalled by year, month, supplier
    or service (see `steps.GROUPS`)."""
    engine = open_transactions(authority)
    try:
        return engine.run(summary(by), {"authority": authority.code})
    finally:
        engine.close()
