"""The demo's spend: the shipped GLA and Lambeth files stored (Lambeth's damaged rows
recorded, not lost), suppliers resolved across both, illustrative rates that say so, and a
second run that adds nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from ambition.spend import opportunities as opp
from ambition.spend.categories.current import current_spend
from ambition.spend.models import SavingRate, SpendFile, SupplierRun


@pytest.fixture(autouse=True)
def _spend_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]


def test_the_demo_loads_real_spend_once_and_labels_its_rates(db: None, analyst: object) -> None:
    out = io.StringIO()
    call_command("load_spend_demo", stdout=out)
    assert "30 files stored (0 already)" in out.getvalue()
    assert SpendFile.objects.count() == 30
    assert SpendFile.objects.filter(rows_refused__gt=0, errors_accepted=True).exists()
    runs = SupplierRun.objects.count()
    assert runs == 1
    rates = SavingRate.objects.standing()
    assert rates.exists() and all(r.illustrative for r in rates)
    again = io.StringIO()
    call_command("load_spend_demo", stdout=again)
    assert "0 files stored (30 already)" in again.getvalue()
    assert SupplierRun.objects.count() == runs and SpendFile.objects.count() == 30
    assert SavingRate.objects.count() == rates.count()

    spend = current_spend()
    assert set(spend.names) == {"E61000001", "E09000022"}
    shared = opp.by_supplier(spend, None)
    assert shared and shared[0].authorities == 2
    client = Client()
    client.force_login(analyst)  # type: ignore[arg-type]
    page = client.get("/spend/opportunities/").content.decode()
    assert "data-illustrative" in page and "made up for the demo" in page
