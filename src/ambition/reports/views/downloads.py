"""The pack's tables as CSV and JSON (`?table=NAME&format=csv|json`), from the same
dataclasses the page shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest

from ambition.web.tables import Column, Table

from ..pack import PartnershipPack, ReviewPack

QUESTION_COLUMNS = [
    Column("question", "Question"),
    Column("reason", "Why"),
    Column("section", "Section"),
]
AREA_COLUMNS = [
    Column("code", "Service area code"),
    Column("name", "Service area"),
    Column("score", "Score"),
    Column("coverage", "Coverage"),
    Column("weak", "Weak"),
    Column("weak_reason", "Why weak"),
]
WARNING_COLUMNS = [
    Column("position", "Risk rank in the run"),
    Column("indicator", "Indicator code"),
    Column("name", "Indicator"),
    Column("last_value", "Last value"),
    Column("forecast", "Forecast"),
    Column("p_bottom_quartile", "Probability of the bottom quartile"),
    Column("p_miss_target", "Probability of missing the target"),
    Column("risk", "Risk"),
]
LEDGER_COLUMNS = [
    Column("kind", "Kind"),
    Column("unit", "Unit"),
    Column("gave", "Gave"),
    Column("took", "Took"),
    Column("balance", "Balance"),
    Column("mean_gave", "Members' average gave"),
    Column("mean_took", "Members' average took"),
    Column("mean_balance", "Members' average balance"),
    Column("far_below", "Far below the average"),
]
SUPPORT_COLUMNS = [
    Column("kind", "Kind"),
    Column("label", "Support"),
    Column("supporters", "From"),
    Column("days", "Days"),
    Column("stage", "Stage"),
    Column("started", "Started"),
    Column("outcome", "Outcome"),
    Column("url", "Page"),
]
ACTION_COLUMNS = [
    Column("text", "Action"),
    Column("owner", "Owner"),
    Column("due", "Due"),
    Column("overdue", "Overdue"),
    Column("meeting_date", "Agreed at the meeting of"),
]
GRANT_COLUMNS = [
    Column("title", "Grant"),
    Column("decided_on", "Decided on"),
    Column("programme", "Programme"),
    Column("amount", "Amount (GBP)"),
    Column("paid_in_year", "Paid in the year (GBP)"),
    Column("paid_by_year_end", "Paid to the year's end (GBP)"),
    Column("illustrative", "Illustrative"),
]
SAVINGS_COLUMNS = [
    Column("workstream", "Workstream code"),
    Column("label", "Workstream"),
    Column("claimed", "Claimed (GBP)"),
    Column("accepted", "Accepted as NI 179 (GBP)"),
]
MEMBER_COLUMNS = [
    Column("code", "ONS code"),
    Column("name", "Member"),
    Column("stars", "Stars"),
    Column("direction", "Direction of travel"),
    Column("questions", "Questions"),
]


def ledger_row(line: Any) -> dict[str, Any]:
    return {c.key: getattr(line, c.key) for c in LEDGER_COLUMNS}


def pack_tables(
    pack: ReviewPack,
) -> dict[str, Callable[[], tuple[list[Column], list[dict[str, Any]]]]]:
    p = pack.performance
    return {
        "questions": lambda: (
            QUESTION_COLUMNS,
            [
                {"question": q.text, "reason": q.reason, "section": q.section}
                for q in pack.questions
            ],
        ),
        "areas": lambda: (AREA_COLUMNS, [vars(a) for a in p.areas] if p else []),
        "warnings": lambda: (WARNING_COLUMNS, [vars(w) for w in p.warnings] if p else []),
        "ledger": lambda: (LEDGER_COLUMNS, [ledger_row(x) for x in pack.give_take.lines]),
        "support": lambda: (
            SUPPORT_COLUMNS,
            [{**vars(r), "supporters": "; ".join(r.supporters)} for r in pack.received],
        ),
        "actions": lambda: (ACTION_COLUMNS, [vars(a) for a in pack.open_actions]),
        "grants": lambda: (GRANT_COLUMNS, [vars(g) for g in pack.grants]),
        "savings": lambda: (
            SAVINGS_COLUMNS,
            [vars(w) for w in pack.savings.by_workstream] if pack.savings else [],
        ),
    }


def pack_table(request: HttpRequest, pack: ReviewPack) -> Table:
    wanted = request.GET.get("table", "questions")
    tables = pack_tables(pack)
    if wanted not in tables:
        raise Http404(f"No such table: one of {', '.join(tables)}")
    columns, rows = tables[wanted]()
    meta = {"authority": pack.authority.code, "year": pack.year_label, "table": wanted}
    if pack.performance:
        meta["run"] = pack.performance.run.id
    return Table(f"{pack.authority.code}-review-{pack.year_label}-{wanted}", columns, rows, meta)


def member_columns(pack: PartnershipPack) -> list[Column]:
    ledger = [
        Column(f"{line.kind}-{part}", f"{line.label} {part} ({line.unit})")
        for line in pack.kinds
        for part in ("gave", "took", "balance")
    ]
    return [*MEMBER_COLUMNS, *ledger]


def partnership_table(request: HttpRequest, pack: PartnershipPack) -> Table:
    if request.GET.get("table", "members") != "members":
        raise Http404("No such table: members")
    rows = [
        {
            "code": r.authority.code,
            "name": r.authority.name,
            "stars": r.stars,
            "direction": r.direction,
            "questions": r.questions,
            **{
                f"{line.kind}-{part}": getattr(line, part)
                for line in r.lines
                for part in ("gave", "took", "balance")
            },
        }
        for r in pack.rows
    ]
    meta = {"year": pack.year_label, "run": pack.run.id if pack.run else None}
    return Table(f"review-packs-{pack.year_label}", member_columns(pack), rows, meta)
