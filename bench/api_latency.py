"""GET /api/v1/observations for one indicator (every authority and period, a full page of
1,000) under 16 concurrent clients for 10 s on loopback, against the demo data served by
the production server (gunicorn, DEBUG off). Beside it, in the same run, the same server
answering for a static file: the floor that the server and the clients cost alone.

Run by `make bench`. Goal: p99 under 100 ms."""

from __future__ import annotations

import http.client
import sys
from pathlib import Path

from common import demo_environment, get_load, serving

CLIENTS = 16
PROCESSES = 2
SECONDS = 10.0
GOAL_P99_MS = 100.0
INDICATOR = "ons-employment-rate"


def load(port: int, path: str) -> dict[str, float]:
    return get_load(port, path, CLIENTS, SECONDS, PROCESSES)


def main() -> list[str]:
    api = f"/api/v1/observations?indicator={INDICATOR}&limit=1000"
    with serving(demo_environment()) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", api)
        size = len(conn.getresponse().read())
        load(port, api)  # warm every worker
        ours = load(port, api)
        misses = load(port, api.replace("limit=1000", "limit=1000&offset={offset}"))
        floor = load(port, "/static/web/app.js")
    return [
        f"GET {api} ({size / 1024:.0f} KiB), {CLIENTS} clients, {SECONDS:.0f} s, gunicorn, SQLite demo data",
        f"  API, cached  p50 {ours['p50']:6.1f} ms  p99 {ours['p99']:6.1f} ms  {ours['rps']:7.1f} req/s  (goal: p99 < {GOAL_P99_MS:.0f} ms)",
        f"  API, uncached p50 {misses['p50']:6.1f} ms  p99 {misses['p99']:6.1f} ms  {misses['rps']:7.1f} req/s  (every request a different page: no cache hits)",
        f"  static file  p50 {floor['p50']:6.1f} ms  p99 {floor['p99']:6.1f} ms  {floor['rps']:7.1f} req/s  (the server's floor)",
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print("\n".join(main()))
