"""The named SQL steps of the spend pipeline, written once for every engine: the views of
stored and current transactions, and the summaries. Portable SQL (no engine's own
functions), so the same text runs wherever the engine API does."""

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
    return Step(
        f"summary_by_{by}",
        f"SELECT {GROUPS[by]} AS {by}, COUNT(*) AS transactions, SUM(amount) AS amount "
        f"FROM transactions WHERE authority = $authority GROUP BY 1 ORDER BY 1",
    )
