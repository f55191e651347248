"""The efficiency pages' tables, described once: columns and rows, downloadable as CSV
and JSON (ambition.web.tables) from the page that shows them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from ambition.indicators.periods import year_label
from ambition.spend.categories.rules import shipped
from ambition.web.tables import Column

from .. import checks, submission
from ..models import Flag, NetBudget, SavingsLine, SavingsReturn
from ..progress import Summary, YearWorkstream

SUMMARY_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("year", "Year"),
    Column("budget", "Net budget (GBP)"),
    Column("target", "Target (GBP)"),
    Column("claimed", "Claimed (GBP)"),
    Column("accepted", "Accepted NI 179 (GBP)"),
    Column("flagged", "Flagged (GBP)"),
    Column("met", "Target met"),
    Column("illustrative", "Illustrative"),
]
WORKSTREAM_COLUMNS = [
    Column("year", "Year"),
    Column("workstream", "Workstream"),
    Column("claimed", "Claimed (GBP)"),
    Column("accepted", "Accepted NI 179 (GBP)"),
]
BUDGET_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Authority"),
    Column("year", "Year"),
    Column("amount", "Net budget (GBP)"),
    Column("revision", "Revision"),
    Column("source", "Source"),
    Column("illustrative", "Illustrative"),
    Column("recorded_at", "Recorded at"),
]
RETURN_COLUMNS = [
    Column("id", "Return"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("year", "Year"),
    Column("state", "State"),
    Column("claimed", "Claimed (GBP)"),
    Column("submitted_at", "Submitted at"),
    Column("illustrative", "Illustrative"),
]
LINE_COLUMNS = [
    Column("id", "Line"),
    Column("workstream", "Workstream"),
    Column("category", "Procurement category"),
    Column("amount", "Amount (GBP)"),
    Column("cash_releasing", "Cash-releasing"),
    Column("recurrence", "Recurrence"),
    Column("started", "Started"),
    Column("ends", "Ends"),
    Column("description", "Description"),
    Column("evidence", "Evidence"),
    Column("evidence_url", "Evidence link"),
]
SPEND_COLUMNS = [
    Column("line", "Line"),
    Column("category", "Procurement category"),
    Column("year", "Year"),
    Column("amount", "Spend (GBP)"),
    Column("transactions", "Transactions"),
    Column("full", "Whole year of spend data"),
    Column("role", "Compared as"),
    Column("verdict", "Verdict"),
]
# How the spend check reads a line's category spend; pages write these words.
VERDICTS = {
    checks.BORNE_OUT: ("Borne out", "green"),
    checks.NOT_BORNE_OUT: ("Not borne out", "red"),
    checks.NO_SPEND_DATA: ("Unchecked", "grey"),
}
FLAG_COLUMNS = [
    Column("id", "Flag"),
    Column("return_id", "Return"),
    Column("code", "ONS code"),
    Column("authority", "Authority"),
    Column("year", "Year"),
    Column("line", "Line"),
    Column("kind", "Check"),
    Column("reason", "Reason"),
    Column("state", "State"),
    Column("decision_reason", "Decision reason"),
    Column("decided_at", "Decided at"),
]


def summary_row(s: Summary) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "url": reverse("efficiency-authority", args=[s.code]) + f"?year={s.year}",
        "year": s.year,
        "year_label": year_label(s.year),
        "budget": s.budget,
        "target": s.target,
        "claimed": s.claimed,
        "accepted": s.accepted,
        "flagged": s.flagged,
        "met": s.met,
        "illustrative": s.illustrative,
    }


def workstream_row(r: YearWorkstream) -> dict[str, Any]:
    return {
        "year": r.year,
        "year_label": year_label(r.year),
        "workstream": r.label,
        "claimed": r.claimed,
        "accepted": r.accepted,
    }


def budget_row(b: NetBudget) -> dict[str, Any]:
    return {
        "code": b.authority.code,
        "name": b.authority.name,
        "year": b.year,
        "year_label": year_label(b.year),
        "amount": b.amount,
        "revision": b.revision,
        "source": b.source,
        "illustrative": b.illustrative,
        "recorded_at": b.recorded_at.isoformat(timespec="minutes"),
    }


def return_row(r: SavingsReturn) -> dict[str, Any]:
    return {
        "id": r.pk,
        "url": r.get_absolute_url(),
        "code": r.authority.code,
        "authority": r.authority.name,
        "year": r.year,
        "year_label": year_label(r.year),
        "state": r.state,
        "state_label": r.get_state_display(),
        "claimed": r.claimed(),
        "submitted_at": r.submitted_at.isoformat(timespec="minutes"),
        "illustrative": r.illustrative,
    }


def line_row(line: SavingsLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "workstream": line.get_workstream_display(),
        "category": shipped().names().get(line.category, line.category),
        "amount": line.amount,
        "cash_releasing": line.cash_releasing,
        "recurrence": line.get_recurrence_display(),
        "started": line.started,
        "ends": line.ends,
        "description": line.description,
        "evidence": line.evidence,
        "evidence_url": line.evidence_url,
    }


def line_spend(line: SavingsLine) -> dict[str, Any] | None:
    """A procurement line's category spend by year, with the check's verdict in words;
    None for a line the spend check does not weigh."""
    compared = submission.spend_comparison(line)
    if compared is None:
        return None
    label, colour = VERDICTS[compared.kind]
    roles = {compared.before_year: "Year before the saving", compared.after_year: "Compared"}
    years = [
        {
            "line": line.pk,
            "category": compared.category.name,
            "year": int(y["year"]),
            "year_label": year_label(int(y["year"])),
            "amount": Decimal(y["amount"]),
            "transactions": y["transactions"],
            "full": y["full"],
            "role": roles.get(int(y["year"]), ""),
            "verdict": label,
        }
        for y in line.category_spend
    ]
    finding = checks.Finding(compared.kind, None, compared.detail())
    return {
        "line": line.pk,
        "category": compared.category.name,
        "verdict": compared.kind,
        "verdict_label": label,
        "colour": colour,
        "words": checks.explain(finding),
        "years": years,
    }


def flag_row(f: Flag) -> dict[str, Any]:
    r = f.savings_return
    return {
        "id": f.pk,
        "return_id": r.pk,
        "url": r.get_absolute_url(),
        "code": r.authority.code,
        "authority": r.authority.name,
        "year": r.year,
        "year_label": year_label(r.year),
        "line": f.line_id,
        "kind": f.kind,
        "kind_label": f.get_kind_display(),
        "reason": f.reason,
        "state": f.state,
        "state_label": f.get_state_display(),
        "decision_reason": f.decision_reason,
        "decided_at": f.decided_at.isoformat(timespec="minutes") if f.decided_at else None,
        "illustrative": r.illustrative,
        "spend": line_spend(f.line) if f.line is not None else None,
    }
