"""The same saving submitted from eight connections at once is counted once: the
authority's row is locked while a return is checked, so the other seven see the first
and are flagged as duplicates. Rows are committed (each thread has its own connection);
`available_apps=[]` keeps the flush from emptying the reference data, and the test
removes its own rows."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import OperationalError, connection, connections

from ambition.accounts.models import AuditEntry
from ambition.efficiency import submission
from ambition.efficiency.models import NetBudget, SavingsReturn
from ambition.registry.models import Authority

from ..registry.factories import LAMBETH
from .factories import line

THREADS = 8
YEAR = 2005  # a year the demo has no budget or return for: its rows stay as they are
CONCURRENT = pytest.mark.django_db(transaction=True, available_apps=[])


@pytest.fixture
def lambeth() -> Iterator[Authority]:
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    authority = Authority.objects.get(code=LAMBETH)
    budget = NetBudget.objects.create(authority=authority, year=YEAR, amount=Decimal("3e8"))
    try:
        yield authority
    finally:
        SavingsReturn.objects.filter(authority=authority, year=YEAR).delete()
        budget.delete()
        AuditEntry.objects.filter(id__gt=last_audit).delete()


def _submit(authority: Authority) -> str:
    """Submit, waiting for the database as a file database would (SQLite's in-memory test
    database says "locked" at once)."""
    for _ in range(2000):
        try:
            made = submission.submit(authority, YEAR, [line()])
            return "flagged" if made.flags.exists() else "clean"
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.005)
    return "gave up"


def _in_thread(authority: Authority, outcomes: list[str], start: threading.Barrier) -> None:
    try:
        start.wait()
        outcomes.append(_submit(authority))
    finally:
        connections.close_all()


@CONCURRENT
def test_the_same_saving_at_once_is_clean_once_and_a_duplicate_after(lambeth: Authority) -> None:
    outcomes: list[str] = []
    start = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_in_thread, args=(lambeth, outcomes, start)) for _ in range(THREADS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["clean"] + ["flagged"] * (THREADS - 1)
