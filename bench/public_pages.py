"""Every public page of the site under load: locust, headless, 32 clients (users that wait
for nothing between requests) for 20 s on loopback, one page at a time, against the
production server (`ambition serve`, gunicorn, DEBUG off) on the SQLite demo data made as
`make demo` makes it. Then the annual report as a PDF, timed in a child process after
Django's set-up (WeasyPrint's start-up paid once before timing).

Goals: every page p99 under 300 ms; the annual report PDF under 5 s. Beside the pages, in
the same run, the floor: the same server under the same load answering a static file
(WhiteNoise, no view, no database), the fastest any page could be here.

Run by `make bench`, or alone: `.venv/bin/python bench/public_pages.py`. With
BENCH_DEMO_VAR=/path (a folder holding a demo's bench.sqlite3) it serves that demo rather
than making one."""

from __future__ import annotations

import csv
import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import (
    SERVER_START_S,
    ambition,
    environment,
    run_child,
    scratch,
    serving,
    sqlite_url,
)

CLIENTS = 32
SECONDS = 20
WARM_SECONDS = 5
GOAL_P99_MS = 300.0
GOAL_PDF_S = 5.0
FLOOR = "/static/vendor/favicon.svg"
LAMBETH = "E09000022"
DEMO_STEPS = (
    ("migrate",),
    ("load-demo",),
    ("assess", "--history", "2019"),
    ("load-support-demo",),
    ("load-fund-demo",),
    ("load-efficiency-demo",),
    ("load-knowledge-demo",),
)
LOCUSTFILE = """
import os
from locust import HttpUser, task

PATH = os.environ["BENCH_PATH"]


class Resident(HttpUser):
    @task
    def read(self):
        with self.client.get(PATH, catch_response=True) as response:
            if response.status_code != 200 or not response.content:
                response.failure(f"HTTP {response.status_code}")
"""


def public_pages(year: int) -> list[str]:
    """What a resident reads without signing in: the public site and the public pages of
    the other apps, each once (a list page and one of its items)."""
    return [
        "/",
        f"/councils/{LAMBETH}/",
        "/data/",
        f"/reports/annual/{year}/",
        "/authorities/",
        f"/authorities/{LAMBETH}/",
        "/indicators/",
        "/indicators/ons-employment-rate/",
        "/assessment/",
        f"/assessment/authorities/{LAMBETH}/",
        "/fund/",
        "/knowledge/case-studies/",
        "/search/?q=recycling",
        "/about/data/",
    ]


def demo() -> dict[str, str]:
    given = os.environ.get("BENCH_DEMO_VAR")
    var = Path(given) if given else scratch()
    env = environment(sqlite_url(var), var)
    env["AMBITION_DEBUG"] = "false"
    if not given:
        for step in DEMO_STEPS:
            ambition(env, *step)
    return env


def locust(port: int, path: str, folder: Path, seconds: int = SECONDS) -> dict[str, float]:
    """One page under CLIENTS users for `seconds`: requests, failures, p50 and p99 (ms)."""
    stem = folder / "stats"
    env = {**os.environ, "BENCH_PATH": path}
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(folder / "locustfile.py"), "--headless",
            "--host", f"http://127.0.0.1:{port}", "--users", str(CLIENTS),
            "--spawn-rate", str(CLIENTS), "--run-time", f"{seconds}s", "--csv", str(stem),
            "--only-summary", "--loglevel", "ERROR",
        ],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{stem}_stats.csv", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")

    def number(text: str) -> float:
        return float("inf") if text == "N/A" else float(text)  # N/A: no request was answered

    return {
        "requests": float(row["Request Count"]),
        "failures": float(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": number(row["50%"]),
        "p99": number(row["99%"]),
    }


def first_answer(port: int, path: str = "/") -> None:
    """Until the server answers: gunicorn listens before its workers have set up Django."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=SERVER_START_S)
    conn.request("GET", path)
    conn.getresponse().read()
    conn.close()


def time_pdf() -> None:
    """In the child: the annual report PDF, the fastest of three after a first (warm) one."""
    import django

    django.setup()
    from ambition.reports.documents import annual_pdf
    from ambition.reports.views.annual import last_whole_year

    year = last_whole_year()
    first_started = time.perf_counter()
    size = len(annual_pdf(year))
    first = time.perf_counter() - first_started
    times = []
    for _ in range(3):
        started = time.perf_counter()
        annual_pdf(year)
        times.append(time.perf_counter() - started)
    print(f"{year} {size} {first:.2f} {min(times):.2f}")


def main() -> list[str]:
    env = demo()
    # The PDF first: its child names the year the annual report is for (the last whole one).
    year, size, first, best = run_child(env, __file__, "--pdf").split()
    folder = Path(tempfile.mkdtemp(prefix="ambition-bench-locust-"))
    (folder / "locustfile.py").write_text(LOCUSTFILE)
    lines = [
        f"Public pages: locust headless, {CLIENTS} clients, {SECONDS} s each, gunicorn "
        f"(ambition serve), SQLite demo data, loopback; goal p99 < {GOAL_P99_MS:.0f} ms"
    ]
    with serving(env) as port:
        first_answer(port)
        locust(port, FLOOR, folder, WARM_SECONDS)
        floor = locust(port, FLOOR, folder)
        lines.append(
            f"  the floor, a static file ({FLOOR}): p50 {floor['p50']:.0f} ms  "
            f"p99 {floor['p99']:.0f} ms  {floor['rps']:.1f} req/s"
        )
        for path in public_pages(int(year)):
            locust(port, path, folder, WARM_SECONDS)  # warm every worker on this page
            got = locust(port, path, folder)
            verdict = "ok" if got["p99"] < GOAL_P99_MS and not got["failures"] else "MISSED"
            lines.append(
                line := f"  {path:42s} p50 {got['p50']:6.0f} ms  p99 {got['p99']:6.0f} ms  "
                f"{got['rps']:6.1f} req/s  {got['failures']:.0f} failed  {verdict}"
            )
            print(line, file=sys.stderr, flush=True)  # as it goes: a page takes 25 s
    verdict = "ok" if float(best) < GOAL_PDF_S else "MISSED"
    lines.append(
        f"Annual report {year} PDF ({int(size):,} bytes): {float(best):.2f} s "
        f"(first {float(first):.2f} s)  (goal: < {GOAL_PDF_S:.0f} s)  {verdict}"
    )
    return lines


if __name__ == "__main__":
    if sys.argv[1:] == ["--pdf"]:
        time_pdf()
    else:
        print("\n".join(main()))
