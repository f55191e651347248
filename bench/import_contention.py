"""Sign-ins and pages while a 1,000,000-row import runs from the command line on SQLite,
beside the same requests with no import running (the reference), against the production
server (gunicorn) and the background worker that `ambition serve` runs.

Run by `make bench`, never by the tests. Goal: p99 under 2 s during the import, no errors,
and the worker still alive after it. Bounded: the reference runs REFERENCE_SECONDS, the
import at most IMPORT_LIMIT_SECONDS."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from common import ambition, environment, free_port, run_child, scratch, sqlite_url

CLIENTS = 4
REFERENCE_SECONDS = 20.0
IMPORT_LIMIT_SECONDS = 600.0
GOAL_P99_S = 2.0
USER, PASSWORD = "bench-analyst", "bench-password-for-contention-1"
PAGES = ("/", "/indicators/", "/authorities/E09000022/", "/indicators/ons-employment-rate/")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Tally:
    def __init__(self) -> None:
        self.sign_ins: list[float] = []
        self.pages: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def add(self, kind: list[float], seconds: float) -> None:
        with self.lock:
            kind.append(seconds)


def _session(base: str, tally: Tally, stop: threading.Event) -> None:
    """One person after another: sign in (the form, then the post), then read the pages."""
    while not stop.is_set():
        with httpx.Client(base_url=base, timeout=60) as client:
            try:
                started = time.perf_counter()
                form = client.get("/account/login/")
                token = TOKEN.search(form.text)
                answer = client.post(
                    "/account/login/",
                    data={
                        "username": USER,
                        "password": PASSWORD,
                        "csrfmiddlewaretoken": token.group(1) if token else "",
                    },
                    headers={"Referer": f"{base}/account/login/"},
                )
                if answer.status_code != 302:
                    raise RuntimeError(f"sign-in answered {answer.status_code}")
                tally.add(tally.sign_ins, time.perf_counter() - started)
                for page in PAGES:
                    started = time.perf_counter()
                    if (status := client.get(page).status_code) != 200:
                        raise RuntimeError(f"{page} answered {status}")
                    tally.add(tally.pages, time.perf_counter() - started)
            except (httpx.HTTPError, RuntimeError) as error:
                with tally.lock:
                    tally.errors.append(str(error))


def measure(base: str, until: threading.Event) -> Tally:
    tally, threads = Tally(), []
    for _ in range(CLIENTS):
        threads.append(threading.Thread(target=_session, args=(base, tally, until)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    return tally


def probe_lock(database: str, stop: threading.Event, busy: list[tuple[float, float]]) -> None:
    """Record each stretch during which the write lock could not be had in 50 ms."""
    since: float | None = None
    while not stop.is_set():
        probe = sqlite3.connect(database, isolation_level=None, timeout=0.05)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            if since is not None:
                busy.append((since, time.monotonic()))
                since = None
        except sqlite3.OperationalError:
            since = time.monotonic() if since is None else since
        finally:
            probe.close()
        time.sleep(0.1)


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"{len(values)} requests"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49]:.2f} s, p99 {cuts[98]:.2f} s, max {max(values):.2f} s ({len(values)})"


def _last_line(log: Path) -> str:
    lines = log.read_text().strip().splitlines()
    return f" ({lines[-1]})" if lines else ""


def _until_done(cli: subprocess.Popen[bytes], done: threading.Event) -> None:
    try:
        cli.wait(IMPORT_LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        cli.kill()
    done.set()


def _wait_for(base: str) -> None:
    for _ in range(300):
        try:
            httpx.get(f"{base}/account/login/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def prepared() -> tuple[dict[str, str], Path]:
    work = scratch()
    env = {**environment(sqlite_url(work), work), "AMBITION_TASKS": "database"}
    ambition(env, "migrate")
    ambition(env, "load-demo", "--reference-only")
    subprocess.run(
        [sys.executable, "-m", "ambition", "create-user", USER, "--role", "analyst"],
        env={**env, "AMBITION_NEW_PASSWORD": PASSWORD},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    path = work / "million.csv"
    run_child(env, str(Path(__file__).with_name("import_speed.py")), "write", str(path))
    return env, path


def main() -> list[str]:
    env, path = prepared()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(env["AMBITION_VAR_DIR"]) / "serve.log"
    serve = subprocess.Popen(
        [sys.executable, "-m", "ambition", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        # A file, not a pipe: the access log would fill an unread pipe and stall the server.
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(base)
        stop = threading.Event()
        threading.Timer(REFERENCE_SECONDS, stop.set).start()
        reference = measure(base, stop)
        importing = threading.Event()
        started = time.perf_counter()
        cli_log = Path(env["AMBITION_VAR_DIR"]) / "import.log"
        cli = subprocess.Popen(
            [sys.executable, "-m", "ambition", "import-observations", str(path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=cli_log.open("w"),  # a file: an unread pipe could stall the import
        )
        threading.Thread(target=_until_done, args=(cli, importing)).start()
        busy: list[tuple[float, float]] = []
        database = env["DATABASE_URL"].removeprefix("sqlite:///")
        threading.Thread(target=probe_lock, args=(database, importing, busy)).start()
        during = measure(base, importing)
        seconds = time.perf_counter() - started
        if cli.poll() is None:
            cli.kill()
        health = subprocess.run(
            [sys.executable, "-m", "ambition", "check-worker"],
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        serve.terminate()
        serve.wait(timeout=60)
    restarts = log.read_text().count("The worker stopped")
    lines = [
        "sign-ins and pages during a 1,000,000-row CLI import on SQLite "
        f"({CLIENTS} clients; goal p99 < {GOAL_P99_S:.0f} s, no errors, the worker survives)",
        f"  reference (no import)   sign-in {percentiles(reference.sign_ins)}"
        f" | pages {percentiles(reference.pages)} | errors {len(reference.errors)}",
        f"  during the import       sign-in {percentiles(during.sign_ins)}"
        f" | pages {percentiles(during.pages)} | errors {len(during.errors)}"
        + (f" (first: {during.errors[0]})" if during.errors else ""),
        f"  import {'finished' if cli.returncode == 0 else f'exit {cli.returncode}'} in "
        f"{seconds:.0f} s{_last_line(cli_log)}; the write lock was held at most "
        f"{max((b - a for a, b in busy), default=0.0):.1f} s at a time; worker restarts {restarts}; "
        f"check-worker: {(health.stdout or health.stderr).strip()}",
    ]
    shutil.rmtree(env["AMBITION_VAR_DIR"])  # the database and the file: hundreds of MB
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambition.settings")
    print("\n".join(main()))
