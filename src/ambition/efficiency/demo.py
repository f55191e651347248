"""The demo's illustrative efficiency programme: net revenue budgets for the 33 boroughs
(data/demo/efficiency/net-budgets.csv) and some savings returns (returns.toml), some made
to be flagged so the office's review has work. Every figure is invented and marked
illustrative. Loading twice changes nothing."""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ambition.indicators.periods import financial_year, financial_year_dates
from ambition.registry.models import Authority

from . import submission
from .imports import decode, import_budgets
from .models import SavingsReturn

MARK = "Illustrative"


def demo_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo" / "efficiency"


def year_of(value: Any, today: datetime.date) -> int:
    return financial_year(today) if value == "current" else int(value)


def line_of(item: dict[str, Any], year: int) -> dict[str, Any]:
    if "started" in item:
        started = datetime.date.fromisoformat(item["started"])
    else:
        started = financial_year_dates(year)[0] + datetime.timedelta(days=item["starts_after"])
    return {
        "workstream": item["workstream"],
        "amount": Decimal(item["amount"]),
        "recurrence": item["recurrence"],
        "cash_releasing": item.get("cash_releasing", True),
        "started": started,
        "description": f"{MARK}: {item['description']}",
        "evidence": f"{MARK}: {item['evidence']}",
    }


def load_return(spec: dict[str, Any], today: datetime.date) -> int:
    authority = Authority.objects.get(code=spec["authority"])
    year = year_of(spec["year"], today)
    lines = [line_of(item, year) for item in spec["lines"]]
    first = lines[0]["description"]
    there = SavingsReturn.objects.filter(
        authority=authority, year=year, illustrative=True, lines__description=first
    )
    if there.exists():
        return 0
    made = submission.submit(authority, year, lines, illustrative=True)
    if spec.get("accepted") and made.state == "submitted":
        submission.accept(made)
    return 1


@transaction.atomic
def load_demo(today: datetime.date | None = None, folder: Path | None = None) -> dict[str, int]:
    """The budgets, then the returns that are not there yet."""
    folder = folder or demo_dir()
    report = import_budgets(decode((folder / "net-budgets.csv").read_bytes()))
    if not report.ok:
        raise ValueError(f"The demo's net budgets do not import: {report.problems[0]}")
    spec = tomllib.loads((folder / "returns.toml").read_text(encoding="utf-8"))
    day = today or datetime.date.today()
    made = sum(load_return(item, day) for item in spec.get("returns", []))
    return {"budgets": report.added, "returns": made}
