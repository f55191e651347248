"""Every member's review pack as PDFs, rendered by several processes at once.

WeasyPrint's layout is single-threaded Python, so one process makes one pack at a time
(about a second each); a batch of 35 spreads them over worker processes. The workers are
spawned, not forked: each sets Django up afresh with its own database connection, and none
inherits the parent's PDF or chart engines mid-state. Each worker reads the basis (the run
and the year's ledger figures) once, then renders one member per task, so the parent can
report every file as it is written."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

Written = tuple[str, Path, int]  # authority name, file, bytes
_BASIS: dict[str, Any] = {}


def _basis(year: int, run_id: int | None) -> Any:
    from ambition.assessment.models import AssessmentRun

    from .pack import basis_for

    run = AssessmentRun.objects.by_id(run_id)
    return basis_for(year, run=run)


def _start_worker(year: int, run_id: int | None) -> None:
    import django

    django.setup()
    _BASIS["basis"] = _basis(year, run_id)


def _render_one(code: str, folder: str, basis: Any = None) -> Written:
    from ambition.registry.models import Authority

    from .documents import file_name, pack_pdf

    basis = basis or _BASIS["basis"]
    authority = Authority.objects.get(code=code)
    path = Path(folder) / file_name(authority, basis.year.year)
    pdf = pack_pdf(authority, basis)
    path.write_bytes(pdf)
    return authority.name, path, len(pdf)


def render_all(
    codes: list[str],
    year: int,
    folder: Path,
    jobs: int,
    run_id: int | None = None,
    done: Callable[[Written], None] | None = None,
) -> list[Written]:
    """Write one PDF per code into `folder` with `jobs` processes (1: in this process),
    calling `done` as each is written."""
    folder.mkdir(parents=True, exist_ok=True)
    report = done or (lambda _: None)
    written: list[Written] = []
    if jobs <= 1 or len(codes) <= 1:
        basis = _basis(year, run_id)
        for code in codes:
            written.append(_render_one(code, str(folder), basis))
            report(written[-1])
        return written
    from django.db import connections

    connections.close_all()  # the workers open their own
    context = multiprocessing.get_context("spawn")
    workers = min(jobs, len(codes))
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(year, run_id)
    ) as pool:
        for future in as_completed([pool.submit(_render_one, c, str(folder)) for c in codes]):
            written.append(future.result())
            report(written[-1])
    return sorted(written, key=lambda w: w[0])
