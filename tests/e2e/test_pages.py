"""Open the key pages in headless Chromium: the map and charts draw, nothing errors."""

from __future__ import annotations

import time

import pytest

from ambition.assessment.methodology import load

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


def submit(page: object, selector: str) -> None:
    """Click a form's button and wait for the page it leads to, so that what is read next
    is the new page and not the one being left."""
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(selector)  # type: ignore[attr-defined]


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
    with page.expect_navigation():  # type: ignore[attr-defined]
        first.click()
    page.select_option("#focus", "E09000022")  # type: ignore[attr-defined]
    submit(page, "form[data-form=compare] button")
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
    submit(page, "main form button")
    page.set_input_files("#id_file", str(fixture))  # type: ignore[attr-defined]
    submit(page, "form[enctype] button")
    page.wait_for_selector("[data-job-state=done]", timeout=30000)  # type: ignore[attr-defined]
    rows = page.locator("table[data-table=problems] tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert [r.split("\t")[:2] for r in rows] == [
        ["3", "authority"],
        ["4", "period"],
        ["5", "value"],
    ]
    screenshot(page, "import-report")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_import_page_states_its_limits_and_refuses_a_period_named_twice(
    page: object, demo_url: str, tmp_path: object
) -> None:
    from pathlib import Path

    wide = Path(str(tmp_path)) / "same-period-twice.csv"
    wide.write_text("authority,indicator,2019,2019\nE09000022,ons-employment-rate,70.1,71.2\n")
    page.goto(demo_url + "/import/")  # type: ignore[attr-defined]
    page.fill("#id_username", "analyst")  # type: ignore[attr-defined]
    page.fill("#id_password", "ambition-demo-analyst")  # type: ignore[attr-defined]
    submit(page, "main form button")
    hint = page.locator("#id_file-hint").inner_text()  # type: ignore[attr-defined]
    assert "MB" in hint and "rows" in hint and "columns" in hint
    screenshot(page, "import-page-limits")
    page.set_input_files("#id_file", str(wide))  # type: ignore[attr-defined]
    submit(page, "form[enctype] button")
    page.wait_for_selector("[data-job-state=done]", timeout=30000)  # type: ignore[attr-defined]
    report = page.locator("table[data-table=problems]").inner_text()  # type: ignore[attr-defined]
    assert "columns C and D" in report
    screenshot(page, "import-refused-period-twice")
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
    submit(page, "main form button")


def test_an_analyst_makes_a_token_and_reads_the_audit_log(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "analyst", "ambition-demo-analyst")
    page.goto(demo_url + "/account/")  # type: ignore[attr-defined]
    page.fill("#id_name", "nightly export")  # type: ignore[attr-defined]
    submit(page, "text=Make token")
    shown = page.locator(".govuk-panel").inner_text()  # type: ignore[attr-defined]
    assert "amb_" in shown
    screenshot(page, "account-token")
    page.goto(demo_url + "/audit/?model=accounts.apitoken")  # type: ignore[attr-defined]
    rows = page.locator("main table tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert any("analyst" in r and "create" in r for r in rows)
    screenshot(page, "audit")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_an_officer_finds_a_value_by_search_corrects_it_and_sees_its_history(
    page: object, demo_url: str
) -> None:
    sign_in(page, demo_url, "officer", "ambition-demo-officer")  # Lambeth's officer
    page.goto(demo_url + "/search/?q=Lambeth+recycling")  # type: ignore[attr-defined]
    screenshot(page, "search")
    submit(page, "[data-table=values] tbody tr >> nth=0 >> td >> nth=3 >> a")
    submit(page, "text=Correct this value")
    page.fill("#id_value", "-20")  # type: ignore[attr-defined]
    page.fill("#id_reason", "Corrected return from the waste team")  # type: ignore[attr-defined]
    submit(page, "text=Save the correction")
    summary = page.locator(".govuk-error-summary").inner_text()  # type: ignore[attr-defined]
    assert "is a percentage under 0" in summary
    screenshot(page, "correction-refused")
    page.fill("#id_value", "31.5")  # type: ignore[attr-defined]
    page.select_option("#id_status", "provisional")  # type: ignore[attr-defined]
    submit(page, "text=Save the correction")
    history = page.locator("[data-table=history] tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert len(history) >= 2 and "Corrected return from the waste team" in history[0]
    screenshot(page, "observation-history")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_an_analyst_makes_a_run_judges_and_benchmarks_an_indicator_with_a_funnel(
    page: object, demo_url: str
) -> None:
    import re

    sign_in(page, demo_url, "analyst", "ambition-demo-analyst")
    page.goto(demo_url + "/assessment/judgements/")  # type: ignore[attr-defined]
    page.select_option("#id_authority", label="Lambeth")  # type: ignore[attr-defined]
    page.select_option("#id_key", "corporate_assessment")  # type: ignore[attr-defined]
    page.select_option("#id_score", "3")  # type: ignore[attr-defined]
    submit(page, "form[data-form=judgement] button")
    summary = page.locator(".govuk-error-summary").inner_text()  # type: ignore[attr-defined]
    assert "Reason" in summary  # no reason given: nothing recorded
    page.fill("#id_reason", "Corporate assessment from the 2024 peer challenge")  # type: ignore[attr-defined]
    submit(page, "form[data-form=judgement] button")
    current = page.locator("table[data-table=current] tbody tr").all_inner_texts()  # type: ignore[attr-defined]
    assert any("Lambeth" in r and "peer challenge" in r for r in current)
    screenshot(page, "assessment-judgements")
    page.goto(demo_url + "/assessment/runs/new/")  # type: ignore[attr-defined]
    page.select_option("#id_method", "ambition-default")  # type: ignore[attr-defined]
    screenshot(page, "assessment-run-new")
    submit(page, "form[data-form=run] button")
    # The worker makes the run; the job's page follows it there.
    page.wait_for_url(re.compile(r".*/assessment/runs/\d+/$"), timeout=60000)  # type: ignore[attr-defined]
    run_id = page.url.rstrip("/").rsplit("/", 1)[-1]  # type: ignore[attr-defined]
    page.goto(f"{demo_url}/assessment/indicators/lait-care-leavers-eet/?run={run_id}")  # type: ignore[attr-defined]
    wait_for_charts(page, 2)
    funnel = page.locator("#funnel-plot-figure [data-chart-drawn=true] svg.marks")  # type: ignore[attr-defined]
    assert funnel.count() == 1
    assert "Children aged 0-15" in (funnel.text_content() or "")
    rows = page.locator("table[data-table=benchmark] tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 30
    assert "This is an approximation" in page.locator("[data-section=funnel-basis]").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "assessment-benchmark-funnel")
    page.goto(demo_url + "/assessment/indicators/lait-injury-admissions-0-14/")  # type: ignore[attr-defined]
    wait_for_charts(page, 2)
    screenshot(page, "assessment-benchmark-rate")
    assert page.console_errors == []  # type: ignore[attr-defined]


def make_a_run(page: object, demo_url: str, method: str, period: str = "") -> str:
    """Through the performance office's page; the worker makes it and the page follows."""
    import re

    page.goto(demo_url + "/assessment/runs/new/")  # type: ignore[attr-defined]
    page.select_option("#id_method", method)  # type: ignore[attr-defined]
    page.fill("#id_period", period)  # type: ignore[attr-defined]
    submit(page, "form[data-form=run] button")
    page.wait_for_url(re.compile(r".*/assessment/runs/\d+/$"), timeout=60000)  # type: ignore[attr-defined]
    return str(page.url.rstrip("/").rsplit("/", 1)[-1])  # type: ignore[attr-defined]


def test_the_dashboard_maps_the_stars_and_a_scorecard_says_why(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "analyst", "ambition-demo-analyst")
    earlier = make_a_run(page, demo_url, "ambition-default", "2022")
    latest = make_a_run(page, demo_url, "ambition-default")
    page.goto(demo_url + "/assessment/")  # type: ignore[attr-defined]
    assert f"assessment run {latest}" in page.locator("[data-section=run]").inner_text()  # type: ignore[attr-defined]
    wait_for_charts(page, 3)  # the map and both targets' trajectories
    boroughs = page.locator("#stars-map[data-chart-drawn=true] svg path")  # type: ignore[attr-defined]
    assert boroughs.count() >= 33
    rows = page.locator("table[data-table=members] tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 35
    lambeth = page.locator("table[data-table=members] tr[data-code=E09000022]")  # type: ignore[attr-defined]
    stars = lambeth.locator("td[data-stars]").get_attribute("data-stars")
    screenshot(page, "assessment-dashboard")
    with page.expect_navigation():  # type: ignore[attr-defined]
        lambeth.locator("a").first.click()
    assert page.locator("h1").inner_text() == "Lambeth: scorecard"  # type: ignore[attr-defined]
    shown = page.locator("[data-section=headline] [data-stars]").get_attribute("data-stars")  # type: ignore[attr-defined]
    assert shown == stars
    assert page.locator("table[data-table=areas] tbody tr").count() == 9  # type: ignore[attr-defined]
    wait_for_charts(page, 20)  # the indicators' sparklines
    screenshot(page, "assessment-scorecard-lambeth")
    page.goto(f"{demo_url}/assessment/runs/{latest}/?compare={earlier}")  # type: ignore[attr-defined]
    assert page.locator("[data-input='as of']").count() == 1  # type: ignore[attr-defined]
    screenshot(page, "assessment-compare")
    page.goto(demo_url + "/assessment/methods/cpa-2005/")  # type: ignore[attr-defined]
    rules = len(load("cpa-2005").stars.rules)  # every rule of the table, in order
    assert page.locator("table[data-table=rules] tbody tr").count() == rules  # type: ignore[attr-defined]
    screenshot(page, "assessment-method-cpa")
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("who", ["", "officer", "analyst", "board", "admin"])
def test_the_navigation_fits_one_line_at_1280_for_every_role(
    page: object, demo_url: str, who: str
) -> None:
    if who:
        sign_in(page, demo_url, who, f"ambition-demo-{who}")
    page.goto(demo_url + "/")  # type: ignore[attr-defined]
    items = page.locator(".govuk-service-navigation__item")  # type: ignore[attr-defined]
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, f"{who or 'a visitor'}: the navigation wraps onto {len(tops)} lines"
    if who:
        page.click("text=Your work")  # type: ignore[attr-defined]
        assert page.locator("h1").inner_text() == "Your work"  # type: ignore[attr-defined]
