"""A file's periods that the store lacks are stored with its observations, in the write
transaction, and never by a file that is refused or only checked (a dry run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ambition.indicators.imports import import_observations
from ambition.indicators.models import Observation, Period

pytestmark = pytest.mark.django_db
LAMBETH = "E09000022"
EMPLOYMENT = "ons-employment-rate"


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "new-periods.csv"
    path.write_text("authority,indicator,period,value\n" + "\n".join(rows) + "\n")
    return path


def test_a_refused_file_or_a_dry_run_stores_no_new_period(tmp_path: Path) -> None:
    before = Period.objects.count()
    refused = write(tmp_path, [f"{LAMBETH},{EMPLOYMENT},2041,70.1", "Gotham,x,2042,1"])
    assert not import_observations(refused, origin="cli").ok
    good = write(tmp_path, [f"{LAMBETH},{EMPLOYMENT},2041,70.1"])
    report = import_observations(good, origin="cli", dry_run=True)
    assert report.ok and report.created == 1
    assert Period.objects.count() == before


def test_a_written_file_stores_its_new_periods_once(tmp_path: Path) -> None:
    before = Period.objects.count()
    path = write(tmp_path, [f"{LAMBETH},{EMPLOYMENT},2041,70.1", f"{LAMBETH},{EMPLOYMENT},2042,71"])
    report = import_observations(path, origin="cli")
    assert report.ok and report.created == 2
    assert Period.objects.count() == before + 2
    stored = Observation.private_objects.latest_revision().filter(
        authority__code=LAMBETH, indicator__code=EMPLOYMENT, period__label__in=["2041", "2042"]
    )
    assert sorted(o.value for o in stored) == [70.1, 71.0]
    again = import_observations(path, origin="cli")
    assert again.ok and again.unchanged == 2 and Period.objects.count() == before + 2
