"""Property tests of the store: whatever values a file states, the API gives back the same
values, and missing or suppressed ones come back as null, never as zero."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ambition.indicators.imports import import_observations

AUTHORITIES = ["E09000022", "E09000028", "E08000003", "E06000001", "E92000001"]
PERIODS = ["2004-01-01/P1Y", "2010", "2015-01-01/P1Y", "2019"]
MARKERS = ["", "..", "x", "c", "-", "[c]"]
values = st.one_of(
    st.floats(min_value=0, max_value=100, allow_nan=False).map(repr),
    st.sampled_from(MARKERS),
)
rows = st.dictionaries(
    st.tuples(st.sampled_from(AUTHORITIES), st.sampled_from(PERIODS)),
    values,
    min_size=1,
    max_size=12,
)


class ImportRoundTrip(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(rows)
    def test_values_come_back_exactly(self, stated: dict[tuple[str, str], str]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "employment.csv"
            with path.open("w", newline="") as handle:
                out = csv.writer(handle)
                out.writerow(["authority", "indicator", "period", "value"])
                for (code, period), value in stated.items():
                    out.writerow([code, "ons-employment-rate", period, value])
            report = import_observations(path, origin="cli")
        assert report.ok, report.problems
        for (code, period), value in stated.items():
            body = json.loads(
                self.client.get(
                    "/api/v1/observations",
                    {
                        "indicator": "ons-employment-rate",
                        "authority": code,
                        "period_from": period,
                        "period_to": period,
                    },
                ).content
            )
            [got] = body["results"]
            expected = None if value in MARKERS else float(value)
            assert got["value"] == expected
            assert got["status"] != "" if expected is None else True
