"""Peer reviews, the ledger and the review pack in Chromium, as a board member reads them
before a liaison visit: the pages draw their charts and nothing errors."""

from __future__ import annotations

import pytest

from .conftest import screenshot
from .test_pages import sign_in, submit, wait_for_charts

pytestmark = pytest.mark.e2e


def test_a_board_member_reads_a_review_the_ledger_and_a_pack(page: object, demo_url: str) -> None:
    sign_in(page, demo_url, "board", "ambition-demo-board")
    page.goto(demo_url + "/support/reviews/")  # type: ignore[attr-defined]
    rows = page.locator("main table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() >= 4
    reported = rows.filter(has_text="Closed").or_(rows.filter(has_text="Progress review"))
    with page.expect_navigation():  # type: ignore[attr-defined]
        reported.first.locator("a").first.click()
    wait_for_charts(page, 1)
    text = page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert "before and after" in text and "Illustrative" in text
    assert "Member Camden" not in text  # a board member does not see the team's names
    screenshot(page, "support-review")
    page.goto(demo_url + "/support/ledger/")  # type: ignore[attr-defined]
    wait_for_charts(page, 1)
    assert page.locator("table tbody tr").count() >= 35  # type: ignore[attr-defined]
    screenshot(page, "support-ledger")
    page.goto(demo_url + "/reports/review-pack/E09000022/")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Lambeth"  # type: ignore[attr-defined]
    assert "Questions to ask" in page.locator("main").inner_text()  # type: ignore[attr-defined]
    screenshot(page, "review-pack-lambeth")
    page.goto(demo_url + "/reports/review-pack/")  # type: ignore[attr-defined]
    assert page.locator("[data-chart-svg] img").count() == 1  # type: ignore[attr-defined]
    screenshot(page, "review-pack-partnership")
    response = page.request.get(demo_url + "/reports/review-pack/E09000022/pdf/")  # type: ignore[attr-defined]
    assert response.ok and response.body().startswith(b"%PDF-")
    submit(page, "text=Sign out")
    assert page.console_errors == []  # type: ignore[attr-defined]
