"""Fixtures of the efficiency tests."""

from __future__ import annotations

import pytest

from ambition.efficiency.models import NetBudget, SavingsReturn


@pytest.fixture
def clean_slate(db: None) -> None:
    """No budgets and no returns, whether or not `load-demo` loaded the demo's: tests that
    count and add up start from nothing (the deletions are rolled back with the test)."""
    SavingsReturn.objects.all().delete()
    NetBudget.objects.all().delete()
