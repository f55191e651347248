"""Open the key pages in headless Chromium: the map and charts draw, nothing errors."""

from __future__ import annotations

import time

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e


def wait_for_charts(page: object, count: int, seconds: float = 30) -> None:
    """Polled from here: the page's Content Security Policy forbids the eval that
    Playwright's wait_for_function would use."""
    drawn = page.locator("[data-chart-drawn=true]")  # type: ignore[attr-defined]
    deadline = time.monotonic() + seconds
    while drawn.count() < count:
        assert time.monotonic() < deadline, f"only {drawn.count()} of {count} charts drew"
        page.wait_for_timeout(100)  # type: ignore[attr-defined]


def test_home_shows_the_map_and_all_35_members(page: object, demo_url: str) -> None:
    page.goto(demo_url + "/")  # type: ignore[attr-defined]
    wait_for_charts(page, 2)
    rows = page.locator("table[data-table=members] tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 35
    assert page.locator("[data-chart-drawn=true] svg path").count() >= 33  # type: ignore[attr-defined]
    assert "Greater London Authority" in page.content()  # type: ignore[attr-defined]
    screenshot(page, "home")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_authority_page_shows_profile_neighbours_and_trends(page: object, demo_url: str) -> None:
    page.goto(demo_url + "/authorities/E09000022/")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Lambeth"  # type: ignore[attr-defined]
    neighbours = page.locator("[data-section=neighbours] li").all_inner_texts()  # type: ignore[attr-defined]
    assert any("Southwark" in n for n in neighbours)
    wait_for_charts(page, 20)
    screenshot(page, "authority-lambeth")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_indicator_page_draws_bar_map_and_series(page: object, demo_url: str) -> None:
    page.goto(demo_url + "/indicators/")  # type: ignore[attr-defined]
    first = page.locator("main table a").first  # type: ignore[attr-defined]
    first.click()
    page.select_option("#focus", "E09000022")  # type: ignore[attr-defined]
    page.click("form[data-form=compare] button")  # type: ignore[attr-defined]
    wait_for_charts(page, 3)
    assert page.locator("table[data-table=ranking] tbody tr").count() >= 30  # type: ignore[attr-defined]
    screenshot(page, "indicator")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_import_page_runs_the_job_in_the_background_and_shows_its_report(
    page: object, demo_url: str
) -> None:
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / "many_problems.csv"
    page.goto(demo_url + "/import/")  # type: ignore[attr-defined]
    page.fill("#id_username", "admin")  # type: ignore[attr-defined]
    page.fill("#id_password", "ambition-demo-admin")  # type: ignore[attr-defined]
    page.click("main form button")  # type: ignore[attr-defined]
    page.set_input_files("#id_file", str(fixture))  # type: ignore[attr-defined]
    page.click("form[enctype] button")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-job-state=done]", timeout=30000)  # type: ignore[attr-defined]
    rows = page.locator("table[data-table=problems] tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert [r.split("\t")[:2] for r in rows] == [
        ["3", "authority"],
        ["4", "period"],
        ["5", "value"],
    ]
    screenshot(page, "import-report")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_api_docs_load_offline(page: object, demo_url: str) -> None:
    page.goto(demo_url + "/api/docs")  # type: ignore[attr-defined]
    page.get_by_text("Observations, latest revisions").wait_for(timeout=30000)  # type: ignore[attr-defined]
    screenshot(page, "api-docs")
    assert page.console_errors == []  # type: ignore[attr-defined]


def sign_in(page: object, demo_url: str, username: str, password: str) -> None:
    page.goto(demo_url + "/account/login/")  # type: ignore[attr-defined]
    page.fill("#id_username", username)  # type: ignore[attr-defined]
    page.fill("#id_password", password)  # type: ignore[attr-defined]
    page.click("main form button")  # type: ignore[attr-defined]


def test_an_analyst_makes_a_token_and_reads_the_audit_log(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "analyst", "ambition-demo-analyst")
    page.goto(demo_url + "/account/")  # type: ignore[attr-defined]
    page.fill("#id_name", "nightly export")  # type: ignore[attr-defined]
    page.click("text=Make token")  # type: ignore[attr-defined]
    shown = page.locator(".govuk-panel").inner_text()  # type: ignore[attr-defined]
    assert "amb_" in shown
    screenshot(page, "account-token")
    page.goto(demo_url + "/audit/?model=accounts.apitoken")  # type: ignore[attr-defined]
    rows = page.locator("main table tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert any("analyst" in r and "create" in r for r in rows)
    screenshot(page, "audit")
    assert page.console_errors == []  # type: ignore[attr-defined]
