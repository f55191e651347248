"""Back-fill claims: approved or refused once, paid only when approved (which writes the
ledger), and never approved past what the budget line allows, even when the office
approves many at once from separate connections."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, connections

from ambition.accounts.models import AuditEntry
from ambition.fund import budgeting
from ambition.fund.models import Budget, Claim
from ambition.support import money
from ambition.support.models import ClaimCause, LedgerEntry
from tests.fund.factories import BudgetFactory
from tests.registry.factories import CAMDEN, SOUTHWARK
from tests.support.factories import BackfillClaimFactory

db = pytest.mark.django_db


def line(amount: str = "1000", name: str = "Back-fill 2025-26") -> Budget:
    return BudgetFactory(name=name, amount=Decimal(amount))


def claim(budget: Budget, amount: str, code: str = SOUTHWARK) -> Claim:
    return BackfillClaimFactory(budget=budget, amount=Decimal(amount), claimant__code=code)


@db
def test_approving_within_the_budget_then_refusing_beyond_it() -> None:
    budget = line("1000")
    first, second, third = claim(budget, "600"), claim(budget, "400"), claim(budget, "0.01")
    money.approve(first, None)
    money.approve(second, None)
    assert budgeting.remaining(budget) == Decimal(0)
    with pytest.raises(money.BudgetExceeded, match=r"£0\.00 left"):
        money.approve(third, None)
    third.refresh_from_db()
    assert third.state == "submitted" and third.decided_at is None


@db
def test_a_refused_claim_frees_nothing_and_needs_a_reason() -> None:
    budget = line("100")
    refused = claim(budget, "80")
    with pytest.raises(money.ClaimError, match="says why"):
        money.refuse(refused, None, "")
    money.refuse(refused, None, "Not back-fill: the officer was not replaced")
    money.approve(claim(budget, "100"), None)
    assert budgeting.committed(budget.pk) == Decimal(100)


@db
def test_a_claim_is_decided_once() -> None:
    c = claim(line(), "10")
    money.approve(c, None)
    with pytest.raises(money.ClaimError, match="approved, not submitted"):
        money.approve(c, None)
    with pytest.raises(money.ClaimError):
        money.refuse(c, None, "late")


@db
def test_paying_writes_the_ledger_once_and_paid_claims_still_count() -> None:
    budget = line("500")
    c = claim(budget, "500")
    with pytest.raises(money.ClaimError, match="submitted, not approved"):
        money.pay(c, None)
    money.approve(c, None)
    entry = money.pay(c, None, datetime.date(2025, 9, 1))
    assert (entry.authority.code, entry.counterparty, entry.direction) == (SOUTHWARK, None, "took")
    assert (entry.kind, entry.amount, entry.year) == ("backfill", Decimal(500), 2025)
    assert entry.source == "claim" and entry.source_id == c.pk
    with pytest.raises(money.ClaimError):
        money.pay(c, None)
    assert LedgerEntry.objects.from_source("claim", c.pk).count() == 1
    with pytest.raises(money.BudgetExceeded):
        money.approve(claim(budget, "1"), None)


# The concurrency test commits its rows, since each thread has its own connection and sees
# only committed data. `available_apps=[]` keeps the transactional test's flush from
# emptying every table (the London reference data is loaded once per session): the test
# removes its own rows instead.
THREADS = 8
CONCURRENT = pytest.mark.django_db(transaction=True, available_apps=[])


@pytest.fixture
def committed() -> Iterator[Budget]:
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    budget = line("1000", name="Concurrency test")
    try:
        yield budget
    finally:
        ClaimCause.objects.filter(claim__budget=budget).delete()
        Claim.objects.filter(budget=budget).delete()
        budget.delete()
        AuditEntry.objects.filter(id__gt=last_audit).delete()


def _approve(pk: int) -> str:
    """Approve, waiting for the database as a file database would: SQLite's in-memory test
    database (shared cache) says "locked" at once instead of waiting its 30 s timeout."""
    for _ in range(2000):
        try:
            money.approve(Claim.objects.get(pk=pk), None)
            return "approved"
        except money.BudgetExceeded:
            return "over budget"
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.005)
    return "gave up"


def _approve_in_thread(pk: int, outcomes: list[str], start: threading.Barrier) -> None:
    try:
        start.wait()
        outcomes.append(_approve(pk))
    finally:
        connections.close_all()  # this thread's own connection


@CONCURRENT
@pytest.mark.parametrize("amount", ["300", "250", "999"])
def test_concurrent_approvals_never_exceed_the_budget(committed: Budget, amount: str) -> None:
    pks = [claim(committed, amount, code).pk for code in [SOUTHWARK, CAMDEN] * (THREADS // 2)]
    outcomes: list[str] = []
    start = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_approve_in_thread, args=(pk, outcomes, start)) for pk in pks
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    fits = int(Decimal(1000) // Decimal(amount))
    assert sorted(outcomes) == sorted(["approved"] * fits + ["over budget"] * (THREADS - fits))
    committed.refresh_from_db()
    assert budgeting.committed(committed.pk) == Decimal(amount) * fits <= committed.amount
    assert Claim.objects.filter(budget=committed, state="approved").count() == fits
    assert connection.vendor in ("sqlite", "postgresql")
