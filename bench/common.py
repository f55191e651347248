"""What the benchmarks share: a fresh database for each measurement, the Django set-up,
the peak memory of a child process, and, for the server benchmarks, a free port, waiting for
the server, running client processes and the latency figures of what they measured."""

from __future__ import annotations

import contextlib
import http.client
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "ambition_bench"


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'bench.sqlite3'}"


def fresh_postgres() -> str:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return f"{POSTGRES_SERVER}/{BENCH_DATABASE}"


def environment(database_url: str, var: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "AMBITION_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "ambition.settings",
    }


def ambition(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ambition", *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def run_child(env: dict[str, str], *args: str) -> str:
    """Run a bench step in a child process; it prints its result as the last line."""
    out = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    if out.returncode:
        tail = "\n".join(out.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"bench step {' '.join(args)} failed ({out.returncode}):\n{tail}")
    return (out.stdout.strip().splitlines() or [""])[-1]


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="ambition-bench-"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# `ambition serve` took 55 s to listen on a loaded machine (Django set-up in each worker):
# a minute was too close. Four, and the server's own exit is noticed at once.
SERVER_START_S = 240.0


def wait_for_port(
    port: int, server: subprocess.Popen[bytes] | None = None, seconds: float = SERVER_START_S
) -> None:
    """Until something listens on the port; an error if the server exits first or nothing
    listens within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server exited (code {server.returncode}) before it listened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(
        f"the server did not listen on port {port} within {seconds:.0f} s "
        "(a loaded machine starts it slowly: see bench/common.SERVER_START_S)"
    )


def client_latencies(
    target: Callable[..., None], arguments: list[tuple[object, ...]]
) -> list[float]:
    """Run `target(*arguments[n], queue)` in one process per entry; each puts the list of its
    requests' seconds on the queue once. All of them, together."""
    queue: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=target, args=(*args, queue)) for args in arguments]
    for p in procs:
        p.start()
    latencies = [x for _ in procs for x in queue.get()]
    for p in procs:
        p.join()
    return latencies


def _get_client(port: int, path: str, deadline: float, out: list[float], expected: int) -> None:
    """GET `path` (its `{offset}` filled at random) until the deadline, on one connection;
    an answer other than `expected`, or an empty one, stops the benchmark."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    rng = random.Random()
    while time.monotonic() < deadline:
        started = time.perf_counter()
        conn.request("GET", path.format(offset=rng.randrange(5000)))
        response = conn.getresponse()
        body = response.read()
        if response.status != expected or not body:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        out.append(time.perf_counter() - started)
    conn.close()


def _get_process(
    port: int, path: str, deadline: float, threads: int, expected: int, queue: object
) -> None:
    latencies: list[float] = []
    workers = [
        threading.Thread(target=_get_client, args=(port, path, deadline, latencies, expected))
        for _ in range(threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    queue.put(latencies)  # type: ignore[attr-defined]


def get_load(
    port: int,
    path: str,
    clients: int = 16,
    seconds: float = 10.0,
    processes: int = 2,
    expected: int = 200,
) -> dict[str, float]:
    """`clients` GETting `path` together for `seconds`, in `processes` processes of
    threads (one Python process cannot drive 16 clients alone): the latency summary."""
    deadline = time.monotonic() + seconds
    each: tuple[object, ...] = (port, path, deadline, clients // processes, expected)
    return latency_summary(client_latencies(_get_process, [each] * processes), seconds)


def latency_summary(latencies: list[float], seconds: float) -> dict[str, float]:
    """Requests, requests a second, and the median and 99th percentile in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": cuts[49] * 1000,
        "p99": cuts[98] * 1000,
    }


def demo_environment() -> dict[str, str]:
    """A scratch SQLite database with the demo data loaded, DEBUG off: what the server
    benchmarks serve."""
    var = scratch()
    env = environment(sqlite_url(var), var)
    env["AMBITION_DEBUG"] = "false"
    ambition(env, "migrate")
    ambition(env, "load-demo")
    return env


@contextlib.contextmanager
def serving(env: dict[str, str]) -> Iterator[int]:
    """`ambition serve` (gunicorn, as in production) on a free port, stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ambition", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # `ambition serve` did not stop on SIGTERM in time
            server.kill()
            server.wait(timeout=30)
