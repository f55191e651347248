"""A fuzz campaign: Hypothesis run against one target for a fixed time budget rather than a
fixed number of examples, counting executions and collecting every distinct crash (with the
input Hypothesis shrank it to) instead of stopping at the first."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# Seconds per target: `make fuzz FUZZ_SECONDS=600` for a longer night.
BUDGET = float(os.environ.get("FUZZ_SECONDS", "60"))
# A target that keeps crashing stops early: its crashes are reported, the budget is not spent.
MOST_CRASHES = 10
EXAMPLES_A_ROUND = 100


@dataclass
class Tally:
    target: str
    executions: int = 0
    seconds: float = 0.0
    crashes: dict[str, str] = field(default_factory=dict)  # kind -> the shrunk input and error

    def line(self) -> str:
        return (
            f"{self.target}: {self.executions:,} executions in {self.seconds:.0f} s, "
            f"{len(self.crashes)} crash(es)"
        )


TALLIES: list[Tally] = []


def campaign(target: str, inputs: st.SearchStrategy[Any], check: Callable[[Any], None]) -> Tally:
    """Run `check` on `inputs` for the budget; a check that raises is a crash."""
    tally = Tally(target)
    TALLIES.append(tally)

    @settings(
        max_examples=EXAMPLES_A_ROUND,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(inputs)
    def one(example: Any) -> None:
        tally.executions += 1
        check(example)

    started = time.monotonic()
    while time.monotonic() - started < BUDGET and len(tally.crashes) < MOST_CRASHES:
        try:
            one()
        except Exception as crash:  # every kind of crash is the finding
            tally.crashes.setdefault(_kind(crash), _described(crash))
    tally.seconds = time.monotonic() - started
    return tally


def _kind(crash: BaseException) -> str:
    first = str(crash).splitlines()[0] if str(crash) else ""
    return f"{type(crash).__name__}: {first[:120]}"


def _described(crash: BaseException) -> str:
    notes = "\n".join(getattr(crash, "__notes__", []))
    return f"{type(crash).__name__}: {crash}\n{notes}"


def report(tally: Tally) -> str:
    return "\n".join([tally.line(), *(f"  {c}" for c in tally.crashes.values())])
