"""Peer support in Chromium: an officer asks for help from the scorecard's weak area, the
performance office runs the broker and reads why, and the officer accepts a proposal."""

from __future__ import annotations

import pytest

from .conftest import screenshot
from .test_pages import sign_in, submit, wait_for_charts

pytestmark = pytest.mark.e2e


def test_ask_from_the_scorecard_then_broker_then_accept(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "officer", "ambition-demo-officer")  # Lambeth's officer
    page.goto(demo_url + "/assessment/authorities/E09000022/")  # type: ignore[attr-defined]
    submit(page, "[data-ask=area] >> nth=0")
    assert page.locator("[data-section=prompted]").count() == 1  # type: ignore[attr-defined]
    problem = page.locator("#id_problem").input_value()  # type: ignore[attr-defined]
    assert "weak service area" in problem
    page.select_option("#id_kind", "specialist-advice")  # type: ignore[attr-defined]
    page.fill("#id_staff_days", "5")  # type: ignore[attr-defined]
    page.fill("#id_window_start", "2027-01-10")  # type: ignore[attr-defined]
    page.fill("#id_window_end", "2026-12-01")  # type: ignore[attr-defined]
    submit(page, "form[data-form=request] button")
    assert "on or after" in page.locator(".govuk-error-summary").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "support-request-refused")
    page.fill("#id_window_end", "2027-03-01")  # type: ignore[attr-defined]
    submit(page, "form[data-form=request] button")
    assert "Prompted by" in page.locator("[data-section=request]").inner_text()  # type: ignore[attr-defined]
    submit(page, "text=Sign out")

    sign_in(page, demo_url, "analyst", "ambition-demo-analyst")
    page.goto(demo_url + "/support/broker/")  # type: ignore[attr-defined]
    submit(page, "form[data-form=broker] button")
    wait_for_charts(page, 1)
    assert page.locator("[data-match]").count() >= 8  # type: ignore[attr-defined]
    assert page.locator("[data-section=alternatives]").count() >= 1  # type: ignore[attr-defined]
    screenshot(page, "support-broker-run")
    groups = page.locator("h3[id^=request-]")  # type: ignore[attr-defined]
    lambeth = groups.filter(has_text="Lambeth, peer review in adult social care")
    request_id = (lambeth.first.get_attribute("id") or "").removeprefix("request-")
    submit(page, "text=Sign out")

    sign_in(page, demo_url, "officer", "ambition-demo-officer")
    page.goto(demo_url + "/support/")  # type: ignore[attr-defined]
    screenshot(page, "support-overview")
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(f"table[data-table=requests] a[href='/support/requests/{request_id}/']")  # type: ignore[attr-defined]
    decide = page.locator("[data-state=proposed] form[data-form=decide]")  # type: ignore[attr-defined]
    assert decide.count() >= 1
    with page.expect_navigation():  # type: ignore[attr-defined]
        decide.first.locator("button[value=accept]").click()
    assert page.locator("[data-state=accepted]").count() >= 1  # type: ignore[attr-defined]
    screenshot(page, "support-request-accepted")
    assert page.console_errors == []  # type: ignore[attr-defined]
