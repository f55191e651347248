"""The annual review pack as a PDF (WeasyPrint, SVG charts by vl-convert) on a database
prepared like the demo: `migrate`, `load-demo`, `assess` (the latest run), and, written in
the child before timing, seeded illustrative ledger entries and meetings so that every
section and chart has something to draw. Goals: one member's PDF under 2 s; all 35
members' under 30 s.

Timed in a child process after Django's set-up: the first PDF (WeasyPrint's and
vl-convert's start-up included), the fastest of three more for one member, every member's
one after another, every member's again as `review-pack --all` makes them (spread over
worker processes), and the partnership-wide PDF. Then the same through
`ambition review-pack`, Python and Django start-up included.

Run by `make bench`, or alone: `.venv/bin/python bench/review_pack.py`."""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ambition, environment, run_child, scratch, sqlite_url

GOAL_ONE_S = 2.0
GOAL_ALL_S = 30.0
CODE = "E09000022"  # Lambeth
LEDGER_PAIRS = 150
SEED = 5


def illustrative_data(year: int) -> None:
    """Seeded staff days lent between members, and a meeting with open actions each."""
    from decimal import Decimal

    from ambition.reports.models import AgreedAction, Meeting
    from ambition.support.bookkeeping import Source, give_and_take, members
    from ambition.support.models import LedgerKind, LedgerSource

    rng = random.Random(SEED)
    everyone = members()
    for _ in range(LEDGER_PAIRS):
        giver, taker = rng.sample(everyone, 2)
        kind = rng.choice([LedgerKind.STAFF_DAYS, LedgerKind.BACKFILL, LedgerKind.CASE_STUDY])
        amount = Decimal(rng.randint(1, 20)) * (250 if kind == LedgerKind.BACKFILL else 1)
        day = datetime.date(year, 4, 1) + datetime.timedelta(days=rng.randint(0, 300))
        source = Source(LedgerSource.MANUAL)
        give_and_take(giver, taker, kind, amount, day, "Illustrative (bench)", source)
    for member in everyone:
        meeting = Meeting.objects.create(
            authority=member, date=datetime.date(year, 10, 1), kind="annual-review"
        )
        AgreedAction.objects.create(
            meeting=meeting, text="Illustrative action", owner="Chief executive"
        )


def measure() -> None:
    import django

    django.setup()
    from ambition.registry.models import Authority
    from ambition.reports.batch import render_all
    from ambition.reports.documents import pack_pdf, partnership_pdf
    from ambition.reports.pack import basis_for, default_year, members
    from ambition.web.processes import default_processes

    year = default_year()
    illustrative_data(year)
    lambeth = Authority.objects.get(code=CODE)

    def timed(work):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = work()
        return time.perf_counter() - started, result

    first, pdf = timed(lambda: pack_pdf(lambeth, basis_for(year)))
    warm = min(timed(lambda: pack_pdf(lambeth, basis_for(year)))[0] for _ in range(3))

    def every_member() -> int:
        basis = basis_for(year)
        return sum(len(pack_pdf(m, basis)) for m in members())

    everyone, size = timed(every_member)
    jobs = default_processes()
    codes = [m.code for m in members()]
    folder = Path(tempfile.mkdtemp(prefix="packs-"))
    parallel, _ = timed(lambda: render_all(codes, year, folder, jobs))
    shutil.rmtree(folder, ignore_errors=True)
    partnership, _ = timed(lambda: partnership_pdf(basis_for(year)))
    print(
        json.dumps(
            {
                "first": first,
                "warm": warm,
                "bytes": len(pdf),
                "all": everyone,
                "members": len(members()),
                "all_bytes": size,
                "partnership": partnership,
                "parallel": parallel,
                "jobs": jobs,
            }
        )
    )


def timed_command(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    ambition(env, *args)
    return time.perf_counter() - started


def main() -> list[str]:
    load = os.getloadavg()[0]
    work = scratch()
    env = environment(sqlite_url(work), work / "var")
    ambition(env, "migrate")
    ambition(env, "load-demo")
    ambition(env, "assess")
    got = json.loads(run_child(env, __file__, "measure"))
    one = timed_command(env, "review-pack", CODE, "--out", str(work / "one.pdf"))
    every = timed_command(env, "review-pack", "--all", "--out", str(work / "all"))
    shutil.rmtree(work, ignore_errors=True)
    return [
        "annual review pack PDFs: demo data, the latest assessment run, "
        f"{LEDGER_PAIRS} illustrative ledger exchanges, SQLite "
        f"(load average {load:.1f} on {os.cpu_count()} cores at the start)",
        f"  one member ({CODE}): {got['warm']:.2f} s (goal < {GOAL_ONE_S:.0f} s); "
        f"the first in a process, WeasyPrint and vl-convert start-up included: "
        f"{got['first']:.2f} s; {got['bytes'] / 1024:.0f} KB",
        f"  all {got['members']} members, {got['jobs']} processes (as `review-pack --all` makes them): "
        f"{got['parallel']:.1f} s (goal < {GOAL_ALL_S:.0f} s), worker start-up included",
        f"  all {got['members']} members, one after another in one warm process: {got['all']:.1f} s, "
        f"{got['all'] / max(got['members'], 1):.2f} s each, {got['all_bytes'] / 1e6:.1f} MB",
        f"  partnership-wide PDF (every member on one page): {got['partnership']:.2f} s",
        f"  through `ambition review-pack` (Python and Django start-up included): "
        f"one member {one:.2f} s, --all {every:.1f} s",
    ]


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        measure()
    else:
        print("\n".join(main()))
