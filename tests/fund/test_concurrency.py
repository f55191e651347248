"""The limits hold under concurrency: eight connections approving grants on one budget and
paying tranches of one award at the same moment never take the budget's commitments past
its amount nor the payments past the award, because each check and its write happen under
the row's lock. With the locks replaced by plain reads (and a pause between check and
write to widen the race) the same scenario breaks both limits on PostgreSQL, which shows
the test can fail. SQLite serialises every write, so there the race cannot be shown."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from ambition.accounts.models import AuditEntry
from ambition.fund import applications, awards, budgeting
from ambition.fund.models import (
    Application,
    ApplicationTarget,
    Appraisal,
    Award,
    Budget,
    Decision,
    Milestone,
    MilestoneEvidence,
    Partner,
    Payment,
    Return,
    StateChange,
    Variation,
)
from ambition.fund.signals import grant_paid

from .grants import appraised, awarded, evidenced, improvement_budget

THREADS = 8
CONCURRENT = pytest.mark.django_db(transaction=True, available_apps=[])
BUDGET, EACH, AWARD, TRANCHE = Decimal(1000), Decimal(300), Decimal(1000), Decimal(300)


@pytest.fixture
def scene(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[int]]]:
    """Eight appraised applications of £300 on a £1,000 budget, and an award of £1,000 (of
    £2,400 asked) on another, with eight evidenced tranches of £300; all committed, and
    removed afterwards (the transactional test flushes nothing). The apps above the fund
    that hear of payments (the ledger) are not under test here and would leave committed
    rows of their own behind, so grant_paid has no receivers for the while."""
    monkeypatch.setattr(grant_paid, "receivers", [])
    monkeypatch.setattr(grant_paid, "sender_receivers_cache", {})
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    bids = improvement_budget(str(BUDGET), name="Concurrent approvals")
    paying = improvement_budget("5000", name="Concurrent payments")
    try:
        award = awarded(paying, str(TRANCHE * THREADS), tranches=THREADS, grant=str(AWARD))
        yield {
            "applications": [appraised(bids, str(EACH)).pk for _ in range(THREADS)],
            "milestones": [evidenced(m).pk for m in award.application.milestones.all()],
            "budget": [bids.pk],
            "award": [award.pk],
        }
    finally:
        _remove(bids, paying, last_audit)


def _remove(bids: Budget, paying: Budget, last_audit: int) -> None:
    """Children first, one table at a time: with `available_apps=[]` Django's deletion
    does not see the relations it would otherwise cascade along."""
    budgets = [bids, paying]
    for model in (Payment, Return, Variation):
        model.objects.filter(award__budget__in=budgets).delete()
    MilestoneEvidence.objects.filter(milestone__application__budget__in=budgets).delete()
    Award.objects.filter(budget__in=budgets).delete()
    for model in (Decision, Appraisal, StateChange, Partner, ApplicationTarget, Milestone):
        model.objects.filter(application__budget__in=budgets).delete()
    Application.objects.filter(budget__in=budgets).delete()
    Budget.objects.filter(pk__in=[b.pk for b in budgets]).delete()
    AuditEntry.objects.filter(id__gt=last_audit).delete()


def _approve(pk: int) -> str:
    applications.decide(Application.objects.get(pk=pk), None, "approved")
    return "approved"


def _pay(pk: int) -> str:
    awards.pay(Milestone.objects.get(pk=pk), None)
    return "paid"


def _attempt(step: Callable[[int], str], pk: int) -> str:
    """One step, waiting for the database as a file database would: SQLite's in-memory test
    database (shared cache) says "locked" at once instead of waiting its timeout."""
    for _ in range(2000):
        try:
            return step(pk)
        except awards.OverBudget:
            return "over budget"
        except awards.OverAward:
            return "over award"
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.005)
    return "gave up"


def _worker(application: int, milestone: int, out: list[str], start: threading.Barrier) -> None:
    try:
        start.wait()
        out.append(_attempt(_approve, application))
        out.append(_attempt(_pay, milestone))
    finally:
        connections.close_all()  # this thread's own connection


def fire(scene: dict[str, list[int]]) -> list[str]:
    out: list[str] = []
    start = threading.Barrier(THREADS)
    pairs = zip(scene["applications"], scene["milestones"], strict=True)
    threads = [threading.Thread(target=_worker, args=(*pair, out, start)) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


@CONCURRENT
def test_concurrent_approvals_and_payments_keep_within_their_limits(
    scene: dict[str, list[int]],
) -> None:
    out = fire(scene)
    fits, paid = int(BUDGET // EACH), int(AWARD // TRANCHE)
    assert sorted(out) == sorted(
        ["approved"] * fits
        + ["over budget"] * (THREADS - fits)
        + ["paid"] * paid
        + ["over award"] * (THREADS - paid)
    )
    assert budgeting.committed(scene["budget"][0]) == EACH * fits <= BUDGET
    assert awards.paid(scene["award"][0]) == TRANCHE * paid <= AWARD


def _slowly(read: Callable[..., Decimal]) -> Callable[..., Decimal]:
    def read_then_wait(*args: Any) -> Decimal:
        found = read(*args)
        time.sleep(0.2)  # between the check and the write: the race, made wide
        return found

    return read_then_wait


@CONCURRENT
def test_without_the_locks_the_same_race_breaks_both_limits(
    scene: dict[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writes: the race without locks needs PostgreSQL")
    monkeypatch.setattr(budgeting, "locked", lambda pk: Budget.objects.get(pk=pk))
    monkeypatch.setattr(awards, "locked_award", lambda pk: Award.objects.get(pk=pk))
    monkeypatch.setattr(budgeting, "remaining", _slowly(budgeting.remaining))
    monkeypatch.setattr(awards, "paid", _slowly(awards.paid))
    fire(scene)
    assert budgeting.committed(scene["budget"][0]) > BUDGET
    assert Payment.objects.filter(award_id=scene["award"][0]).count() > int(AWARD // TRANCHE)
