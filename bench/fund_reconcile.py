"""`ambition fund-reconcile`'s work over 10,000 awards and 100,000 payments on SQLite (goal
under 2 s), beside an honest reference: the raw SQL that fetches the same per-award and
per-budget totals, run straight through sqlite3 with no Django, no Decimal and no checks.

The database is prepared like the demo's reference data (`migrate`, `load-demo
--reference-only`), then filled in a child process by bulk inserts: 20 budgets, 10,000
approved applications and their awards, ten payments on each award, a variation on one in
ten and a return on one in five, all kept within their limits so that everything ties.
Timed: the reconciliation in that warm process (fastest of three), the raw SQL (fastest of
three), and the command as a person runs it (Python and Django start-up included).

Run by `make bench`, or alone: `.venv/bin/python bench/fund_reconcile.py`."""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from decimal import Decimal
from pathlib import Path

from common import ambition, environment, run_child, scratch, sqlite_url

AWARDS = 10_000
PAYMENTS_EACH = 10
RETURNED = Decimal("12.34")  # from every fifth award
BUDGETS = 20
GOAL_S = 2.0
SEED = 7
REFERENCE_SQL = (
    """
    SELECT a.id, a.budget_id, a.awarded, a.amount, v.total, p.total, r.total
    FROM fund_award a
    LEFT JOIN (SELECT award_id, SUM(change) total FROM fund_variation GROUP BY award_id) v
        ON v.award_id = a.id
    LEFT JOIN (SELECT award_id, SUM(amount) total FROM fund_payment GROUP BY award_id) p
        ON p.award_id = a.id
    LEFT JOIN (SELECT award_id, SUM(amount) total FROM fund_return GROUP BY award_id) r
        ON r.award_id = a.id
    """,
    """
    SELECT b.id, b.name, b.year, b.amount, c.total
    FROM fund_budget b
    LEFT JOIN (SELECT budget_id, SUM(amount) total FROM fund_claim
               WHERE state IN ('approved', 'paid') GROUP BY budget_id) c
        ON c.budget_id = b.id
    """,
    "SELECT SUM(change) FROM fund_variation",
    "SELECT SUM(amount) FROM fund_payment",
    "SELECT SUM(amount) FROM fund_return",
)


def seed() -> None:
    """Fill the fund by bulk inserts (no engine: speed), every limit kept."""
    from django.db.models import F
    from django.utils import timezone

    from ambition.fund.models import Application, Award, Budget, Payment, Return, Variation
    from ambition.registry.models import Authority

    rng = random.Random(SEED)
    leads = list(Authority.objects.filter(code__startswith="E09"))
    now, day = timezone.now(), datetime.date(2026, 5, 1)
    budgets = Budget.objects.bulk_create(
        Budget(
            name=f"Bench {n}",
            year=2020 + n % 5,
            programme="improvement",
            source="government",
            amount=Decimal(60_000_000),
        )
        for n in range(BUDGETS)
    )
    amounts = [Decimal(rng.randrange(10_000, 100_000)) for _ in range(AWARDS)]
    apps = Application.objects.bulk_create(
        Application(
            lead=rng.choice(leads),
            budget=budgets[n % BUDGETS],
            title=f"Bench {n}",
            purpose="Bench",
            amount=amounts[n],
            state="approved",
            submitted_at=now,
        )
        for n in range(AWARDS)
    )
    # Written in bulk, past ambition.fund.awards: each award's running totals are set here
    # to what its payments and returns add up to, as the engine would keep them.
    tranche = {a.pk: (a.amount / 20).quantize(Decimal("0.01")) for a in apps}
    awards = Award.objects.bulk_create(
        Award(
            application=a,
            budget=a.budget,
            awarded=a.amount,
            amount=a.amount,
            decided_on=day,
            paid_to_date=tranche[a.pk] * PAYMENTS_EACH,
            returned_to_date=RETURNED if n % 5 == 0 else 0,
        )
        for n, a in enumerate(apps)
    )
    Payment.objects.bulk_create(
        (
            Payment(award=a, amount=tranche[a.application_id], paid_on=day, at=now)
            for a in awards
            for _ in range(PAYMENTS_EACH)
        ),
        batch_size=5000,
    )
    Variation.objects.bulk_create(
        Variation(award=a, change=Decimal(-1), reason="Bench", at=now) for a in awards[::10]
    )
    Award.objects.filter(pk__in=[a.pk for a in awards[::10]]).update(amount=F("amount") - 1)
    Return.objects.bulk_create(
        Return(
            award=a,
            kind="underspend",
            amount=RETURNED,
            reason="Bench",
            returned_on=day,
            at=now,
        )
        for a in awards[::5]
    )


def fastest(work, times: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, got = float("inf"), None
    for _ in range(times):
        started = time.perf_counter()
        got = work()
        best = min(best, time.perf_counter() - started)
    return best, got


def measure(database: str) -> None:
    import django

    django.setup()
    from ambition.fund.books import reconciliation
    from ambition.fund.models import Award, Payment

    seed()
    ours, books = fastest(lambda: reconciliation(None))
    with sqlite3.connect(database) as raw:
        reference, _ = fastest(lambda: [raw.execute(q).fetchall() for q in REFERENCE_SQL])
    print(
        json.dumps(
            {
                "ours": ours,
                "reference": reference,
                "ties": books.ties,  # type: ignore[attr-defined]
                "awards": Award.objects.count(),
                "payments": Payment.objects.count(),
            }
        )
    )


def main() -> list[str]:
    load = os.getloadavg()[0]
    work = scratch()
    env = environment(sqlite_url(work), work / "var")
    ambition(env, "migrate")
    ambition(env, "load-demo", "--reference-only")
    got = json.loads(run_child(env, __file__, "measure", str(work / "bench.sqlite3")))
    started = time.perf_counter()
    ambition(env, "fund-reconcile")
    command = time.perf_counter() - started
    shutil.rmtree(work, ignore_errors=True)
    return [
        f"fund-reconcile: {got['awards']:,} awards, {got['payments']:,} payments, "
        f"{BUDGETS} budgets, SQLite (load average {load:.1f} on {os.cpu_count()} cores)",
        f"  reconciliation, warm: {got['ours'] * 1000:.0f} ms (goal < {GOAL_S:.0f} s); "
        f"ties: {got['ties']}",
        f"  reference, the same totals by raw SQL through sqlite3 (no Django, no Decimal, no "
        f"checks): {got['reference'] * 1000:.0f} ms",
        f"  `ambition fund-reconcile` (Python and Django start-up included): {command:.2f} s",
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    if sys.argv[1:2] == ["measure"]:
        measure(sys.argv[2])
    else:
        print("\n".join(main()))
