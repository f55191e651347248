"""The demo's illustrative efficiency programme: net revenue budgets for the 33 boroughs
(data/demo/efficiency/net-budgets.csv), some savings returns (returns.toml), some made
to be flagged so the office's review has work, and a few local area agreements of 2008-11
(agreements.toml) whose baselines are the stored values. Every invented figure is marked
illustrative. Loading twice changes nothing."""

from __future__ import annotations

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from ambition.indicators.models import Indicator, Observation
from ambition.indicators.periods import financial_year, financial_year_dates
from ambition.registry.models import Authority

from . import agreements, submission
from .imports import decode, import_budgets
from .models import LocalAreaAgreement, SavingsReturn

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
    deals = tomllib.loads((folder / "agreements.toml").read_text(encoding="utf-8"))
    agreed = sum(load_agreement(item) for item in deals.get("agreement", []))
    return {"budgets": report.added, "returns": made, "agreements": agreed}


# The six decimals a target's baseline holds: a stored float such as 5.3000000000000007
# is the published 5.3.
BASELINE_PLACES = Decimal("0.000001")


def stored_value(authority: Authority, indicator: Indicator, period: str) -> Decimal:
    found = (
        Observation.public_objects.latest_revision()
        .filter(authority=authority, indicator=indicator, period__label=period)
        .exclude(value__isnull=True)
        .first()
    )
    if found is None:
        raise ValueError(f"No stored {indicator.code} for {authority} in {period}: no baseline")
    return Decimal(repr(found.value)).quantize(BASELINE_PLACES).normalize()


def target_of(authority: Authority, item: dict[str, Any]) -> dict[str, Any]:
    indicator = Indicator.objects.get(code=item["indicator"])
    return {
        "indicator": indicator,
        "baseline": stored_value(authority, indicator, item["baseline_period"]),
        "baseline_period": item["baseline_period"],
        "stretch": Decimal(item["stretch"]),
        "target_year": int(item["target_year"]),
        "reward_max": Decimal(item["reward_max"]),
    }


def load_agreement(item: dict[str, Any]) -> int:
    """One illustrative agreement, unless its authority has one starting that year."""
    authority = Authority.objects.get(code=item["authority"])
    if LocalAreaAgreement.objects.filter(
        authority=authority, start_year=item["start_year"]
    ).exists():
        return 0
    fields = {k: item[k] for k in ("start_year", "end_year", "title", "reward_rule")}
    fields["signed_on"] = datetime.date.fromisoformat(item["signed_on"])
    targets = [target_of(authority, t) for t in item.get("target", [])]
    partners = item.get("partners", [])
    agreements.make_agreement(authority, fields, partners, targets, illustrative=True)
    return 1
