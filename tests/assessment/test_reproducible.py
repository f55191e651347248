"""A run gives the same results wherever it is made: the engine's digest over the shipped
data is the same with one Polars thread as with the machine's default."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ambition.assessment.engine.run import assess
from ambition.assessment.frames import indicator_frame, observation_frame
from ambition.assessment.making import member_codes
from ambition.assessment.methodology import load

pytestmark = pytest.mark.django_db
METHOD = "ambition-default"

# Run in a child: Polars fixes its thread pool when it is first imported.
CHILD = """
import json, sys
import django
django.setup()
import polars as pl
from ambition.assessment.engine.run import assess
from ambition.assessment.methodology import load
folder, members = sys.argv[1], json.loads(sys.argv[2])
obs = pl.read_parquet(f"{folder}/obs.parquet")
indicators = pl.read_parquet(f"{folder}/indicators.parquet")
results = assess(obs, indicators, members, members, load(sys.argv[3]).rules(), {}, None)
print(pl.thread_pool_size(), results.digest())
"""


def test_one_thread_and_many_give_the_same_digest(tmp_path: Path) -> None:
    method = load(METHOD)
    obs = observation_frame(until=datetime.date.today())
    indicators = indicator_frame(stated=method.stated_polarity)
    members = member_codes()
    obs.write_parquet(tmp_path / "obs.parquet")
    indicators.write_parquet(tmp_path / "indicators.parquet")
    here = assess(obs, indicators, members, members, method.rules(), {}, None).digest()
    env = {**os.environ, "POLARS_MAX_THREADS": "1", "DJANGO_SETTINGS_MODULE": "ambition.settings"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), json.dumps(members), METHOD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    threads, digest = child.stdout.split()[-2:]
    assert threads == "1"
    assert digest == here
