"""`make fuzz`: the fuzz targets run under pytest for its real test database (the same demo
data the tests load), but outside `make test` (testpaths is tests/)."""

from __future__ import annotations

from typing import Any

from fuzz.campaign import TALLIES
from tests.conftest import _jobs_run_in_the_request, django_db_setup  # noqa: F401


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.section("fuzz: executions and crashes per target")
    for tally in TALLIES:
        terminalreporter.write_line(tally.line())
