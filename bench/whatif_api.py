"""POST /api/v1/methods/{name}/rate: a what-if star rating through the API, under 16 and then
4 concurrent clients for 10 s each on loopback, against the demo data served by the production
server (gunicorn, DEBUG off). Each request rates a different made-up council with one of the
shipped methods (random judgements, and scores given by area, block or level), so the
explanation's search (what held it back, the fewest raises to more stars) runs in full every
time. Beside each, in the same run: the same route refusing an unknown method (the floor that
the server, django-ninja and the clients cost alone); and the same ratings called in-process
(`trying.what_if`: the work itself, without the server).

The machine's 2 cores run the server and the clients both: at 16 clients the queue for the
cores, not the rating, sets the tail, which the floor beside it shows. Run by `make bench`.
Goal: p99 under 50 ms."""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
from pathlib import Path
from typing import Any

from common import client_latencies, demo_environment, latency_summary, run_child, serving

CLIENTS = 16
FEW_CLIENTS = 4  # a few people trying ratings at once
PROCESSES = 2
SECONDS = 10.0
GOAL_P99_MS = 50.0
BODIES = 500
IN_PROCESS_CALLS = 2000
METHODS = ("ambition-default", "cpa-2005")
AREAS = (
    "childrens-services",
    "education",
    "adult-social-care",
    "waste",
    "economy",
    "health",
    "housing",
    "environment",
    "transport",
)
LEVELS = {"ambition-default": ("services",), "cpa-2005": ("level-1", "level-2")}


def bodies(seed: int = 11) -> list[tuple[str, dict[str, Any]]]:
    """Made-up councils, the same in every run: (method, request body)."""
    rng = random.Random(seed)
    made = []
    for _ in range(BODIES):
        method = rng.choice(METHODS)
        scores: dict[str, int | None] = {
            a: rng.choice((None, 1, 2, 2, 3, 3, 4)) for a in AREAS if rng.random() < 0.9
        }
        if rng.random() < 0.3:
            scores[rng.choice(LEVELS[method])] = rng.randint(1, 4)
        judgements = {}
        if method == "cpa-2005":
            judgements = {
                k: rng.randint(1, 4) for k in ("corporate_assessment", "use_of_resources")
            }
        made.append((method, {"judgements": judgements, "scores": scores}))
    return made


def requests_of(made: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, str]]:
    return [(f"/api/v1/methods/{m}/rate", json.dumps(b)) for m, b in made]


# The reference: the same route refusing a method that does not exist, which costs the server,
# django-ninja and the clients what a rating does, without reading a method or rating.
FLOOR = [("/api/v1/methods/no-such-method/rate", "{}")]


def _client(
    port: int, deadline: float, out: list[float], seed: int, requests: list[tuple[str, str]]
) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    rng = random.Random(seed)
    expected = 404 if requests is FLOOR else 200
    headers = {"Content-Type": "application/json"}
    while time.monotonic() < deadline:
        path, body = rng.choice(requests)
        started = time.perf_counter()
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        answer = response.read()
        if response.status != expected:
            raise RuntimeError(f"{path}: HTTP {response.status}: {answer[:200]!r}")
        out.append(time.perf_counter() - started)
    conn.close()


def _process(
    port: int, deadline: float, threads: int, seed: int, floor: bool, queue: object
) -> None:
    requests = FLOOR if floor else requests_of(bodies())
    latencies: list[float] = []
    workers = [
        threading.Thread(target=_client, args=(port, deadline, latencies, seed * 100 + i, requests))
        for i in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(latencies)  # type: ignore[attr-defined]


def load(port: int, clients: int = CLIENTS, floor: bool = False) -> dict[str, float]:
    deadline = time.monotonic() + SECONDS
    arguments = [(port, deadline, clients // PROCESSES, n, floor) for n in range(PROCESSES)]
    return latency_summary(client_latencies(_process, arguments), SECONDS)


def in_process() -> str:
    """The same ratings called in this process, one after another: the work itself."""
    import django

    django.setup()
    from ambition.assessment.trying import what_if

    made = bodies()
    latencies = []
    started = time.perf_counter()
    for n in range(IN_PROCESS_CALLS):
        method, body = made[n % len(made)]
        t = time.perf_counter()
        what_if(method, body["judgements"], body["scores"])
        latencies.append(time.perf_counter() - t)
    figures = latency_summary(latencies, time.perf_counter() - started)
    return f"{figures['p50']:.2f} {figures['p99']:.2f} {figures['rps']:.1f}"


def main() -> list[str]:
    env = demo_environment()
    p50, p99, rate = map(float, run_child(env, __file__, "--in-process").split())
    with serving(env) as port:
        load(port)  # warm every worker
        ours, few = load(port), load(port, FEW_CLIENTS)
        floor, few_floor = load(port, floor=True), load(port, FEW_CLIENTS, floor=True)
    return [
        f"POST /api/v1/methods/{{name}}/rate, {BODIES} made-up councils over {', '.join(METHODS)}, {SECONDS:.0f} s each, gunicorn, 2 client processes on the server's cores",
        line(f"what-if, {CLIENTS} clients", ours, f"(goal: p99 < {GOAL_P99_MS:.0f} ms)"),
        line(
            f"  its floor, {CLIENTS}",
            floor,
            "(the same route refusing an unknown method: server, ninja, clients)",
        ),
        line(f"what-if, {FEW_CLIENTS} clients", few, f"(goal: p99 < {GOAL_P99_MS:.0f} ms)"),
        line(
            f"  its floor, {FEW_CLIENTS}", few_floor, "(the same route refusing an unknown method)"
        ),
        f"  in-process         p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  {rate:7.1f} calls/s  (the same ratings, `trying.what_if`, one process, no server)",
    ]


def line(label: str, figures: dict[str, float], note: str) -> str:
    return (
        f"  {label:<20} p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms  "
        f"{figures['rps']:7.1f} req/s  {note}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print(in_process() if sys.argv[1:] == ["--in-process"] else "\n".join(main()))
