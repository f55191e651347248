"""The browser tests run the demo as a person would: a fresh embedded database, the
shipped data loaded by `ambition load-demo`, the production server, and Debian's
Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ambition(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "ambition", *args], env=env, check=True, capture_output=True
    )


def _demo_database(var: Path) -> str:
    """The demo's own database, of the kind the suite runs on: the embedded SQLite file,
    or a fresh PostgreSQL database on the suite's server."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith("postgres"):
        return f"sqlite:///{var}/demo.sqlite3"
    import psycopg

    name = f"ambition_e2e_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    server = suite.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a demo made as `make demo` makes it, for the server and for
    commands run against the same database."""
    var = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "AMBITION_VAR_DIR": str(var),
        "DATABASE_URL": _demo_database(var),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("AMBITION_TASKS", None)  # the demo as shipped: a worker runs the jobs
    _ambition("migrate", env=env)
    _ambition("load-demo", env=env)
    _ambition("assess", "--history", "2019", env=env)  # as `make demo` does
    _ambition("load-support-demo", env=env)
    _ambition("load-fund-demo", env=env)
    _ambition("load-efficiency-demo", env=env)
    _ambition("load-spend-demo", env=env)
    _ambition("load-knowledge-demo", env=env)
    return env


@pytest.fixture(scope="session")
def demo_url(demo_env: dict[str, str]) -> Iterator[str]:
    env = demo_env
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ambition", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 180  # gunicorn's first answer is slow on a loaded machine
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/api/v1/indicators?limit=1", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the demo server did not start at {url}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM} (make browser)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.console_errors = errors
    yield page
    context.close()


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
