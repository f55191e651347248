"""`ambition serve` supervises its worker: a worker that dies is started again, each start
and death reported, waiting longer after each quick death so a broken worker cannot spin."""

from __future__ import annotations

import sys
import time

from ambition.web.management.commands.serve import WORKER, Supervised

DIES = [sys.executable, "-c", "import sys; sys.exit(3)"]


def _until(condition: object, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.05)


def test_a_dead_worker_is_started_again_and_each_start_reported() -> None:
    said: list[str] = []
    worker = Supervised("worker", DIES, said.append)
    worker.start()
    first = worker.process
    assert first is not None
    first.wait(timeout=20)
    _until(lambda: (worker.check(), worker.process is not first)[1])
    assert worker.process is not first and worker.restarts == 1
    assert said[0].startswith("The worker started (pid ")
    assert "The worker stopped (exit code 3)" in said[1] and "starting it again in 0 s" in said[1]
    assert said[2].startswith("The worker started (pid ")
    worker.stop()


def test_a_worker_that_keeps_dying_waits_longer_each_time() -> None:
    said: list[str] = []
    worker = Supervised("worker", DIES, said.append)
    worker.start()
    for _ in range(3):
        current = worker.process
        assert current is not None
        current.wait(timeout=20)
        _until(lambda current=current: (worker.check(), worker.process is not current)[1])
    waits = [line.split("again in ")[1] for line in said if "stopped" in line]
    assert waits == ["0 s.", "1 s.", "2 s."]
    worker.stop()


def test_serve_runs_the_steady_worker() -> None:
    assert WORKER[-2:] == ["run_worker", "--no-startup-delay"]
