"""The demo: the 33 boroughs' illustrative budgets and some returns, loaded twice to the
same result, a few flagged for the office."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ambition.efficiency.models import Flag, NetBudget, SavingsReturn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_slate")]


def test_the_demo_loads_once_and_again_changes_nothing() -> None:
    call_command("load_efficiency_demo", stdout=io.StringIO())
    counts = (NetBudget.objects.count(), SavingsReturn.objects.count(), Flag.objects.count())
    out = io.StringIO()
    call_command("load_efficiency_demo", stdout=out)
    assert "0 budgets, 0 returns" in out.getvalue()
    assert counts == (
        NetBudget.objects.count(),
        SavingsReturn.objects.count(),
        Flag.objects.count(),
    )
    boroughs = set(NetBudget.objects.values_list("authority__code", flat=True))
    assert boroughs == {f"E09{n:06d}" for n in range(1, 34)}
    assert not NetBudget.objects.filter(illustrative=False).exists()
    assert set(Flag.objects.values_list("kind", flat=True)) == {"too-large", "duplicate", "one-off"}
