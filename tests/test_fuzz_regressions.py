"""Every crash or partial write that `make fuzz` found, kept as a regression test with the
input that found it. A finding in a file another engineer owns is written here and reported
to them, not fixed here (mark it `xfail(strict=True)` until their fix lands)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ambition.indicators.imports import import_observations
from ambition.indicators.models import ImportBatch, Observation, Period

pytestmark = pytest.mark.django_db
EMPLOYMENT = "ons-employment-rate"


def database_state() -> tuple[int, int, int]:
    return (
        Observation.private_objects.count(),
        ImportBatch.objects.count(),
        Period.objects.count(),
    )


# Refused files whose period is not yet stored: the first written by hand, the second as
# `make fuzz` shrank it (a wide file whose rows lack their values). The period resolver
# stored the new period while checking the file: a partial write.
NEW_PERIOD_REFUSED = [
    f"authority,indicator,period,value\r\nE09000022,{EMPLOYMENT},2031,lots\r\n",
    "authority,indicator,2019 Q1\r\nE09000022\r\nE09000022,oflog-asc1-carer-quality-of-life\r\n",
]


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize("text", NEW_PERIOD_REFUSED)
def test_a_refused_file_with_a_new_period_writes_no_period(
    tmp_path: Path, text: str, dry_run: bool
) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(text.encode())
    before = database_state()
    report = import_observations(path, origin="cli", dry_run=dry_run)
    assert not report.ok
    assert database_state() == before
