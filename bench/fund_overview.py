"""The fund overview page (`/fund/`) over 10,000 awards and 100,000 payments (the fund the
reconciliation bench makes): p99 under 300 ms with 16 clients, production server, SQLite.
Beside it, the floor: the same server answering an award that does not exist (routing,
middleware, one query and a 404 page, without the overview's work).

A single request is timed first: when it alone takes longer than the goal many times over,
16 clients would only queue behind it, and the bench says so instead of timing them.

Run by `make bench`, or alone: `.venv/bin/python bench/fund_overview.py`."""

from __future__ import annotations

import http.client
import os
import shutil
import sys
import time
from pathlib import Path

from common import ambition, environment, get_load, run_child, scratch, serving, sqlite_url

CLIENTS = 16
PROCESSES = 2
SECONDS = 10.0
GOAL_P99_MS = 300.0
PAGE, FLOOR = "/fund/", "/fund/awards/999999999/"
TOO_SLOW_S = 3.0  # one request slower than this: the load test would measure a queue


def seed() -> None:
    import django

    django.setup()
    from fund_reconcile import seed as fill

    fill()
    print("seeded")


def once(port: int, path: str) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def load(port: int, path: str, expected: int = 200) -> dict[str, float]:
    return get_load(port, path, CLIENTS, SECONDS, PROCESSES, expected)


def main() -> list[str]:
    work = scratch()
    env = environment(sqlite_url(work), work / "var")
    env["AMBITION_DEBUG"] = "false"
    ambition(env, "migrate")
    ambition(env, "load-demo", "--reference-only")
    run_child(env, __file__, "seed")
    lines = [f"fund overview: 10,000 awards, 100,000 payments, SQLite, {CLIENTS} clients"]
    with serving(env) as port:
        status, first = once(port, PAGE)
        lines.append(f"  one request: HTTP {status} in {first * 1000:.0f} ms")
        floor = load(port, FLOOR, expected=404)
        if first > TOO_SLOW_S:
            lines.append(f"  not load-tested: one request alone is over {TOO_SLOW_S:.0f} s")
        else:
            ours = load(port, PAGE)
            lines.append(
                f"  /fund/: p50 {ours['p50']:.0f} ms, p99 {ours['p99']:.0f} ms "
                f"(goal < {GOAL_P99_MS:.0f}), {ours['rps']:.1f} requests/s"
            )
        lines.append(
            f"  floor, an award that does not exist (404): p50 {floor['p50']:.0f} ms, "
            f"p99 {floor['p99']:.0f} ms, {floor['rps']:.1f} requests/s"
        )
    shutil.rmtree(work, ignore_errors=True)
    lines.append(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    if sys.argv[1:2] == ["seed"]:
        seed()
    else:
        print("\n".join(main()))
