"""The named SQL steps of the spend pipeline, written once for every engine: the views of
stored and current transactions, and the summaries. Written once, in DuckDB's SQL and
no engine's own functions; the Spark engine translates each step (`engine.spark`)."""

from __future__ import annotations

from .engine import Step

# Every stored row, and whether its file is still current for its month.
STORED = Step(
    "stored_transactions",
    "SELECT r.*, c.file_id IS NOT NULL AS current FROM stored_rows r "
    "LEFT JOIN current_coverage c ON r.file_id = c.file_id AND r.coverage_month = c.month",
)
# Only the rows of the files current for their months: what every total counts.
CURRENT = Step("transactions", "SELECT * FROM stored_transactions WHERE current")

# What a summary groups by: the financial year, the row's month (a period across months
# is shown as itself, never given a month), the supplier as written, or the service.
GROUPS = {
    "year": "year",
    "month": "COALESCE(SUBSTR(CAST(month AS VARCHAR), 1, 7), "
    "CAST(period_start AS VARCHAR) || '/' || CAST(period_end AS VARCHAR))",
    "supplier": "supplier",
    "service": "COALESCE(service, '')",
}


def summary(by: str) -> Step:
    """Transactions and their total for each year, month, supplier or service of one
    authority (`$authority`, its ONS code)."""
    return _summed(f"summary_by_{by}", by, "transactions WHERE authority = $authority")


def file_summary(by: str) -> Step:
    """One stored file's rows (`$file`, its id), counted and totalled the same ways: what
    the file itself holds, months a later file replaced among them."""
    return _summed(f"file_summary_by_{by}", by, "stored_transactions WHERE file_id = $file")


def _summed(name: str, by: str, rows: str) -> Step:
    return Step(
        name,
        f"SELECT {GROUPS[by]} AS {by}, COUNT(*) AS transactions, SUM(amount) AS amount "
        f"FROM {rows} GROUP BY 1 ORDER BY 1",
    )
