"""What the benchmarks share: a fresh database for each measurement, the Django set-up,
and the peak memory of a child process."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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
