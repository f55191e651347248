"""The observation importer over CSV, gzip and XLSX files, in the real test database: every
file is imported or refused with a report, never a crash, and a refused file writes nothing
(0 partial writes)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import transaction

from ambition.indicators.imports import import_observations
from ambition.indicators.models import ImportBatch, Indicator, Observation, Period
from fuzz.campaign import campaign, report
from fuzz.inputs import uploads

pytestmark = pytest.mark.django_db(transaction=False)


def database_state() -> tuple[int, ...]:
    return (
        Observation.private_objects.count(),
        ImportBatch.objects.count(),
        Period.objects.count(),
    )


def import_one(upload: tuple[str, bytes]) -> None:
    name, content = upload
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        with transaction.atomic():  # each file on the same database: its writes are undone
            before = database_state()
            result = import_observations(path, origin="cli")
            if not result.ok:
                wrote = database_state() != before
                assert not wrote, f"a refused file wrote\n{result.summary()} {upload!r:.600}"
            transaction.set_rollback(True)


def test_importer() -> None:
    indicators = list(Indicator.objects.values_list("code", flat=True)[:6])
    tally = campaign("observation importer", uploads(indicators), import_one)
    assert not tally.crashes, report(tally)
