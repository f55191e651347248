"""The staging table an import streams its valid rows into, and the set-based SQL that
finds clashing duplicates and turns the rows into new observations and revisions. The
same statements run on SQLite and PostgreSQL; only the bulk path and NULL-safe equality
differ."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

STAGE = "ambition_import_stage"
CHANGES = "ambition_import_changes"
OBSERVATION = "indicators_observation"
# SQLite's page cache while an import runs (KiB, as PRAGMA cache_size takes it negated): the
# default 2 MB thrashes on the observation table's eight indexes; 64 MB makes the final
# write, which holds the write lock, several times shorter.
SQLITE_CACHE_KIB = 65536
KEY = ("authority_id", "indicator_id", "period_id")
FACTS = ("value", "status", '"lower"', '"upper"', "restricted_until")
COLUMNS = ("row_no", *KEY, *FACTS)


def _join(alias_a: str, alias_b: str, columns: Sequence[str]) -> str:
    return " AND ".join(f"{alias_a}.{c} = {alias_b}.{c}" for c in columns)


class StagingTable:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.same = "IS NOT DISTINCT FROM" if self.postgres else "IS"

    def __enter__(self) -> StagingTable:
        self.connection.ensure_connection()
        self._drop()
        if not self.postgres:
            self._cache = self._execute("PRAGMA cache_size")[0][0]
            self._execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        self._execute(
            f"CREATE TEMP TABLE {STAGE} (row_no INTEGER NOT NULL, authority_id BIGINT NOT NULL, "
            "indicator_id BIGINT NOT NULL, period_id BIGINT NOT NULL, value DOUBLE PRECISION, "
            'status VARCHAR(12) NOT NULL, "lower" DOUBLE PRECISION, "upper" DOUBLE PRECISION, '
            "restricted_until DATE)"
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self._drop()
        if not self.postgres:  # the connection may serve other work next (the worker's)
            self._execute(f"PRAGMA cache_size = {int(self._cache)}")

    def _drop(self) -> None:
        self._execute(f"DROP TABLE IF EXISTS {CHANGES}")
        self._execute(f"DROP TABLE IF EXISTS {STAGE}")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []

    def load(self, rows: list[tuple[Any, ...]]) -> None:
        """The driver's fastest bulk path: COPY on PostgreSQL, executemany on SQLite."""
        raw = self.connection.connection
        names = ", ".join(COLUMNS)
        if self.postgres:
            with raw.cursor() as cursor, cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self._insert_sqlite(
            raw, f"INSERT INTO {STAGE} ({names}) VALUES ({', '.join('?' * len(COLUMNS))})", rows
        )

    def _insert_sqlite(self, raw: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """Staging runs outside the import's write transaction. One deferred transaction a
        chunk saves a commit a row and, touching only the TEMP database, takes no lock on the
        main one: others write on while the file is checked."""
        if self.connection.in_atomic_block:
            raw.executemany(sql, rows)
            return
        raw.execute("BEGIN DEFERRED")
        try:
            raw.executemany(sql, rows)
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")

    def conflicts(self, limit: int) -> list[tuple[int, str, str, str]]:
        """Rows that state an observation already stated above with different values."""
        key = ", ".join(KEY)
        rows = self._execute(
            f"WITH kinds AS (SELECT DISTINCT {key}, {', '.join(FACTS)} FROM {STAGE}), "
            f"clashes AS (SELECT {key} FROM kinds GROUP BY {key} HAVING COUNT(*) > 1), "
            f"firsts AS (SELECT {', '.join('s.' + c for c in KEY)}, MIN(s.row_no) AS first_row, "
            "MAX(s.row_no) AS last_row "
            f"FROM {STAGE} s JOIN clashes c ON {_join('s', 'c', KEY)} "
            f"GROUP BY {', '.join('s.' + c for c in KEY)}) "
            f"SELECT s.row_no, f.first_row, s.value FROM {STAGE} s "
            f"JOIN firsts f ON {_join('s', 'f', KEY)} "
            # A clash within one row (two columns of a wide file naming one period) has no
            # later row to blame: its cells are reported instead.
            "WHERE s.row_no <> f.first_row OR f.last_row = f.first_row "
            f"ORDER BY s.row_no LIMIT {int(limit)}"
        )
        return [
            (
                row,
                "value",
                "" if value is None else repr(value),
                f"the same authority, indicator and period as row {first} with a different value"
                if row != first
                else "the same authority, indicator and period twice in this row with different "
                "values: two of its columns name one period",
            )
            for row, first, value in rows
        ]

    def changes(self) -> tuple[int, int, int]:
        """Work out what is new or changed against the latest revisions; returns
        (created, revised, unchanged). Nothing is written yet."""
        key, facts = ", ".join(KEY), ", ".join(FACTS)
        differs = " OR ".join(f"NOT (o.{c} {self.same} d.{c})" for c in FACTS)
        self._execute(f"DROP TABLE IF EXISTS {CHANGES}")
        self._execute(
            f"CREATE TEMP TABLE {CHANGES} AS SELECT {', '.join('d.' + c for c in KEY + FACTS)}, "
            "o.id AS previous_id, COALESCE(o.revision, 0) + 1 AS revision "
            f"FROM (SELECT DISTINCT {key}, {facts} FROM {STAGE}) d "
            f"LEFT JOIN {OBSERVATION} o ON {_join('o', 'd', KEY)} AND o.is_latest "
            f"WHERE o.id IS NULL OR {differs}"
        )
        changed, revised = self._execute(f"SELECT COUNT(*), COUNT(previous_id) FROM {CHANGES}")[0]
        total = self._execute(f"SELECT COUNT(*) FROM (SELECT DISTINCT {key} FROM {STAGE}) k")[0][0]
        return changed - revised, revised, total - changed

    def stamp(self) -> tuple[int, int]:
        """How many observations there are and the newest's id: any revision, correction or
        removal changes it. Work out the changes outside the write lock, and again inside
        it only if the stamp moved meanwhile."""
        count, newest = self._execute(f"SELECT COUNT(*), MAX(id) FROM {OBSERVATION}")[0]
        return int(count), int(newest or 0)

    def renumber_periods(self, stored: dict[int, int]) -> None:
        """Give rows the stored ids of periods that had provisional ones while staged."""
        for table in (STAGE, CHANGES):
            for provisional, period_id in stored.items():
                self._execute(
                    f"UPDATE {table} SET period_id = %s WHERE period_id = %s",
                    [period_id, provisional],
                )

    def write(self, batch_id: int) -> None:
        """Write the changes as new revisions, the old ones kept but no longer latest."""
        key, facts = ", ".join(KEY), ", ".join(FACTS)
        self._execute(
            f"UPDATE {OBSERVATION} SET is_latest = FALSE WHERE id IN "
            f"(SELECT previous_id FROM {CHANGES} WHERE previous_id IS NOT NULL)"
        )
        self._execute(
            f"INSERT INTO {OBSERVATION} ({key}, {facts}, revision, batch_id, is_latest) "
            # In key order, the order of the unique index: SQLite's B-trees then take the
            # rows nearly in sequence (a 1,000,000-row write 3x faster than in join order).
            f"SELECT {key}, {facts}, revision, %s, TRUE FROM {CHANGES} ORDER BY {key}",
            [batch_id],
        )
